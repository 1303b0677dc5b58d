import { uuidv7 } from '../../../shared/ids.ts';
import { seededRandom } from '../../../shared/random.ts';
import type { RawLead } from '../../../server/predictive/training.ts';

// Seeded leads with outcomes for the predictive tests: won leads read the pricing page and
// download more often than lost ones, with enough overlap that no model is perfect.

const DAY = 86_400_000;

export type SeedLead = { email: string; anon: string; won: boolean; events: Record<string, unknown>[] };

export function seedLeads(count: number, seed: number, now: number, site = 'acme'): SeedLead[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const won = i % 2 === 0;
    const anon = `anon-${seed}-${i}`;
    const email = `lead${i}@company${i % 7}.com`;
    const at = (daysAgo: number) => Math.round(now - daysAgo * DAY);
    const base = (ts: number, s: number) => ({ id: uuidv7(ts), ts, site, anonymousId: anon, sessionId: `${anon}-s${s}` });
    const events: Record<string, unknown>[] = [
      { ...base(at(20), 0), type: 'page_view', url: 'https://acme.test/', utm: { source: random() < 0.5 ? 'google' : 'newsletter' } },
      { ...base(at(19.9), 0), type: 'identify', traits: { email }, source: 'form' },
    ];
    const pricing = Math.floor(random() * 3) + (won && random() < 0.8 ? 2 : 0);
    for (let k = 0; k < pricing; k++) {
      events.push({ ...base(at(10 - k), k + 1), type: 'page_view', url: 'https://acme.test/pricing', tags: ['pricing'] });
    }
    if (random() < (won ? 0.6 : 0.2)) events.push({ ...base(at(5), 9), type: 'download', url: 'https://acme.test/case', fileUrl: 'https://acme.test/case.pdf' });
    return { email, anon, won, events };
  });
}

/** The same leads as the training worker receives them (outcome one day ago). */
export function rawLeads(leads: readonly SeedLead[], now: number): RawLead[] {
  return leads.map((l, i) => ({
    id: `lead-${i}`,
    profile: JSON.stringify({ email: l.email }),
    emails: JSON.stringify([l.email]),
    outcome: JSON.stringify({ result: l.won ? 'won' : 'lost', at: now - DAY }),
    events: l.events.map((e) => JSON.stringify(e)),
  }));
}
