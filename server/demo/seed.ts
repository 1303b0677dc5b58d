import type { TrackRequest } from '../../shared/contracts/admin.ts';
import type { Event } from '../../shared/contracts/event.ts';
import type { Company, LeadProfile } from '../../shared/contracts/lead.ts';
import { uuidv7 } from '../../shared/ids.ts';
import { seededRandom } from '../../shared/random.ts';
import type { OpenDatabase } from '../db/open.ts';
import { leadRows, rescoreLead, storedScores } from '../scoring/lead-scores.ts';
import { loadLiveModels } from '../scoring/live-models.ts';

// A realistic, deterministic history for the demo: a few hundred leads at companies of every
// kind, visiting the demo site over 90 days (sessions of page views with engagement,
// downloads, forms), reading and clicking nurture emails (some opens made by scanners),
// raising hands, and winning or losing deals.
//
// `generateDemo` is pure (no I/O, no clock, no Math.random): the same options give the same
// events, ids included, so benchmarks can reuse it. `seedDemo` sends it through the real
// ingest path (POST /v1/events with the site key and the demo site's Origin, batches of at
// most 100) and POST /v1/track, so every score is the server's own. Firmographics (industry,
// size, revenue, country) have no API yet: seedDemo writes them as an enrichment provider
// or CRM sync would, then rescores those leads.

const DAY = 86_400_000;
const MIN = 60_000;

export type DemoOptions = {
  /** PRNG seed (default 1). */
  seed?: number;
  /** Identified leads (default 300). */
  leads?: number;
  /** Visitors who never fill in a form (default 40% of leads). */
  anonymous?: number;
  /** How far back the history goes (default 90). */
  days?: number;
  /** The end of the history, ms (default: required for determinism; seedDemo uses Date.now()). */
  now: number;
  /** The demo site's origin, for event URLs (default http://127.0.0.1:8788). */
  origin?: string;
  /** The site id written in events (default "demo"). */
  site?: string;
};

export type Firmographics = { email: string; company?: Company; country?: string };

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

// --- PRNG ------------------------------------------------------------------------------------

type Rng = {
  next: () => number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  bytes(b: Uint8Array): Uint8Array;
  hex(n: number): string;
};

function rng(seed: number): Rng {
  const next = seededRandom(seed);
  const r: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
    weighted(items) {
      let total = 0;
      for (const [, w] of items) total += w;
      let x = next() * total;
      for (const [v, w] of items) if ((x -= w) < 0) return v;
      return items[items.length - 1]![0];
    },
    bytes(b) {
      for (let i = 0; i < b.length; i++) b[i] = Math.floor(next() * 256);
      return b;
    },
    hex: (n) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join(''),
  };
  return r;
}

// --- the world -------------------------------------------------------------------------------

