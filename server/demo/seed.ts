import type { z } from 'zod';
import { TrackAnswer } from '../../shared/contracts/admin.ts';
import { BatchResult } from '../../shared/contracts/batch.ts';
import { describeError } from '../../shared/errors.ts';
import type { OpenDatabase } from '../db/open.ts';
import type { DemoOptions } from './demo-options.ts';
import { enrichFirmographics } from './enrich-firmographics.ts';
import { eventBatches } from './event-batches.ts';
import { generateDemo } from './generate-demo.ts';

// Seeds a running server with the demo history (generate-demo.ts) through the real ingest
// path: POST /v1/events with the site key and the demo site's Origin, in batches of at most
// 100, and POST /v1/track, so every score is the server's own. Firmographics (industry, size,
// revenue, country) have no API yet: they are written as an enrichment provider or CRM sync
// would, then those leads are rescored (enrich-firmographics.ts).

export type SeedTarget = {
  /** The collector's base URL. */
  url: string;
  db: OpenDatabase;
  /** A site key for the site id the events carry (default "demo"). */
  siteKey: string;
  adminToken: string;
  /** The demo site's origin: sent as Origin and used in event URLs. */
  origin: string;
};

export type SeedResult = { skipped: boolean; existingLeads: number; leads: number; anonymous: number; events: number; tracked: number; days: number; ms: number };

/** Seeds the demo history when the database has no leads yet (`force` seeds anyway). */
export async function seedDemo(target: SeedTarget, options: Partial<DemoOptions> & { force?: boolean } = {}): Promise<SeedResult> {
  const t0 = performance.now();
  const days = options.days ?? 90;
  const existing = await countLeads(target.db);
  if (existing > 0 && !options.force) return { skipped: true, existingLeads: existing, leads: 0, anonymous: 0, events: 0, tracked: 0, days, ms: 0 };
  const data = generateDemo({ ...options, days, now: options.now ?? Date.now(), origin: target.origin });
  const base = target.url.replace(/\/+$/, '');

  for (const batch of eventBatches(data.events)) {
    const res = await fetch(`${base}/v1/events`, {
      method: 'POST',
      // The admin token lets the history's email opens and clicks in (a site key alone may not send them).
      headers: { 'content-type': 'text/plain', 'x-leadglow-key': target.siteKey, origin: target.origin, authorization: `Bearer ${target.adminToken}` },
      body: JSON.stringify({ events: batch, sentAt: Date.now() }),
    });
    const answer = await answerOf(res, 'POST /v1/events', BatchResult);
    if (answer.rejected.length) throw new Error(`seeding: events rejected: ${JSON.stringify(answer.rejected.slice(0, 3))}`);
  }

  await enrichFirmographics(target.db, data.firmographics);

  for (const t of data.track) {
    const res = await fetch(`${base}/v1/track`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${target.adminToken}` }, body: JSON.stringify(t) });
    await answerOf(res, 'POST /v1/track', TrackAnswer);
  }
  return { skipped: false, existingLeads: existing, leads: data.leads, anonymous: data.anonymous, events: data.events.length, tracked: data.track.length, days, ms: performance.now() - t0 };
}

/** The server's answer decoded through its contract; a refusal or another shape stops the seed, named. */
async function answerOf<T>(res: Response, what: string, contract: z.ZodType<T>): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`seeding: ${what} answered ${res.status}: ${text.slice(0, 500)}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`seeding: ${what} answered ${res.status} with a body that is not JSON: ${text.slice(0, 500)}`);
  }
  const decoded = contract.safeParse(body);
  if (!decoded.success) throw new Error(`seeding: ${what} answered ${res.status} with an unexpected body (${describeError(decoded.error)}): ${text.slice(0, 500)}`);
  return decoded.data;
}

async function countLeads(db: OpenDatabase): Promise<number> {
  const row = await db.read.selectFrom('leads').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}
