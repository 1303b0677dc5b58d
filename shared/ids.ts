// UUID v7 (RFC 9562): 48 bits of milliseconds, then random bits. Time-ordered ids keep
// database inserts append-only and sort events by creation for free.

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push((i + 0x100).toString(16).slice(1));

/** A UUID v7 string. `now` and `random` are parameters so tests can fix them. */
export function uuidv7(now: number = Date.now(), random: (bytes: Uint8Array) => Uint8Array = fillRandom): string {
  const b = random(new Uint8Array(16));
  let t = now;
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = 0x70 | (b[6]! & 0x0f);
  b[8] = 0x80 | (b[8]! & 0x3f);
  let s = '';
  for (let i = 0; i < 16; i++) {
    s += HEX[b[i]!];
    if (i === 3 || i === 5 || i === 7 || i === 9) s += '-';
  }
  return s;
}

// One getRandomValues call per 64 ids: in Node each call costs far more than the bytes.
const pool = new Uint8Array(1024);
let poolAt = pool.length;

function fillRandom(bytes: Uint8Array): Uint8Array {
  if (poolAt + bytes.length > pool.length) {
    crypto.getRandomValues(pool);
    poolAt = 0;
  }
  bytes.set(pool.subarray(poolAt, (poolAt += bytes.length)));
  return bytes;
}

/** The creation time (ms) written in a UUID v7. */
export function uuidv7Time(id: string): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
