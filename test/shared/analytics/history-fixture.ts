import type { Event } from '../../../shared/contracts/event.ts';
import type { Model } from '../../../shared/contracts/model.ts';
import type { HistoryLead } from '../../../shared/analytics/replay.ts';
import { makeModel } from '../scoring/make-model.ts';
import { DAY, T0, ev, page } from '../scoring/make-events.ts';

// A small history with known outcomes whose figures are worked out by hand in the tests.
// Interest does not decay here (every rule is steady), so the numbers stay round:
//   pricing page +30 each view; fit: email known +30 (grade C), a CEO +50 more (grade A).
//   MQL at interest 50 with fit C or better; engaged at 10.
// T0 is Monday 2026-01-05 09:00 UTC.

export const HOUR = 3_600_000;
export { DAY, T0 };
export const NOW = T0 + 10 * DAY;

export function fixtureModel(overrides: Partial<Model> = {}): Model {
  return makeModel({
    fitRules: [
      { id: 'complete', kind: 'complete', label: 'Email known', points: 30, fields: ['email'] },
      { id: 'ceo', kind: 'attribute', label: 'A CEO', points: 50, match: { op: 'pattern', attribute: 'jobTitle', regex: '\\bceo\\b' } },
    ],
    interestRules: [{ id: 'pricing', label: 'Visited pricing', when: { types: ['page_view'], path: '/pricing' }, points: 30, repeat: 'every', decays: false }],
    handRaise: [{ id: 'demo', label: 'Requested a demo', when: { types: ['form_submit'], formId: 'demo-request' } }],
    ...overrides,
  });
}

const identify = (dt: number, email: string): Event => ev('identify', dt, { traits: { email }, source: 'form' });
const pricing = (dt: number): Event => page('/pricing', dt);

export function lead(id: string, events: Event[], extra: Partial<HistoryLead> = {}): HistoryLead {
  return { id, email: `${id}@example.com`, profile: { email: `${id}@example.com` }, events, ...extra };
}

/**
 *  lead  fit     events (from T0)                       outcome           judged interest, stage
 *  a     80 (A)  identify 0, pricing 1h, 2h            won   at 3d       60, mql (MQL at 2h)
 *  b     30 (C)  identify 1d, pricing 1d+1h            lost  at 4d       30, engaged
 *  c     30 (C)  identify 0, pricing 1d, 1d+1h         lost  at 8d       60, mql (MQL at 1d+1h)
 *  d     80 (A)  identify 8d                           none              0, known
 *  e     30 (C)  identify 0, pricing 1h                won   at 9d       30, engaged (customer at 9d)
 */
export function fixtureLeads(): HistoryLead[] {
  const ceo = (id: string) => ({ email: `${id}@example.com`, jobTitle: 'CEO' });
  return [
    lead('a', [identify(0, 'a@example.com'), pricing(HOUR), pricing(2 * HOUR)], { profile: ceo('a'), outcome: { result: 'won', at: T0 + 3 * DAY } }),
    lead('b', [identify(DAY, 'b@example.com'), pricing(DAY + HOUR)], { outcome: { result: 'lost', at: T0 + 4 * DAY } }),
    lead('c', [identify(0, 'c@example.com'), pricing(DAY), pricing(DAY + HOUR)], { outcome: { result: 'lost', at: T0 + 8 * DAY } }),
    lead('d', [identify(8 * DAY, 'd@example.com')], { profile: ceo('d') }),
    lead('e', [identify(0, 'e@example.com'), pricing(HOUR)], { outcome: { result: 'won', at: T0 + 9 * DAY } }),
  ];
}
