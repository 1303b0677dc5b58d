import type { Event, FormIntent } from '../../../shared/contracts/event.ts';
import { FORM_INTENTS } from '../../../shared/contracts/event.ts';
import type { Model } from '../../../shared/contracts/model.ts';
import { uuidv7 } from '../../../shared/ids.ts';
import { seededRandom } from '../../../shared/random.ts';
import { compareEvents } from '../../../shared/scoring/interest.ts';
import { defaultModel } from '../../../shared/scoring/default-model.ts';
import { makeModel } from './make-model.ts';

// Deterministic inputs for the engine's golden hash and for checking a faster path against
// the plain one: histories over every event type and every condition a rule can test, in the
// shapes events really arrive in (optional fields present or absent, machine opens, weights,
// tags in any case), scored by the starter model and by a model that uses every rule feature.

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
const ORIGINS = ['https://www.example-saas.com', 'https://example-saas.nl', 'http://shop.example-saas.se'];
const PATHS = [
  '/',
  '/pricing',
  '/Pricing/Enterprise',
  '/nl/prijzen',
  '/sv/priser?plan=team',
  '/blog/why-scoring',
  '/blog/',
  '/product/tour#video',
  '/case-study/acme',
  '/case-studies/bolt',
  '/careers',
  '/careers/engineer',
  '/vacatures',
  '/karriere/jobs',
  '/jobb',
  '/request-a-demo.html',
  '/boka-demo',
  '/contact-us',
  '/kontakta-oss',
  '/docs/api?q=demo',
];
const FILES = ['/files/whitepaper.pdf', '/files/WhitePaper-2026.PDF', '/files/price-list.xlsx', '/files/%E2%82%AC-guide.pdf', '/files/'];
const SELECTORS = ['#buy', 'button.cta', 'a[href="/demo"]', '#nav > a:nth-child(3)'];
const FORMS = ['demo-request', 'contact-sales', 'newsletter', 'job-apply', 'form#search', 'hubspot-form-1'];
const TAGS = ['pricing', 'Hand-Raise', 'hand-raise', 'docs', 'PRICING'];
const CUSTOM = ['webinar', 'trade_fair', 'unsubscribe', 'signup'];
const CAMPAIGNS = ['spring-launch', 'nurture-3'];

/** A model with every rule feature: each condition, repeat policy, caps, steady and negative points, weights, overrides. */
export const featureModel: Model = makeModel({
  id: 'features',
  version: 3,
  halfLifeDays: 7,
  interestRules: [
    { id: 'pricing', label: 'Pricing', when: { types: ['page_view'], path: '*/pricing*' }, points: 12, repeat: { everyDays: 2 }, cap: 30 },
    { id: 'any-page', label: { en: 'Any page', nl: 'Elke pagina' }, when: { types: ['page_view', 'engagement'] }, points: 1, cap: 9 },
    { id: 'blog', label: 'Blog', when: { path: '/blog/*' }, points: 2, repeat: 'every' },
    { id: 'demo-url', label: 'Demo URL', when: { urlRegex: '/(request-a-)?demo|boka-demo' }, points: 7, repeat: 'once' },
    { id: 'pdf', label: 'PDF', when: { types: ['download'], file: '*.pdf' }, points: 6, cap: 18 },
    { id: 'wp', label: 'Whitepaper', when: { file: '*white*paper*' }, points: 9, decays: false },
    { id: 'buy-click', label: 'Buy', when: { selector: '#buy' }, points: 4, repeat: { everyDays: 0.5 } },
    { id: 'tag-pricing', label: 'Tagged pricing', when: { tag: 'pricing' }, points: 3 },
    { id: 'weighted', label: 'Weighted', when: { tagged: true }, points: 2, maxEventWeight: 20, cap: 40 },
    { id: 'weighted-steady', label: 'Weighted steady', when: { tagged: true, types: ['click'] }, points: 2, maxEventWeight: 5, decays: false },
    { id: 'demo-form', label: 'Demo form', when: { formId: 'demo-request' }, points: 20, repeat: 'once' },
    { id: 'sales-intent', label: 'Sales intent', when: { intent: ['demo', 'contact', 'quote'] }, points: 10, cap: 25 },
    { id: 'webinar', label: 'Webinar', when: { name: 'webinar' }, points: 15 },
    { id: 'campaign', label: 'Campaign', when: { campaign: 'spring-launch' }, points: 2, cap: 6 },
    { id: 'any-open', label: 'Opens', when: { types: ['email_open'] }, points: 1 },
    { id: 'click-mail', label: 'Email clicks', when: { types: ['email_click'], path: '*/pricing*' }, points: 5 },
    { id: 'identified', label: 'Identified', when: { types: ['identify'] }, points: 4, repeat: 'once', decays: false },
  ],
  negativeRules: [
    { axis: 'interest', rule: { id: 'careers-only', kind: 'onlyVisited', label: 'Careers only', path: '*/careers*', points: -20 } },
    { axis: 'interest', rule: { id: 'jobs-only', kind: 'onlyVisited', label: 'Jobs only', path: '*/jobb*', points: -10 } },
    { axis: 'interest', rule: { id: 'job-form', label: 'Applied', when: { intent: ['job'] }, points: -30, repeat: 'once', decays: false } },
    { axis: 'interest', rule: { id: 'unsub', label: 'Unsubscribed', when: { name: 'unsubscribe' }, points: -25, repeat: 'once', decays: false } },
    { axis: 'interest', rule: { id: 'docs', label: 'Docs', when: { types: ['page_view'], tag: 'docs' }, points: -3, cap: 6 } },
  ],
  caps: { interestMax: 150, interestFloor: -20 },
  handRaise: [
    { id: 'sales-form', label: 'Asked for sales', when: { types: ['form_submit'], intent: ['demo', 'contact'] } },
    { id: 'hand-tag', label: { en: 'Raised a hand', sv: 'Räckte upp handen' }, when: { types: ['form_submit', 'click'], tag: 'hand-raise' } },
    { id: 'demo-page', label: 'Demo page', when: { types: ['page_view'], urlRegex: 'demo' } },
  ],
  formIntents: [
    { formId: 'hubspot-form-1', intent: 'quote' },
    { formId: 'form#search', intent: 'other' },
  ],
});

