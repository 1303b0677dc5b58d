import { DAY, type Generation, MIN } from './generation.ts';
import type { DemoLead } from './people.ts';
import { PAGES } from './site-content.ts';
import type { PlaySession } from './sessions.ts';

// Nurture emails after a lead's first form, every 10 to 18 days: opens (some made by mail
// scanners in front of business addresses, marked machine-made and not scored), and clicks
// that bring the lead back to the site.

const CAMPAIGNS = ['Nurture 1: account scoring basics', 'Webinar invitation: forecasting', 'Customer story: Northwind Logistics', 'Product update: alerts', 'Nurture 2: pricing your pipeline', 'Quarterly newsletter'];

export function nurtureEmails(g: Generation, play: PlaySession, lead: DemoLead, identifiedAt: number): void {
  // Job seekers signed up for job alerts, not for the nurture track.
  if (lead.archetype === 'job-seeker' || identifiedAt <= 0) return;
  const { r, latest, events, id, clamp } = g;
  const { site, origin } = g.settings;
  const engage = lead.archetype === 'browser' || lead.archetype === 'student' || lead.archetype === 'dormant' ? 0.3 : 0.55;
  const scanner = lead.business && r.chance(0.2);
  for (let sent = identifiedAt + r.int(2, 6) * DAY, k = 0; sent < latest; sent += r.int(10, 18) * DAY, k++) {
    const campaign = CAMPAIGNS[k % CAMPAIGNS.length]!;
    const messageId = `m-${k}-${r.hex(10)}`;
    const mail = { site, anonymousId: lead.visitor.anon, sessionId: `email-${messageId}`, messageId, campaign };
    // A scanner opens every message seconds after it arrives, whether the lead reads it or not.
    if (scanner) events.push({ id: id(sent + 4000), type: 'email_open', ts: sent + 4000, ...mail, machine: true });
    if (!r.chance(engage)) continue;
    const openAt = clamp(sent + r.int(20, 36 * 60) * MIN);
    events.push({ id: id(openAt), type: 'email_open', ts: openAt, ...mail });
    if (r.chance(0.35) && openAt + 2 * MIN < latest) {
      const target = r.pick(['caseStudy', 'product', 'pricing', 'blog'] as const);
      const at = openAt + MIN;
      events.push({ id: id(at), type: 'email_click', ts: at, ...mail, target: `${origin}${PAGES[target].path}?utm_source=email&utm_medium=email` });
      play(lead.visitor, at + 5000, [{ page: target }], undefined, { utm: { source: 'email', medium: 'email', campaign } });
    }
  }
}
