import { HAND_RAISE_INTENTS } from '../contracts/event.ts';
import { Model, type ModelInput } from '../contracts/model.ts';

// /pricing itself is the English rule's (a path glob the dashboard edits as a form).
const PRICING_PATH = '^https?://[^/?#]+(/[^?#]*)?/(prices|plans-and-pricing|prijzen|prijs|tarieven|priser|pris|preise|preis|preisliste)([-_./?#]|$)';
const DEMO_PATH = '^https?://[^/?#]+(/[^?#]*)?/([a-z-]*[-_])?(demo|demos|demonstration|demonstratie|produktdemo)([-_./?#]|$)';
const CONTACT_PATH = '^https?://[^/?#]+(/[^?#]*)?/([a-z-]*[-_])?(contact|kontakt|kontakta|contacteer)([-_./?#]|$)';

/**
 * "B2B starter": the model a new installation begins with, following the brief. Pricing and
 * demo pages weigh most, a form asking for sales (demo, contact, quote, trial, pricing) is a
 * hand-raise, a job application counts against, whitepapers count, email
 * clicks count more than opens; careers-only visits and unsubscribes count against; personal
 * and student addresses lower fit; competitors and own staff are excluded (fill in
 * `ownDomains` and `competitorDomains`). MQL at interest 60 with fit C or better; half-life 30 days.
 */