export const GOLDEN_MODELS: readonly Model[] = [defaultModel, featureModel];

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** One event at `ts` of a type drawn from `random`, with optional fields present or not. */
export function randomEvent(random: () => number, ts: number, lead: number, n: number): Event {
  const id = uuidv7(ts, (b) => {
    b.fill(0);
    b[10] = (lead >>> 8) & 255;
    b[11] = lead & 255;
    b[12] = (n >>> 8) & 255;
    b[13] = n & 255;
    return b;
  });
  const origin = pick(random, ORIGINS);
  const url = `${origin}${pick(random, PATHS)}`;
  const base = { id, ts, site: 'golden', anonymousId: `anon-${lead}`, sessionId: `s-${lead}-${Math.floor(n / 8)}` };
  const extras: { title?: string; weight?: number; tags?: string[] } = {};
  if (random() < 0.5) extras.title = `Page ${n}`;
  if (random() < 0.15) extras.weight = Math.round((random() * 200 - 100) * 10) / 10;
  if (random() < 0.2) extras.tags = [pick(random, TAGS), ...(random() < 0.3 ? [pick(random, TAGS)] : [])];
  const r = random();
  if (r < 0.45) return { ...base, type: 'page_view', url, ...extras };
  if (r < 0.52) return { ...base, type: 'engagement', url, pageViewId: id, engagedMs: Math.floor(random() * 300_000), ...extras };
  if (r < 0.6) return { ...base, type: 'download', url, fileUrl: `${origin}${pick(random, FILES)}`, ...extras };
  if (r < 0.68) {
    const intent: FormIntent | undefined = random() < 0.8 ? pick(random, FORM_INTENTS) : undefined;
    return {
      ...base,
      type: 'form_submit',
      url,
      formId: pick(random, FORMS),
      fields: ['email'],
      ...(intent ? { intent } : {}),
      ...(intent && random() < 0.7 ? { intentSignal: { source: 'button' as const, text: `Send ${intent}` } } : {}),
      ...extras,
    };
  }
  if (r < 0.76) return { ...base, type: 'click', url, selector: pick(random, SELECTORS), ...(random() < 0.5 ? { text: 'Buy now' } : {}), ...extras };
  if (r < 0.79) return { ...base, type: 'identify', url, traits: { email: `lead${lead}@acme.example` }, source: 'form', ...extras };
  const campaign = random() < 0.6 ? { campaign: pick(random, CAMPAIGNS) } : {};
  const machine = random() < 0.3 ? { machine: random() < 0.6 } : {};
  if (r < 0.87) return { ...base, type: 'email_open', messageId: `m${lead}`, ...campaign, ...machine };
  if (r < 0.94) return { ...base, type: 'email_click', messageId: `m${lead}`, target: url, ...campaign, ...machine };
  return { ...base, type: 'custom', url, name: pick(random, CUSTOM), ...extras };
}

/** `leads` histories of 0 to `maxEvents` events each, sorted in (ts, id) order, from a fixed seed. */
export function goldenHistories(leads = 300, maxEvents = 40, seed = 20260302): Event[][] {
  const random = seededRandom(seed);
  const out: Event[][] = [];
  for (let lead = 0; lead < leads; lead++) {
    const count = Math.floor(random() * (maxEvents + 1));
    const events: Event[] = [];
    for (let n = 0; n < count; n++) {
      // Some events share a timestamp, so the id decides their order.
      const ts = T0 + (random() < 0.1 && events.length > 0 ? events[events.length - 1]!.ts : Math.floor(random() * 60 * DAY));
      events.push(randomEvent(random, ts, lead, n));
    }
    out.push(events.sort(compareEvents));
  }
  return out;
}

/** Read times for the histories: before, inside and long after them. */
export const GOLDEN_READ_TIMES: readonly number[] = [T0 - DAY, T0 + 30 * DAY, T0 + 61 * DAY, T0 + 400 * DAY];
