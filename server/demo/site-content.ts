// What the demo site (Northwind Analytics, served from site/) offers a visitor, as the
// generated events describe it: its pages, the forms and their fields, the tagged calls to
// action, the downloads, and where visitors come from.

export const PAGES = {
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
export type PageName = keyof typeof PAGES;
export type Page = (typeof PAGES)[PageName];

export type FormName = 'whitepaper' | 'contact-sales' | 'demo-request' | 'job-alerts';

/** Each form's fields and the page it is on. */
export const FORMS: Record<FormName, { fields: readonly string[]; page: PageName }> = {
  whitepaper: { fields: ['email', 'name', 'company', 'job_title'], page: 'whitepaper' },
  'contact-sales': { fields: ['email', 'name', 'company', 'team_size', 'message'], page: 'contact' },
  'demo-request': { fields: ['email', 'name', 'company', 'job_title', 'preferred_time'], page: 'demo' },
  'job-alerts': { fields: ['email', 'name'], page: 'careers' },
};

export type CtaName = 'pricing-cta' | 'enterprise-cta' | 'demo-cta';

/** The tagged buttons: their text and the weight their tag carries. */
export const CTAS: Record<CtaName, { text: string; weight: number }> = {
  'pricing-cta': { text: 'Talk to us', weight: 15 },
  'enterprise-cta': { text: 'Contact sales', weight: 20 },
  'demo-cta': { text: 'Book a demo', weight: 10 },
};

export type DownloadName = 'case-study' | 'whitepaper';

export const DOWNLOADS: Record<DownloadName, { file: string; linkText: string }> = {
  'case-study': { file: '/files/case-study-northwind-logistics.pdf', linkText: 'Download the case study (PDF)' },
  whitepaper: { file: '/files/whitepaper-account-scoring.pdf', linkText: 'Download the whitepaper (PDF)' },
};

export type Utm = { source: string; medium: string; campaign?: string };
/** Where a session comes from: a referrer, campaign tags, both, or neither (typed in). */
export type Source = { referrer?: string; utm?: Utm };

/** Sources of a session that does not come from one of our emails, with their weights. */
export const SOURCES: readonly (readonly [Source, number])[] = [
  [{ referrer: 'https://www.google.com/' }, 35],
  [{}, 20],
  [{ referrer: 'https://www.linkedin.com/', utm: { source: 'linkedin', medium: 'paid', campaign: 'q-account-scoring' } }, 12],
  [{ referrer: 'https://duckduckgo.com/' }, 8],
  [{ utm: { source: 'g2', medium: 'referral' } }, 6],
];
