import type { TrackRequest } from '../../shared/contracts/admin.ts';
import type { Event } from '../../shared/contracts/event.ts';
import { anonymousVisitors } from './anonymous-visitors.ts';
import { firmChooser, makeFirms } from './companies.ts';
import { type DemoOptions, resolveDemoOptions } from './demo-options.ts';
import { nurtureEmails } from './email-campaigns.ts';
import { startGeneration } from './generation.ts';
import { playLeadJourney } from './lead-journeys.ts';
import { drawLead, type Firmographics } from './people.ts';
import { sessionPlayer } from './sessions.ts';

// A realistic, deterministic history for the demo: a few hundred leads at companies of every
// kind, visiting the demo site over 90 days (sessions of page views with engagement,
// downloads, forms), reading and clicking nurture emails (some opens made by scanners),
// raising hands, and winning or losing deals.
//
// Pure (no I/O, no clock, no Math.random): the same options give the same events, ids
// included, so benchmarks and tests can reuse it. Every part draws from one random stream, so
// the order of the steps below is part of the result (generate-demo.test.ts fingerprints it).

export type DemoData = {
  /** Every browser-side event, sorted by (ts, id). */
  events: Event[];
  /** Offline facts for POST /v1/track (touchpoints, won/lost outcomes), sorted by time. */
  track: TrackRequest[];
  /** What an enrichment provider would know about each lead. */
  firmographics: Firmographics[];
  leads: number;
  anonymous: number;
};

/** The demo history, as data. Pure: the same options give the same result. */
export function generateDemo(options: DemoOptions): DemoData {
  const settings = resolveDemoOptions(options);
  const g = startGeneration(settings);
  const chooseFirm = firmChooser(g.r, makeFirms(g.r, settings.leads));
  const play = sessionPlayer(g);

  anonymousVisitors(g, play);

  const firmographics: Firmographics[] = [];
  const usedEmails = new Set<string>();
  for (let i = 0; i < settings.leads; i++) {
    const drawn = drawLead(g.r, chooseFirm, usedEmails);
    firmographics.push(drawn.firmographics);
    const identifiedAt = playLeadJourney(g, play, drawn.lead);
    nurtureEmails(g, play, drawn.lead, identifiedAt);
  }

  g.events.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  g.track.sort((a, b) => (a.outcome?.at ?? a.touchpoint!.at) - (b.outcome?.at ?? b.touchpoint!.at));
  return { events: g.events, track: g.track, firmographics, leads: settings.leads, anonymous: settings.anonymous };
}
