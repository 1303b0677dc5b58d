import { MatchPattern } from 'wxt/utils/match-patterns';
import type { DropReason, DroppedAddress, FoundLead, FoundRole, PageLeads, SiteId } from '../../shared/contracts/messages.ts';
import { generic } from './generic.ts';
import { gmail } from './gmail.ts';
import { hubspot } from './hubspot.ts';
import { noiseReason } from './noise.ts';
import { outlook } from './outlook.ts';
import { pipedrive } from './pipedrive.ts';
import { salesforce } from './salesforce.ts';
import type { Site } from './site.ts';

/** Named sites first; `generic` is the fallback for origins the rep enabled. */
export const SITES: readonly Site[] = [gmail, outlook, hubspot, salesforce, pipedrive, generic];

export function siteById(id: SiteId): Site {
  return SITES.find((s) => s.id === id) ?? generic;
}

export function siteFor(url: string): Site {
  return SITES.find((s) => s.id !== 'generic' && s.matches.some((m) => new MatchPattern(m).includes(url))) ?? generic;
}

const ROLE_ORDER: Record<FoundRole, number> = { record: 0, sender: 1, recipient: 2, mention: 3 };

export type Ranked = { leads: FoundLead[]; dropped: DroppedAddress[] };

/**
 * The leads worth showing, most relevant first: by role (a record's subject, a thread's
 * sender, then recipients, then mentions), then page order; duplicates merged. What is not
 * a lead is listed in `dropped` with why: the rep's own addresses, colleagues' (workspace
 * domains and their subdomains), role mailboxes, mailing lists and automated senders.
 */
export function rankLeads(leads: readonly FoundLead[], self: readonly string[], workspaceDomains: readonly string[]): Ranked {
  const mine = new Set(self.map((e) => e.toLowerCase()));
  const own = workspaceDomains.map((d) => d.toLowerCase().replace(/^@/, '')).filter(Boolean);
  const reasonFor = (email: string): DropReason | undefined => {
    if (mine.has(email)) return 'self';
    const domain = email.slice(email.lastIndexOf('@') + 1);
    if (own.some((d) => domain === d || domain.endsWith(`.${d}`))) return 'colleague';
    return noiseReason(email);
  };
  const best = new Map<string, { lead: FoundLead; index: number }>();
  const dropped = new Map<string, DroppedAddress>();
  leads.forEach((l, index) => {
    const email = l.email.toLowerCase();
    const reason = reasonFor(email);
    if (reason) {
      if (!dropped.has(email)) dropped.set(email, { email, reason });
      return;
    }
    const prev = best.get(email);
    if (!prev || ROLE_ORDER[l.role] < ROLE_ORDER[prev.lead.role]) best.set(email, { lead: { ...l, email, name: l.name ?? prev?.lead.name }, index: prev?.index ?? index });
  });
  const ranked = [...best.values()]
    .sort((a, b) => ROLE_ORDER[a.lead.role] - ROLE_ORDER[b.lead.role] || a.index - b.index)
    .map(({ lead }) => (lead.name === undefined ? { email: lead.email, role: lead.role } : lead));
  return { leads: ranked.slice(0, 100), dropped: [...dropped.values()].slice(0, 100) };
}

/** Runs a site's finder on a document and ranks the result. */
export function findOnPage(site: Site, doc: Document, url: string, workspaceDomains: readonly string[] = [], self: readonly string[] = []): PageLeads {
  const found = site.find(doc, new URL(url));
  const mine = [...new Set([...found.self, ...self].map((e) => e.toLowerCase()))].slice(0, 10);
  const { leads, dropped } = rankLeads(found.leads, mine, workspaceDomains);
  return {
    site: site.id,
    url,
    leads,
    self: mine,
    expected: found.expected ?? false,
    dropped,
    ...(found.region ? { region: found.region.slice(0, 300) } : {}),
    ...(found.domain ? { domain: found.domain } : {}),
  };
}
