import type { Archetype } from './archetypes.ts';
import { closesDeal } from './archetypes.ts';
import { browse, research } from './browsing.ts';
import type { DemoRandom } from './demo-random.ts';
import { DAY, type Generation, MIN } from './generation.ts';
import { dealOutcome, offlineTouchpoint } from './outcomes.ts';
import type { DemoLead } from './people.ts';
import type { PlaySession, Step } from './sessions.ts';

// Each archetype's story on the site, from its first visit: when it starts, the sessions, the
// form that identifies the lead, and for buyers the hand-raise and the deal's outcome.

/** Plays the lead's story; returns when the lead first identified itself (0 if never). */
export function playLeadJourney(g: Generation, play: PlaySession, lead: DemoLead): number {
  const from = storyStart(g.r, lead.archetype, g.settings.now, g.settings.days);
  switch (lead.archetype) {
    case 'browser':
    case 'student':
      return readerStory(g, play, lead, from);
    case 'job-seeker':
      return jobSeekerStory(g, play, lead, from);
    case 'evaluator':
    case 'dormant':
    case 'hand-raiser':
    case 'customer':
    case 'lost':
      return buyerStory(g, play, lead, from);
  }
}

/**
 * Deals that close started long enough ago to close; dormant leads went quiet long ago;
 * most evaluations are recent, so the hot list has something to show. Stories start in
 * working hours (08:00 to 18:00 UTC).
 */
function storyStart(r: DemoRandom, archetype: Archetype, now: number, days: number): number {
  let from: number;
  if (closesDeal(archetype)) from = now - r.int(50, days - 2) * DAY;
  else if (archetype === 'dormant') from = now - r.int(60, days - 2) * DAY;
  else if (archetype === 'evaluator' || archetype === 'hand-raiser') from = now - (r.chance(0.7) ? r.int(2, 25) : r.int(26, days - 2)) * DAY;
  else from = now - r.int(1, days - 2) * DAY;
  return from + r.int(8 * 60, 18 * 60) * MIN - (from % DAY);
}

/** One to five days and up to eight hours between sessions. */
const gap = (r: DemoRandom) => r.int(1, 5) * DAY + r.int(0, 8 * 60) * MIN;

/** Browsers and students: a look around, then the whitepaper for their email address. */
function readerStory(g: Generation, play: PlaySession, lead: DemoLead, from: number): number {
  const { r } = g;
  let t = play(lead.visitor, from, browse(r)) + gap(r);
  t = play(lead.visitor, t, [{ page: r.pick(['blog', 'home'] as const) }, { page: 'whitepaper' }, { form: 'whitepaper' }, { download: 'whitepaper' }], lead.traits);
  const identifiedAt = t;
  if (r.chance(0.4)) play(lead.visitor, t + gap(r), browse(r));
  return identifiedAt;
}

/** Job seekers: the careers page twice, then job alerts. */
function jobSeekerStory(g: Generation, play: PlaySession, lead: DemoLead, from: number): number {
  const t = play(lead.visitor, from, [{ page: 'careers' }]) + gap(g.r);
  return play(lead.visitor, t, [{ page: 'careers' }, { form: 'job-alerts' }], lead.traits);
}

/**
 * Buyers research, download the whitepaper and come back. Hand-raisers, customers and lost
 * deals then ask for a demo or contact sales, and customers' and lost deals' outcomes follow;
 * some evaluators and hand-raisers also meet us at a webinar or a fair.
 */
function buyerStory(g: Generation, play: PlaySession, lead: DemoLead, from: number): number {
  const { r, latest } = g;
  const { archetype, visitor, traits, email } = lead;
  let t = play(visitor, from, research(r)) + gap(r);
  if (r.chance(0.5)) t = play(visitor, t, research(r)) + gap(r);
  t = play(visitor, t, [{ page: 'whitepaper' }, { form: 'whitepaper' }, { download: 'whitepaper' }, ...(r.chance(0.5) ? [{ page: 'pricing' } as const] : [])], traits) + gap(r);
  const identifiedAt = t;
  for (let n = archetype === 'dormant' ? r.int(0, 1) : r.int(1, 3); n > 0; n--) t = play(visitor, t, research(r)) + gap(r);
  if (archetype !== 'evaluator' && archetype !== 'dormant') {
    const raise: Step[] = r.chance(0.6) ? [{ page: 'pricing' }, { click: 'demo-cta' }, { page: 'demo' }, { form: 'demo-request' }] : [{ page: 'pricing' }, { click: 'enterprise-cta' }, { page: 'contact' }, { form: 'contact-sales' }];
    const raisedAt = t;
    play(visitor, t, raise, traits);
    if (closesDeal(archetype)) {
      const at = dealOutcome(g, email, archetype === 'customer' ? 'won' : 'lost', raisedAt);
      // Some customers come back after buying, to read up on the product.
      if (archetype === 'customer' && r.chance(0.5)) play(visitor, Math.min(latest, at + r.int(2, 10) * DAY), [{ page: 'product' }, { page: 'blog' }]);
    }
  }
  if ((archetype === 'evaluator' || archetype === 'hand-raiser') && r.chance(0.2)) offlineTouchpoint(g, email, from);
  return identifiedAt;
}
