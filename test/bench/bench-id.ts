// Event ids for benchmarks: UUID v7 in form (the contract accepts them), unique per (tag, counter),
// and far cheaper than random bytes when millions are needed (seed.ts, load.ts; load.lua writes the same form).

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** A UUID v7-shaped id, unique per (tag, counter): tag keeps two runs against one database apart. */
export function benchId(ts: number, tag: number, n: number): string {
  const t = hex(ts, 12);
  const c = hex(n, 15);
  return `${t.slice(0, 8)}-${t.slice(8)}-7${c.slice(0, 3)}-${(8 + (tag & 3)).toString(16)}${c.slice(3, 6)}-${hex(tag >>> 2, 3)}${c.slice(6)}`;
}
