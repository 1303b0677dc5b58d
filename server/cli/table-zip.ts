import { inflateRawSync } from 'node:zlib';

// The parts of a zip archive (what an .xlsx file is), read from bytes in memory with
// node:zlib, for table-xlsx.ts. The file comes from whoever exported it, so nothing in it is
// trusted: sizes it declares are checked against a cap before anything is inflated, and the
// inflate itself stops at the cap (a zip bomb declares little and unpacks to gigabytes).
// Encrypted entries, ZIP64 and compression other than stored or deflate are clear errors.

export class ZipError extends Error {
  override name = 'ZipError';
}

export type ZipEntry = { name: string; method: number; compressedSize: number; size: number; offset: number; encrypted: boolean };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The archive's table of contents (its central directory). */
export function zipEntries(bytes: Uint8Array): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record is in the last 22 bytes plus a comment of up to 65,535.
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ZipError('not a zip archive (no end of central directory): cut short, or not an .xlsx file');
  const count = view.getUint16(end + 10, true);
  const cdSize = view.getUint32(end + 12, true);
  const cdOffset = view.getUint32(end + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ZipError('a ZIP64 archive (over 4 GB or 65,535 parts), too large to read');
  if (cdOffset + cdSize > end) throw new ZipError('the central directory points outside the file: cut short or damaged');
  const out = new Map<string, ZipEntry>();
  let at = cdOffset;
  for (let k = 0; k < count; k++) {
    if (at + 46 > end || view.getUint32(at, true) !== CENTRAL) throw new ZipError(`part ${k + 1} of ${count} in the central directory is damaged`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const offset = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    out.set(name, { name, method, compressedSize, size, offset, encrypted: (flags & 1) === 1 });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}

/** One part's bytes, refusing to unpack more than `maxBytes`. */
export function zipRead(bytes: Uint8Array, entry: ZipEntry, maxBytes: number): Buffer {
  const mb = (n: number) => `${Math.round(n / 1e6)} MB`;
  if (entry.encrypted) throw new ZipError(`${entry.name} is encrypted: save the workbook without a password`);
  if (entry.size > maxBytes) throw new ZipError(`${entry.name} unpacks to ${mb(entry.size)}, over the limit of ${mb(maxBytes)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (entry.offset + 30 > bytes.length || view.getUint32(entry.offset, true) !== LOCAL) throw new ZipError(`${entry.name}: its data is missing or damaged`);
  const start = entry.offset + 30 + view.getUint16(entry.offset + 26, true) + view.getUint16(entry.offset + 28, true);
  if (start + entry.compressedSize > bytes.length) throw new ZipError(`${entry.name}: the file is cut short`);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method !== 8) throw new ZipError(`${entry.name} uses compression method ${entry.method}; only stored and deflate are read`);
  try {
    return inflateRawSync(data, { maxOutputLength: maxBytes });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) throw new ZipError(`${entry.name} unpacks to more than ${mb(maxBytes)} (it declares ${mb(entry.size)}): refused as a possible zip bomb`);
    throw new ZipError(`${entry.name} does not inflate: ${(error as Error).message}`);
  }
}