const FIRST = ['Anna', 'Ben', 'Carla', 'David', 'Elif', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kim', 'Lena', 'Marco', 'Nora', 'Oscar', 'Priya', 'Quinn', 'Rosa', 'Sam', 'Tariq', 'Uma', 'Victor', 'Wen', 'Xavier', 'Yara', 'Zoe', 'Liam', 'Maya', 'Noah', 'Olga', 'Pedro', 'Sofia', 'Tom', 'Emma', 'Lucas', 'Mia', 'Aisha', 'Erik', 'Hanna', 'Jan'];
const LAST = ['de Vries', 'Jansen', 'Smith', 'Müller', 'Johansson', 'Dubois', 'Novak', 'Rossi', 'Garcia', 'Okafor', 'Chen', 'Patel', 'Kowalski', 'Andersen', 'Murphy', "O'Brien", 'Schmidt', 'Bakker', 'Lindqvist', 'Martin', 'Brown', 'Nguyen', 'Haddad', 'Fischer', 'Visser', 'Larsen', 'Moreau', 'Silva', 'Kim', 'Taylor'];
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
const COUNTRIES: readonly (readonly [string, number, string])[] = [
  ['US', 30, 'com'], ['GB', 12, 'co.uk'], ['DE', 10, 'de'], ['NL', 9, 'nl'], ['SE', 6, 'se'], ['FR', 6, 'fr'], ['CA', 6, 'ca'], ['IE', 3, 'ie'], ['DK', 3, 'dk'], ['BE', 3, 'be'],
  ['IN', 5, 'in'], ['BR', 3, 'com.br'], ['AU', 3, 'com.au'], ['SG', 2, 'sg'],
];
const FREE_MAIL = ['gmail.com', 'outlook.com', 'yahoo.com', 'hotmail.com', 'proton.me'];
const UNIVERSITIES = ['stanford.edu', 'mit.edu', 'ox.ac.uk', 'ed.ac.uk', 'umich.edu'];
const TITLES = {
  senior: ['CEO', 'CTO', 'CFO', 'Chief Revenue Officer', 'VP Sales', 'VP Marketing', 'Director of Operations', 'Head of Growth', 'Head of Data', 'Founder', 'Director of Sales Operations'],
  manager: ['Marketing Manager', 'Sales Manager', 'Product Manager', 'Revenue Operations Manager', 'IT Manager', 'Finance Manager'],
  individual: ['Data Analyst', 'Software Engineer', 'Marketing Specialist', 'Account Executive', 'Business Analyst', 'Sales Development Representative', 'Consultant'],
  student: ['Student', 'Marketing Intern', 'MBA Student'],
  other: ['Recruiter', 'Talent Acquisition Partner', 'Freelance Writer'],
} as const;

type Archetype = 'browser' | 'evaluator' | 'hand-raiser' | 'customer' | 'lost' | 'dormant' | 'job-seeker' | 'student';
const ARCHETYPES: readonly (readonly [Archetype, number])[] = [
  ['browser', 27], ['evaluator', 24], ['hand-raiser', 13], ['customer', 9], ['lost', 7], ['dormant', 6], ['job-seeker', 8], ['student', 6],
];

type Firm = Company & { domain: string; name: string; country: string };

const PAGES = {
  home: { path: '/', title: 'Revenue analytics for B2B teams · Northwind Analytics' },
  blog: { path: '/blog/why-lead-scoring', title: 'Why most leads are not ready for sales · Northwind Analytics' },
  product: { path: '/product', title: 'Product tour · Northwind Analytics', tags: ['product'] },
  pricing: { path: '/pricing', title: 'Pricing · Northwind Analytics', weight: 20, tags: ['pricing'] },
  caseStudy: { path: '/case-studies/northwind-logistics', title: 'Case study: Northwind Logistics · Northwind Analytics' },
  whitepaper: { path: '/whitepaper', title: 'Whitepaper: the guide to account scoring · Northwind Analytics' },
  contact: { path: '/contact-sales', title: 'Contact sales · Northwind Analytics' },
  demo: { path: '/demo', title: 'Book a demo · Northwind Analytics', tags: ['demo'] },
  careers: { path: '/careers', title: 'Careers · Northwind Analytics' },
} as const;
type PageName = keyof typeof PAGES;

type Step =
  | { page: PageName }
  | { download: 'case-study' | 'whitepaper' }
  | { click: 'pricing-cta' | 'enterprise-cta' | 'demo-cta' }
  | { form: 'whitepaper' | 'contact-sales' | 'demo-request' | 'job-alerts'; identify?: boolean };

const FORM_FIELDS: Record<string, string[]> = {
  whitepaper: ['email', 'name', 'company', 'job_title'],
  'contact-sales': ['email', 'name', 'company', 'team_size', 'message'],
  'demo-request': ['email', 'name', 'company', 'job_title', 'preferred_time'],
  'job-alerts': ['email', 'name'],
};
const FORM_PAGE: Record<string, PageName> = { whitepaper: 'whitepaper', 'contact-sales': 'contact', 'demo-request': 'demo', 'job-alerts': 'careers' };

const CAMPAIGNS = ['Nurture 1: account scoring basics', 'Webinar invitation: forecasting', 'Customer story: Northwind Logistics', 'Product update: alerts', 'Nurture 2: pricing your pipeline', 'Quarterly newsletter'];
const SOURCES = [
  { w: 35, referrer: 'https://www.google.com/' },
  { w: 20 },
  { w: 12, referrer: 'https://www.linkedin.com/', utm: { source: 'linkedin', medium: 'paid', campaign: 'q-account-scoring' } },
  { w: 8, referrer: 'https://duckduckgo.com/' },
  { w: 6, utm: { source: 'g2', medium: 'referral' } },
] as const;

/** The demo history, as data. Pure: the same options give the same result. */
export function generateDemo(options: DemoOptions): DemoData {
  const r = rng(options.seed ?? 1);
  const now = Math.floor(options.now);
  const days = options.days ?? 90;
  const leadCount = options.leads ?? 300;
  const anonCount = options.anonymous ?? Math.round(leadCount * 0.4);
  const origin = (options.origin ?? 'http://127.0.0.1:8788').replace(/\/+$/, '');
  const site = options.site ?? 'demo';
  const start = now - days * DAY;
  const latest = now - 5 * MIN;
  const events: Event[] = [];
  const track: TrackRequest[] = [];
  const firmographics: Firmographics[] = [];
  const id = (ts: number) => uuidv7(ts, (b) => r.bytes(b));
  const clamp = (t: number) => Math.max(start, Math.min(latest, Math.round(t)));

  // Companies: a skewed pool, so some accounts have several leads.
  const firms: Firm[] = [];
  const usedDomains = new Set<string>();
  for (let i = 0; firms.length < Math.max(20, Math.round(leadCount / 2.6)); i++) {
    const industry = r.weighted(INDUSTRIES);
    const [country, , tld] = r.weighted(COUNTRIES.map((c) => [c, c[1]] as const));
    const name = `${r.pick(PREFIX)} ${r.pick(SUFFIX[industry]!)}`;
    const domain = `${name.toLowerCase().replace(/[^a-z]+/g, '')}.${tld}`;
    if (usedDomains.has(domain)) continue;
    usedDomains.add(domain);
    const size = Math.round(Math.exp(Math.log(5) + r.next() * (Math.log(20_000) - Math.log(5))));
    const revenue = Math.round((size * r.int(60, 320) * 1000) / 10_000) * 10_000;
    firms.push({ domain, name, industry, size, revenue, country });
  }
  const firmFor = () => firms[Math.floor(Math.pow(r.next(), 1.6) * firms.length)]!;
  // Deals are won more often by companies that fit (the profile the starter model scores) and
  // lost more often by those that do not, so reports and predictive scoring have a real signal.
  const fitness = (f: Firm) => (f.size !== undefined && f.size >= 50 && f.size <= 5000 ? 1 : 0) + (f.industry !== undefined && TARGET_INDUSTRIES.has(f.industry) ? 1 : 0);
  const firmOf = (archetype: Archetype): Firm => {
    if (archetype !== 'customer' && archetype !== 'lost') return firmFor();
    const draws = [firmFor(), firmFor(), firmFor()].sort((a, b) => fitness(b) - fitness(a));
    return archetype === 'customer' ? draws[0]! : draws[2]!;
  };

  type Person = { anon: string; sessions: number; archetype?: Archetype };
  let sessionNo = 0;
  function session(p: Person, at: number, steps: Step[], traits?: { email: string; name: string; company?: string; jobTitle?: string }, source?: (typeof SOURCES)[number] | { utm: { source: string; medium: string; campaign: string } }): number {
    const sessionId = `s${(++sessionNo).toString(36)}${r.hex(8)}`;
    const src = source ?? r.weighted(SOURCES.map((s) => [s, s.w] as const));
    let t = clamp(at);
    let page: (typeof PAGES)[PageName] = PAGES.home;
    let first = true;
    const base = () => ({ site, anonymousId: p.anon, sessionId });
    for (const step of steps) {
      if ('page' in step) {
        page = PAGES[step.page];
        const pv = id(t);
        const e: Event = { id: pv, type: 'page_view', ts: t, ...base(), url: origin + page.path, title: page.title };
        if (first && 'referrer' in src && src.referrer) e.referrer = src.referrer;
        if (first && 'utm' in src && src.utm) e.utm = { ...src.utm };
        if ('weight' in page) e.weight = page.weight;
        if ('tags' in page) e.tags = [...page.tags];
        events.push(e);
        first = false;
        const engagedMs = r.int(page === PAGES.pricing || page === PAGES.caseStudy ? 40 : 8, page === PAGES.pricing ? 240 : 150) * 1000;
        t = clamp(t + engagedMs + r.int(2, 20) * 1000);
        events.push({ id: id(t), type: 'engagement', ts: t, ...base(), url: origin + page.path, pageViewId: pv, engagedMs });
        t = clamp(t + r.int(1, 8) * 1000);
      } else if ('download' in step) {
        const file = step.download === 'case-study' ? '/files/case-study-northwind-logistics.pdf' : '/files/whitepaper-account-scoring.pdf';
        const linkText = step.download === 'case-study' ? 'Download the case study (PDF)' : 'Download the whitepaper (PDF)';
        events.push({ id: id(t), type: 'download', ts: t, ...base(), url: origin + page.path, title: page.title, fileUrl: origin + file, linkText });
        t = clamp(t + r.int(3, 30) * 1000);
      } else if ('click' in step) {
        const cta = { 'pricing-cta': ['Talk to us', 15], 'enterprise-cta': ['Contact sales', 20], 'demo-cta': ['Book a demo', 10] } as const;
        const [text, weight] = cta[step.click];
        events.push({ id: id(t), type: 'click', ts: t, ...base(), url: origin + page.path, title: page.title, selector: `a[data-leadglow-tag="${step.click}"]`, text, weight, tags: [step.click] });
        t = clamp(t + r.int(1, 5) * 1000);
      } else {
        const fpage = PAGES[FORM_PAGE[step.form]!];
        events.push({ id: id(t), type: 'form_submit', ts: t, ...base(), url: origin + fpage.path, title: fpage.title, formId: step.form, fields: FORM_FIELDS[step.form]! });
        if (traits && step.identify !== false) {
          const jobTitle = FORM_FIELDS[step.form]!.includes('job_title') ? traits.jobTitle : undefined;
          const company = FORM_FIELDS[step.form]!.includes('company') ? traits.company : undefined;
          events.push({ id: id(t + 1), type: 'identify', ts: t + 1, ...base(), url: origin + fpage.path, title: fpage.title, source: 'form', traits: { email: traits.email, name: traits.name, ...(company ? { company } : {}), ...(jobTitle ? { jobTitle } : {}) } });
        }
        t = clamp(t + r.int(10, 60) * 1000);
      }
    }
    p.sessions++;
    return t;
  }

  const browse = (): Step[] => {
    const s: Step[] = [{ page: r.pick(['home', 'blog', 'blog', 'product'] as const) }];
    for (let i = r.int(0, 2); i > 0; i--) s.push({ page: r.pick(['home', 'blog', 'product', 'careers'] as const) });
    return s;
  };
  const research = (): Step[] => {
    const s: Step[] = [{ page: r.pick(['home', 'blog', 'product'] as const) }];
    if (r.chance(0.7)) s.push({ page: 'product' });
    if (r.chance(0.6)) s.push({ page: 'pricing' });
    if (r.chance(0.25)) s.push({ click: 'pricing-cta' });
    if (r.chance(0.45)) s.push({ page: 'caseStudy' }, ...(r.chance(0.6) ? [{ download: 'case-study' } as const] : []));
    return s;
  };

  // Anonymous visitors: browse, never identify.
  for (let i = 0; i < anonCount; i++) {
    const p: Person = { anon: `a-${r.hex(16)}`, sessions: 0 };
    let t = start + r.next() * (days - 1) * DAY;
    for (let n = r.int(1, 3); n > 0 && t < latest; n--) {
      t = session(p, t, r.chance(0.3) ? research() : browse()) + r.int(1, 12) * DAY;
    }
  }

  const usedEmails = new Set<string>();
  for (let i = 0; i < leadCount; i++) {
    const archetype = r.weighted(ARCHETYPES);
    const p: Person = { anon: `a-${r.hex(16)}`, sessions: 0, archetype };
    const first = r.pick(FIRST);
    const last = r.pick(LAST);
    const name = `${first} ${last}`;
    const local = `${first}.${last}`.toLowerCase().normalize('NFD').replace(/[^a-z.]/g, '');
    const firm = firmOf(archetype);
    let domain: string;
    let jobTitle: string;
    if (archetype === 'student') {
      domain = r.pick(UNIVERSITIES);
      jobTitle = r.pick(TITLES.student);
    } else if (archetype === 'job-seeker') {
      domain = r.pick(FREE_MAIL);
      jobTitle = r.pick([...TITLES.individual, ...TITLES.other]);
    } else {
      domain = r.chance(archetype === 'customer' ? 0.03 : archetype === 'lost' ? 0.2 : 0.1) ? r.pick(FREE_MAIL) : firm.domain;
      const senior = archetype === 'customer' || archetype === 'hand-raiser' ? 0.5 : 0.3;
      jobTitle = r.chance(senior) ? r.pick(TITLES.senior) : r.chance(0.5) ? r.pick(TITLES.manager) : r.chance(0.85) ? r.pick(TITLES.individual) : r.pick(TITLES.other);
    }
    let email = `${local}@${domain}`;
    for (let k = 2; usedEmails.has(email); k++) email = `${local}${k}@${domain}`;
    usedEmails.add(email);
    const business = !FREE_MAIL.includes(domain) && !UNIVERSITIES.includes(domain);
    const traits = { email, name, jobTitle, ...(archetype !== 'job-seeker' && archetype !== 'student' ? { company: firm.name } : {}) };
    firmographics.push(business ? { email, company: { ...firm }, country: firm.country } : { email, country: r.weighted(COUNTRIES.map((c) => [c[0], c[1]] as const)) });

    // When this lead's story happens.
    let from: number;
    if (archetype === 'customer' || archetype === 'lost') from = now - r.int(50, days - 2) * DAY;
    else if (archetype === 'dormant') from = now - r.int(60, days - 2) * DAY;
    else if (archetype === 'evaluator' || archetype === 'hand-raiser') from = now - (r.chance(0.7) ? r.int(2, 25) : r.int(26, days - 2)) * DAY;
    else from = now - r.int(1, days - 2) * DAY;
    from += r.int(8 * 60, 18 * 60) * MIN - (from % DAY);
    const gap = () => r.int(1, 5) * DAY + r.int(0, 8 * 60) * MIN;

    let t = from;
    let identifiedAt = 0;
    const identifyForm = archetype === 'job-seeker' ? 'job-alerts' : 'whitepaper';
    switch (archetype) {
      case 'browser':
      case 'student': {
        t = session(p, t, browse()) + gap();
        t = session(p, t, [{ page: r.pick(['blog', 'home'] as const) }, { page: 'whitepaper' }, { form: 'whitepaper' }, { download: 'whitepaper' }], traits);
        identifiedAt = t;
        if (r.chance(0.4)) t = session(p, t + gap(), browse());
        break;
      }
      case 'job-seeker': {
        t = session(p, t, [{ page: 'careers' }]) + gap();
        t = session(p, t, [{ page: 'careers' }, { form: identifyForm }], traits);
        identifiedAt = t;
        break;
      }
      case 'evaluator':
      case 'dormant':
      case 'hand-raiser':
      case 'customer':
      case 'lost': {
        t = session(p, t, research()) + gap();
        if (r.chance(0.5)) t = session(p, t, research()) + gap();
        t = session(p, t, [{ page: 'whitepaper' }, { form: 'whitepaper' }, { download: 'whitepaper' }, ...(r.chance(0.5) ? [{ page: 'pricing' } as const] : [])], traits) + gap();
        identifiedAt = t;
        for (let n = archetype === 'dormant' ? r.int(0, 1) : r.int(1, 3); n > 0; n--) t = session(p, t, research()) + gap();
        if (archetype !== 'evaluator' && archetype !== 'dormant') {
          const raise: Step[] = r.chance(0.6) ? [{ page: 'pricing' }, { click: 'demo-cta' }, { page: 'demo' }, { form: 'demo-request' }] : [{ page: 'pricing' }, { click: 'enterprise-cta' }, { page: 'contact' }, { form: 'contact-sales' }];
          const raisedAt = t;
          t = session(p, t, raise, traits);
          if (archetype === 'customer' || archetype === 'lost') {
            const at = Math.min(latest, raisedAt + r.int(10, 40) * DAY);
            track.push({ email, outcome: { result: archetype === 'customer' ? 'won' : 'lost', at, ...(archetype === 'customer' ? { value: r.int(6, 90) * 1000 } : {}) } });
            if (archetype === 'customer' && r.chance(0.5)) t = session(p, Math.min(latest, at + r.int(2, 10) * DAY), [{ page: 'product' }, { page: 'blog' }]);
          }
        }
        if ((archetype === 'evaluator' || archetype === 'hand-raiser') && r.chance(0.2)) {
          track.push({ email, touchpoint: { kind: r.chance(0.7) ? 'webinar' : 'trade_fair', at: clamp(from + r.int(1, 20) * DAY), title: r.chance(0.5) ? 'Forecasting with account health' : 'SaaStr Europa booth' } });
        }
        break;
      }
    }

    // Nurture emails after the first form: opens (some by scanners), clicks that bring the lead back.
    if (archetype !== 'job-seeker' && identifiedAt > 0) {
      const engage = archetype === 'browser' || archetype === 'student' || archetype === 'dormant' ? 0.3 : 0.55;
      const scanner = business && r.chance(0.2);
      for (let sent = identifiedAt + r.int(2, 6) * DAY, k = 0; sent < latest; sent += r.int(10, 18) * DAY, k++) {
        const campaign = CAMPAIGNS[k % CAMPAIGNS.length]!;
        const messageId = `m-${k}-${r.hex(10)}`;
        const mail = { site, anonymousId: p.anon, sessionId: `email-${messageId}`, messageId, campaign };
        if (scanner) events.push({ id: id(sent + 4000), type: 'email_open', ts: sent + 4000, ...mail, machine: true });
        if (!r.chance(engage)) continue;
        const openAt = clamp(sent + r.int(20, 36 * 60) * MIN);
        events.push({ id: id(openAt), type: 'email_open', ts: openAt, ...mail });
        if (r.chance(0.35) && openAt + 2 * MIN < latest) {
          const target = r.pick(['caseStudy', 'product', 'pricing', 'blog'] as const);
          const at = openAt + MIN;
          events.push({ id: id(at), type: 'email_click', ts: at, ...mail, target: `${origin}${PAGES[target].path}?utm_source=email&utm_medium=email` });
          session(p, at + 5000, [{ page: target }], undefined, { utm: { source: 'email', medium: 'email', campaign } });
        }
      }
    }
  }

  events.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  track.sort((a, b) => (a.outcome?.at ?? a.touchpoint!.at) - (b.outcome?.at ?? b.touchpoint!.at));
  return { events, track, firmographics, leads: leadCount, anonymous: anonCount };
}

// --- seeding a running server ----------------------------------------------------------------

export type SeedTarget = {
  /** The collector's base URL. */
  url: string;
  db: OpenDatabase;
  /** A site key for the site id the events carry (default "demo"). */
  siteKey: string;
  adminToken: string;
  /** The demo site's origin: sent as Origin and used in event URLs. */
  origin: string;
};

export type SeedResult = { skipped: boolean; existingLeads: number; leads: number; anonymous: number; events: number; tracked: number; days: number; ms: number };

/** Seeds the demo history when the database has no leads yet (`force` seeds anyway). */
export async function seedDemo(target: SeedTarget, options: Partial<DemoOptions> & { force?: boolean } = {}): Promise<SeedResult> {
  const t0 = performance.now();
  const days = options.days ?? 90;
  const existing = await countLeads(target.db);
  if (existing > 0 && !options.force) return { skipped: true, existingLeads: existing, leads: 0, anonymous: 0, events: 0, tracked: 0, days, ms: 0 };
  const data = generateDemo({ ...options, days, now: options.now ?? Date.now(), origin: target.origin });
  const base = target.url.replace(/\/+$/, '');

  for (const batch of batches(data.events)) {
    const res = await fetch(`${base}/v1/events`, {
      method: 'POST',
      // The admin token lets the history's email opens and clicks in (a site key alone may not send them).
      headers: { 'content-type': 'text/plain', 'x-leadglow-key': target.siteKey, origin: target.origin, authorization: `Bearer ${target.adminToken}` },
      body: JSON.stringify({ events: batch, sentAt: Date.now() }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`seeding: POST /v1/events answered ${res.status}: ${text.slice(0, 500)}`);
    const answer = JSON.parse(text) as { accepted: number; duplicates: number; rejected: unknown[] };
    if (answer.rejected.length) throw new Error(`seeding: events rejected: ${JSON.stringify(answer.rejected.slice(0, 3))}`);
  }

  await enrich(target.db, data.firmographics);

  for (const t of data.track) {
    const res = await fetch(`${base}/v1/track`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${target.adminToken}` }, body: JSON.stringify(t) });
    if (!res.ok) throw new Error(`seeding: POST /v1/track answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
  }
  return { skipped: false, existingLeads: existing, leads: data.leads, anonymous: data.anonymous, events: data.events.length, tracked: data.track.length, days, ms: performance.now() - t0 };
}

async function countLeads(db: OpenDatabase): Promise<number> {
  const row = await db.read.selectFrom('leads').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Batches of at most 100 events and well under the 64 KB body limit, in order. */
function* batches(events: readonly Event[]): Generator<Event[]> {
  let batch: Event[] = [];
  let bytes = 0;
  for (const e of events) {
    const size = JSON.stringify(e).length + 1;
    if (batch.length === 100 || bytes + size > 56_000) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(e);
    bytes += size;
  }
  if (batch.length) yield batch;
}

/**
 * Firmographics as an enrichment provider or a CRM sync would add them: company industry,
 * size, revenue and country on the lead's profile, then a rescore (fit changes, interest
 * state is kept). There is no API for this yet, so it writes through the database.
 */
async function enrich(db: OpenDatabase, facts: readonly Firmographics[]): Promise<void> {
  const now = Date.now();
  const { models } = await loadLiveModels(db.write);
  await db.write.transaction().execute(async (trx) => {
    const emails = facts.map((f) => f.email);
    const byEmail = new Map<string, string>();
    for (let i = 0; i < emails.length; i += 500) {
      for (const r of await trx.selectFrom('lead_emails').select(['email', 'lead_id']).where('email', 'in', emails.slice(i, i + 500)).execute()) byEmail.set(r.email, r.lead_id);
    }
    const ids = [...new Set(byEmail.values())];
    const rows = await leadRows(trx, ids);
    const scores = await storedScores(trx, ids);
    for (const f of facts) {
      const leadId = byEmail.get(f.email);
      const row = leadId ? rows.get(leadId) : undefined;
      if (!row) continue;
      const profile = JSON.parse(row.profile) as LeadProfile;
      if (f.country) profile.country ??= f.country;
      if (f.company && profile.company) profile.company = { ...f.company, ...profile.company, domain: profile.company.domain };
      const updated = { ...row, profile: JSON.stringify(profile) };
      await trx.updateTable('leads').set({ profile: updated.profile }).where('id', '=', row.id).execute();
      await rescoreLead(trx, { lead: updated, models, stored: scores.get(row.id) ?? new Map(), newEvents: [], rebuild: false, now });
    }
  });
}
