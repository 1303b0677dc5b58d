import type { Company } from '../../shared/contracts/lead.ts';
import { type Archetype, closesDeal } from './archetypes.ts';
import type { DemoRandom } from './demo-random.ts';

// The demo's companies: a pool of firms of every industry, size and country, skewed so some
// accounts have several leads, and a chooser that gives won deals to firms that fit.

export type Firm = Company & { domain: string; name: string; country: string };

const PREFIX = ['Acme', 'Blue', 'Cedar', 'Delta', 'Ember', 'Fjord', 'Granite', 'Harbor', 'Iris', 'Juniper', 'Kestrel', 'Lumen', 'Maple', 'Nimbus', 'Orbit', 'Pioneer', 'Quartz', 'Ridge', 'Summit', 'Tidal', 'Umbra', 'Vertex', 'Willow', 'Zenith', 'Atlas', 'Beacon', 'Cobalt', 'Drift', 'Evergreen', 'Falcon'];
const SUFFIX: Record<string, readonly string[]> = {
  software: ['Software', 'Labs', 'Cloud', 'Systems'],
  saas: ['HQ', 'App', 'Stack', 'Platform'],
  'it services': ['IT', 'Consulting', 'Digital'],
  'financial services': ['Capital', 'Bank', 'Finance', 'Insurance'],
  manufacturing: ['Manufacturing', 'Industries', 'Works', 'Components'],
  'professional services': ['Partners', 'Advisory', 'Group'],
  'e-commerce': ['Shop', 'Store', 'Commerce'],
  healthcare: ['Health', 'Medical', 'Care'],
  logistics: ['Logistics', 'Freight', 'Shipping'],
  retail: ['Retail', 'Outlets', 'Market'],
  education: ['Academy', 'Learning', 'School'],
  hospitality: ['Hotels', 'Hospitality', 'Restaurants'],
  'non-profit': ['Foundation', 'Trust', 'Alliance'],
  government: ['Agency', 'Authority', 'Council'],
};
const INDUSTRIES: readonly (readonly [string, number])[] = [
  ['software', 18], ['saas', 14], ['it services', 8], ['financial services', 9], ['manufacturing', 9], ['professional services', 7], ['e-commerce', 6], ['healthcare', 6],
  ['logistics', 6], ['retail', 5], ['education', 3], ['hospitality', 3], ['non-profit', 3], ['government', 3],
];
/** The industries the starter model scores as a fit (its `target-industry` rule). */
const TARGET_INDUSTRIES = new Set(['software', 'saas', 'it services', 'financial services', 'manufacturing', 'professional services', 'e-commerce', 'healthcare']);

/** Country, weight, and the top-level domain its firms use. */
export const COUNTRIES: readonly (readonly [string, number, string])[] = [
  ['US', 30, 'com'], ['GB', 12, 'co.uk'], ['DE', 10, 'de'], ['NL', 9, 'nl'], ['SE', 6, 'se'], ['FR', 6, 'fr'], ['CA', 6, 'ca'], ['IE', 3, 'ie'], ['DK', 3, 'dk'], ['BE', 3, 'be'],
  ['IN', 5, 'in'], ['BR', 3, 'com.br'], ['AU', 3, 'com.au'], ['SG', 2, 'sg'],
];

/** About one firm per 2.6 leads (at least 20), each with its own domain. */
export function makeFirms(r: DemoRandom, leadCount: number): Firm[] {
  const firms: Firm[] = [];
  const usedDomains = new Set<string>();
  while (firms.length < Math.max(20, Math.round(leadCount / 2.6))) {
    const industry = r.weighted(INDUSTRIES);
    const [country, , tld] = r.weighted(COUNTRIES.map((c) => [c, c[1]] as const));
    const name = `${r.pick(PREFIX)} ${r.pick(SUFFIX[industry]!)}`;
    const domain = `${name.toLowerCase().replace(/[^a-z]+/g, '')}.${tld}`;
    if (usedDomains.has(domain)) continue;
    usedDomains.add(domain);
    // Log-uniform from 5 to 20,000 employees: many small firms, a few large ones.
    const size = Math.round(Math.exp(Math.log(5) + r.next() * (Math.log(20_000) - Math.log(5))));
    const revenue = Math.round((size * r.int(60, 320) * 1000) / 10_000) * 10_000;
    firms.push({ domain, name, industry, size, revenue, country });
  }
  return firms;
}

/** How well a firm fits the starter model's profile: 0, 1 or 2. */
const fitness = (f: Firm) => (f.size !== undefined && f.size >= 50 && f.size <= 5000 ? 1 : 0) + (f.industry !== undefined && TARGET_INDUSTRIES.has(f.industry) ? 1 : 0);

/**
 * The firm a lead of this archetype works at. Draws favour the start of the pool, so some
 * accounts have several leads. Deals are won more often by companies that fit and lost more
 * often by those that do not, so reports and predictive scoring have a real signal.
 */
export function firmChooser(r: DemoRandom, firms: readonly Firm[]): (archetype: Archetype) => Firm {
  const any = () => firms[Math.floor(Math.pow(r.next(), 1.6) * firms.length)]!;
  return (archetype) => {
    if (!closesDeal(archetype)) return any();
    const draws = [any(), any(), any()].sort((a, b) => fitness(b) - fitness(a));
    return archetype === 'customer' ? draws[0]! : draws[2]!;
  };
}
