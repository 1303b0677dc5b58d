import type { Event } from '../../shared/contracts/event.ts';
import type { DemoRandom } from './demo-random.ts';
import type { Generation } from './generation.ts';
import { CTAS, type CtaName, DOWNLOADS, type DownloadName, FORMS, type FormName, type Page, PAGES, type PageName, SOURCES, type Source } from './site-content.ts';

// A visit to the demo site as the snippet would report it: each step of a session becomes its
// events (a page view and its engagement, a download, a tagged click, a form and the identify
// it causes), spaced by the time a person takes.

/** One browser: the anonymous id the snippet keeps in its cookie. */
export type Visitor = { anon: string };

export const newVisitor = (r: DemoRandom): Visitor => ({ anon: `a-${r.hex(16)}` });

/** What a lead types into a form (only the fields the form has are sent). */
export type FormTraits = { email: string; name: string; company?: string; jobTitle?: string };

export type Step =
  | { page: PageName }
  | { download: DownloadName }
  | { click: CtaName }
  | { form: FormName; identify?: boolean };

/** Plays a session from `at`; returns the time it ends. */
export type PlaySession = (visitor: Visitor, at: number, steps: readonly Step[], traits?: FormTraits, source?: Source) => number;

/** Session ids are numbered across the whole generation, so one writer serves it all. */
export function sessionPlayer(g: Generation): PlaySession {
  const { r, events, id, clamp } = g;
  const { site, origin } = g.settings;
  let sessionNo = 0;
  return (visitor, at, steps, traits, source) => {
    const sessionId = `s${(++sessionNo).toString(36)}${r.hex(8)}`;
    const src = source ?? r.weighted(SOURCES);
    let t = clamp(at);
    let page: Page = PAGES.home;
    let first = true;
    const base = () => ({ site, anonymousId: visitor.anon, sessionId });
    for (const step of steps) {
      if ('page' in step) {
        page = PAGES[step.page];
        const pv = id(t);
        const e: Event = { id: pv, type: 'page_view', ts: t, ...base(), url: origin + page.path, title: page.title };
        // The referrer and campaign tags belong to a session's landing page only.
        if (first && src.referrer) e.referrer = src.referrer;
        if (first && src.utm) e.utm = { ...src.utm };
        if ('weight' in page) e.weight = page.weight;
        if ('tags' in page) e.tags = [...page.tags];
        events.push(e);
        first = false;
        // People read pricing and case studies for longer.
        const engagedMs = r.int(page === PAGES.pricing || page === PAGES.caseStudy ? 40 : 8, page === PAGES.pricing ? 240 : 150) * 1000;
        t = clamp(t + engagedMs + r.int(2, 20) * 1000);
        events.push({ id: id(t), type: 'engagement', ts: t, ...base(), url: origin + page.path, pageViewId: pv, engagedMs });
        t = clamp(t + r.int(1, 8) * 1000);
      } else if ('download' in step) {
        const { file, linkText } = DOWNLOADS[step.download];
        events.push({ id: id(t), type: 'download', ts: t, ...base(), url: origin + page.path, title: page.title, fileUrl: origin + file, linkText });
        t = clamp(t + r.int(3, 30) * 1000);
      } else if ('click' in step) {
        const { text, weight } = CTAS[step.click];
        events.push({ id: id(t), type: 'click', ts: t, ...base(), url: origin + page.path, title: page.title, selector: `a[data-leadglow-tag="${step.click}"]`, text, weight, tags: [step.click] });
        t = clamp(t + r.int(1, 5) * 1000);
      } else {
        const form = FORMS[step.form];
        const fpage = PAGES[form.page];
        events.push({ id: id(t), type: 'form_submit', ts: t, ...base(), url: origin + fpage.path, title: fpage.title, formId: step.form, fields: [...form.fields] });
        if (traits && step.identify !== false) {
          const jobTitle = form.fields.includes('job_title') ? traits.jobTitle : undefined;
          const company = form.fields.includes('company') ? traits.company : undefined;
          events.push({ id: id(t + 1), type: 'identify', ts: t + 1, ...base(), url: origin + fpage.path, title: fpage.title, source: 'form', traits: { email: traits.email, name: traits.name, ...(company ? { company } : {}), ...(jobTitle ? { jobTitle } : {}) } });
        }
        t = clamp(t + r.int(10, 60) * 1000);
      }
    }
    return t;
  };
}
