import { MatchPattern } from 'wxt/utils/match-patterns';
import type { FoundLead, FoundRole, PageLeads, SiteId } from '../../shared/contracts/messages.ts';
import { generic } from './generic.ts';
import { gmail } from './gmail.ts';
import { hubspot } from './hubspot.ts';
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

/**
 * The leads worth showing, most relevant first: by role (a record's subject, a thread's
 * sender, then recipients, then mentions), then page order. Drops the rep's own addresses
 * and colleagues' (workspace domains and their subdomains) and duplicates.
 */
export function rankLeads(leads: readonly FoundLead[], self: readonly string[], workspaceDomains: readonly string[]): FoundLead[] {
  const mine = new Set(self.map((e) => e.toLowerCase()));
  const own = workspaceDomains.map((d) => d.toLowerCase().replace(/^@/, ''));
  const isColleague = (email: string) => {
    const domain = email.slice(email.lastIndexOf('@') + 1);
    return own.some((d) => domain === d || domain.endsWith(`.${d}`));
  };
  const best = new Map<string, { lead: FoundLead; index: number }>();
  leads.forEach((l, index) => {
    const email = l.email.toLowerCase();
    if (mine.has(email) || isColleague(email)) return;
    const prev = best.get(email);
    if (!prev || ROLE_ORDER[l.role] < ROLE_ORDER[prev.lead.role]) best.set(email, { lead: { ...l, email, name: l.name ?? prev?.lead.name }, index: prev?.index ?? index });
  });
  return [...best.values()]
    .sort((a, b) => ROLE_ORDER[a.lead.role] - ROLE_ORDER[b.lead.role] || a.index - b.index)
    .map(({ lead }) => (lead.name === undefined ? { email: lead.email, role: lead.role } : lead));
}

/** Runs a site's finder on a document and ranks the result. */
export function findOnPage(site: Site, doc: Document, url: string, workspaceDomains: readonly string[] = []): PageLeads {
  const found = site.find(doc, new URL(url));
  const leads = rankLeads(found.leads, found.self, workspaceDomains);
  return { site: site.id, url, leads, self: found.self, ...(found.domain ? { domain: found.domain } : {}) };
}
