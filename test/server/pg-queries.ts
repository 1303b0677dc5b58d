import pg from 'pg';

// What the PostgreSQL tests count round trips with: every text node-postgres sends (each
// `query` call is one round trip), until `stop`.

/** Counts the statements node-postgres sends (each `query` call is one round trip). */
export function countQueries(): { texts: string[]; stop(): void } {
  const texts: string[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    if (typeof args[0] === 'string') texts.push(args[0]);
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  return { texts, stop: () => (pg.Client.prototype.query = original) };
}
