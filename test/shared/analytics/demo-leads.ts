import type { HistoryLead } from '../../../shared/analytics/replay.ts';
import type { Event } from '../../../shared/contracts/event.ts';
import type { LeadProfile } from '../../../shared/contracts/lead.ts';
import type { Model } from '../../../shared/contracts/model.ts';
import { defaultModel } from '../../../shared/scoring/index.ts';
import { generateDemo } from '../../../server/demo/generate-demo.ts';

// The demo seed's histories and outcomes as the analytics read them, one lead per visitor:
// the realistic input the replay and report tests compare implementations on.

export function demoLeads(now: number, leads = 150): HistoryLead[] {
  const demo = generateDemo({ now, seed: 7, leads });
  const byVisitor = new Map<string, Event[]>();
  for (const e of demo.events) {
    const list = byVisitor.get(e.anonymousId);
    if (list) list.push(e);
    else byVisitor.set(e.anonymousId, [e]);
  }
  const firmographics = new Map(demo.firmographics.map((f) => [f.email, f]));
  return [...byVisitor].map(([id, events]) => {
    const identify = events.find((e) => e.type === 'identify');
    const email = identify?.type === 'identify' ? identify.traits.email : undefined;
    const f = email ? firmographics.get(email) : undefined;
    const profile: LeadProfile = { ...(email ? { email } : {}), ...(f?.company ? { company: f.company } : {}), ...(f?.country ? { country: f.country } : {}) };
    const outcome = email ? demo.track.find((t) => t.email === email && t.outcome)?.outcome : undefined;
    return { id, email, profile, events, outcome };
  });
}

/** The starter model with a lower MQL threshold and the pricing page worth more: a draft that moves leads. */
export const changedModel: Model = {
  ...defaultModel,
  version: 2,
  thresholds: { ...defaultModel.thresholds, mql: { ...defaultModel.thresholds.mql, interest: 35 } },
  interestRules: defaultModel.interestRules.map((r) => (r.id === 'pricing-page' ? { ...r, points: 25 } : r)),
};
