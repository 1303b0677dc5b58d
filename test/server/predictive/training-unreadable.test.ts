import { describe, expect, it } from 'vitest';
import { english, wordRunWhy } from '../../../shared/scoring/wording.ts';
import { trainFromLeads } from '../../../server/predictive/training.ts';
import { rawLeads, seedLeads } from './predictive-leads.ts';

// A lead whose stored columns do not decode through the lead contracts is left out of a
// training run, and the run says how many and why (naming table, column and lead), instead of
// failing every run or training on a half-read lead.

const NOW = Date.UTC(2025, 5, 1);

describe('training on leads whose stored data does not decode', () => {
  it('leaves them out, counts them and names them', () => {
    const leads = rawLeads(seedLeads(60, 4, NOW), NOW);
    const spoiled = leads.map((l, i) => {
      if (i === 3) return { ...l, profile: JSON.stringify({ email: 'x@y.com', seniority: 'wizard' }) };
      if (i === 7) return { ...l, outcome: '{"result":"won"' };
      if (i === 11) return { ...l, emails: JSON.stringify('x@y.com') };
      if (i === 13) return { ...l, events: [...l.events, '{"url":"https://acme.test/"}'] };
      return l;
    });
    const clean = trainFromLeads({ id: 'clean', now: NOW, leads, current: null, folds: 3, seed: 0 });
    expect(clean.unreadable).toBeUndefined();
    const r = trainFromLeads({ id: 'spoiled', now: NOW, leads: spoiled, current: null, folds: 3, seed: 0 });
    if (!r.ok) throw new Error(wordRunWhy(r.why, english));
    expect(r.model.evaluation.rows).toBe(56);
    expect(r.unreadable?.count).toBe(4);
    expect(r.unreadable?.reasons).toEqual([
      expect.stringMatching(/^stored leads\.profile of row lead-3 does not decode: seniority: /),
      expect.stringMatching(/^stored leads\.outcome of row lead-7 does not decode: not JSON/),
      expect.stringMatching(/^stored leads\.emails of row lead-11 does not decode: \(the value\): /),
      'stored events.body of row of lead lead-13 does not decode: an event without a type and a time',
    ]);
  });
});