export const B2B_STARTER: ModelInput = {
  id: 'b2b-starter',
  name: 'B2B starter',
  version: 1,
  description: 'A point-based starting model for a B2B marketing site. Copy it and adjust it with sales.',
  halfLifeDays: 30,
  fitRules: [
    { id: 'senior-title', kind: 'attribute', label: 'Senior decision maker', points: 30, match: { op: 'pattern', attribute: 'jobTitle', regex: '\\b(ceo|cfo|cmo|cto|coo|chief|founder|owner|president|vp|vice president|director|head of)\\b' } },
    { id: 'manager-title', kind: 'attribute', label: 'Manager', points: 15, match: { op: 'pattern', attribute: 'jobTitle', regex: '\\bmanager\\b' } },
    { id: 'target-industry', kind: 'attribute', label: 'Target industry', points: 15, match: { op: 'in', attribute: 'company.industry', values: ['software', 'saas', 'it services', 'financial services', 'manufacturing', 'professional services', 'e-commerce', 'healthcare'] } },
    { id: 'company-size', kind: 'attribute', label: 'Company of 50 to 5,000 people', points: 20, match: { op: 'range', attribute: 'company.size', min: 50, max: 5000 } },
    { id: 'company-revenue', kind: 'attribute', label: 'Revenue of $10M or more', points: 10, match: { op: 'range', attribute: 'company.revenue', min: 10_000_000 } },
    { id: 'service-area', kind: 'attribute', label: 'In our service area', points: 10, match: { op: 'in', attribute: 'country', values: ['US', 'CA', 'GB', 'IE', 'NL', 'BE', 'DE', 'FR', 'SE', 'NO', 'DK', 'FI'] } },
    { id: 'business-email', kind: 'emailDomain', label: 'Business email address', points: 10, class: 'business' },
    { id: 'complete', kind: 'complete', label: 'Name and email known', points: 5, fields: ['email', 'name'] },
  ],
  interestRules: [
    // Page paths in English, Dutch, Swedish and German: /pricing, /prijzen, /priser, /preise;
    // /request-a-demo.html, /get-demo, /demo-aanvragen, /boka-demo, /demo-anfordern; /contact-us,
    // /neem-contact-op, /kontakta-oss, /kontakt. A word of the path, not a substring: not /prisma.
    { id: 'pricing-page', label: 'Visited pricing', when: { types: ['page_view'], path: '*/pricing*' }, points: 15, repeat: { everyDays: 1 }, cap: 45 },
    { id: 'demo-page', label: 'Visited the demo page', when: { types: ['page_view'], urlRegex: DEMO_PATH }, points: 10, repeat: { everyDays: 1 }, cap: 30 },
    { id: 'product-page', label: 'Visited product pages', when: { types: ['page_view'], path: '*/product*' }, points: 5, repeat: 'every', cap: 20 },
    { id: 'case-study', label: 'Read a case study', when: { types: ['page_view'], path: '*/case-stud*' }, points: 8, repeat: 'every', cap: 24 },
    { id: 'blog-post', label: 'Read blog posts', when: { types: ['page_view'], path: '*/blog/*' }, points: 2, repeat: 'every', cap: 10 },
    { id: 'whitepaper', label: 'Downloaded a whitepaper', when: { types: ['download'], file: '*whitepaper*' }, points: 15, repeat: 'every', cap: 30 },
    { id: 'download', label: 'Downloaded a file', when: { types: ['download'] }, points: 8, repeat: 'every', cap: 24 },
    // Job applications, logins and site searches earn nothing; a newsletter is mild interest.
    { id: 'form', label: 'Submitted a form', when: { types: ['form_submit'], intent: ['demo', 'contact', 'quote', 'trial', 'pricing', 'download', 'event', 'other'] }, points: 10, repeat: 'every', cap: 30 },
    { id: 'tagged', label: 'Tagged high-intent page or element', when: { tagged: true }, points: 5, maxEventWeight: 25, repeat: { everyDays: 1 }, cap: 50 },
    { id: 'email-open', label: 'Opened emails', when: { types: ['email_open'] }, points: 1, repeat: 'every', cap: 5 },
    { id: 'email-click', label: 'Clicked emails', when: { types: ['email_click'] }, points: 5, repeat: 'every', cap: 20 },
    { id: 'webinar', label: 'Attended a webinar', when: { types: ['custom'], name: 'webinar' }, points: 15, repeat: 'every', cap: 30 },
    { id: 'trade-fair', label: 'Met at a trade fair', when: { types: ['custom'], name: 'trade_fair' }, points: 10, repeat: 'every', cap: 20 },
    // Added after the rules above so their positions (which the dashboard's tests address) stay.
    { id: 'pricing-page-local', label: 'Visited pricing (prijzen, priser, Preise)', when: { types: ['page_view'], urlRegex: PRICING_PATH }, points: 15, repeat: { everyDays: 1 }, cap: 45 },
    { id: 'contact-page', label: 'Visited the contact page', when: { types: ['page_view'], urlRegex: CONTACT_PATH }, points: 5, repeat: { everyDays: 1 }, cap: 15 },
    { id: 'newsletter', label: 'Subscribed to the newsletter', when: { types: ['form_submit'], intent: ['newsletter'] }, points: 3, repeat: 'once' },
  ],
  negativeRules: [
    { axis: 'fit', rule: { id: 'free-mail', kind: 'emailDomain', label: 'Personal email address', points: -20, class: 'free' } },
    { axis: 'fit', rule: { id: 'student-email', kind: 'emailDomain', label: 'Student or school address', points: -30, class: 'educational' } },
    { axis: 'fit', rule: { id: 'student-title', kind: 'attribute', label: 'Student or intern', points: -30, match: { op: 'pattern', attribute: 'jobTitle', regex: '\\b(student|intern|trainee)\\b' } } },
    { axis: 'fit', rule: { id: 'non-buyer', kind: 'attribute', label: 'Role that does not buy', points: -15, match: { op: 'pattern', attribute: 'jobTitle', regex: '\\b(recruiter|talent|job seeker|retired|freelance writer)\\b' } } },
    { axis: 'fit', rule: { id: 'competitor', kind: 'emailDomain', label: 'Competitor', points: -100, class: 'competitor', excludes: true } },
    { axis: 'fit', rule: { id: 'own-staff', kind: 'emailDomain', label: 'Our own staff', points: -100, class: 'own', excludes: true } },
    { axis: 'interest', rule: { id: 'careers-only', kind: 'onlyVisited', label: 'Only visited the careers pages', path: '*/careers*', points: -20 } },
    { axis: 'interest', rule: { id: 'vacatures-only', kind: 'onlyVisited', label: 'Only visited the careers pages (vacatures)', path: '*/vacature*', points: -20 } },
    { axis: 'interest', rule: { id: 'karriere-only', kind: 'onlyVisited', label: 'Only visited the careers pages (Karriere)', path: '*/karriere*', points: -20 } },
    { axis: 'interest', rule: { id: 'jobb-only', kind: 'onlyVisited', label: 'Only visited the careers pages (jobb)', path: '*/jobb*', points: -20 } },
    { axis: 'interest', rule: { id: 'job-application', label: 'Applied for a job', when: { types: ['form_submit'], intent: ['job'] }, points: -30, repeat: 'once', decays: false } },
    { axis: 'interest', rule: { id: 'unsubscribed', label: 'Unsubscribed from emails', when: { types: ['custom'], name: 'unsubscribe' }, points: -25, repeat: 'once', decays: false } },
  ],
  ownDomains: [],
  competitorDomains: [],
  caps: { interestMax: 200, interestFloor: 0 },
  thresholds: { grades: { A: 75, B: 50, C: 25 }, engaged: 20, mql: { interest: 60, minGrade: 'C' } },
  handRaise: [
    // What the form is for, decided at ingest from its words in en/nl/sv/de (shared/intent/), or
    // set by the marketer in tagging mode (formIntents). The form ids below are the demo site's.
    { id: 'sales-form', label: 'Asked for sales', when: { types: ['form_submit'], intent: [...HAND_RAISE_INTENTS] } },
    { id: 'demo-request', label: 'Requested a demo', when: { types: ['form_submit'], formId: 'demo-request' } },
    { id: 'contact-sales', label: 'Contacted sales', when: { types: ['form_submit'], formId: 'contact-sales' } },
    { id: 'hand-raise-tag', label: 'Raised a hand', when: { types: ['form_submit', 'click'], tag: 'hand-raise' } },
  ],
};

/** The starter model, parsed (defaults filled in). */
export const defaultModel: Model = Model.parse(B2B_STARTER);
