import { Window } from 'happy-dom';
import type { InspectedForm, InspectReport } from '../../shared/contracts/inspect.ts';
import type { Model } from '../../shared/contracts/model.ts';
import { downloadPattern } from '../../shared/downloads.ts';
import { cssPath, formSubmission } from '../../shared/intent/form-event.ts';
import { compileModel, intentOf } from '../../shared/scoring/compile.ts';
import { pathOf } from '../../shared/scoring/glob.ts';

// `leadglow inspect` and the dashboard's page check: what will Leadglow see on this page? The
// page is parsed with happy-dom (no scripts run, nothing fetched) and read with the snippet's
// own form reader (shared/intent/extract.ts) and the server's classifier, so the answer is the
// one a real visit gives for the same markup. Pages whose forms are drawn by script (HubSpot
// embeds, React apps) show them only once saved from a browser (DevTools: Copy outerHTML).

export type { InspectedForm, InspectReport };
export { cssPath };

/** A parsed page: scripts and styles are never loaded or run. */
export function parsePage(html: string, url: string): Window {
  const window = new Window({
    url,
    settings: {
      disableJavaScriptEvaluation: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
      disableIframePageLoading: true,
      navigation: { disableMainFrameNavigation: true, disableChildFrameNavigation: true, disableChildPageNavigation: true },
    },
  });
  window.document.write(html);
  return window;
}

const clean = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);

/** Inspects one page. `model` decides what counts as a hand-raise (its handRaise rules). */
export function inspectHtml(html: string, url: string, model: Model): InspectReport {
  const window = parsePage(html, url);
  try {
    const doc = window.document as unknown as Document;
    const escape = (s: string) => (window as unknown as { CSS: { escape(s: string): string } }).CSS.escape(s);
    const compiled = compileModel(model);
    const overrides = new Map(model.formIntents.map((o) => [o.formId, o.intent]));
    const forms: InspectedForm[] = [...doc.querySelectorAll('form')].map((form) => {
      const event = formSubmission(form, url, doc.title, escape);
      const path = pathOf(url).toLowerCase();
      const overridden = overrides.has(event.formId);
      return {
        id: event.formId,
        fields: event.fields,
        intent: intentOf(event, overrides),
        ...(overridden ? { signal: { source: 'override' as const, text: event.formId } } : event.intentSignal ? { signal: event.intentSignal } : {}),
        handRaise: compiled.handRaise.some((h) => h.matches(event, path)),
        read: { formName: event.formName, formClass: event.formClass, action: event.action, autocomplete: event.autocomplete, kinds: event.kinds, button: event.button, heading: event.heading },
      };
    });
    const files = downloadPattern();
    const downloads = [...doc.querySelectorAll<HTMLAnchorElement>('a[href]')]
      .filter((a) => /^http/.test(a.protocol) && (a.hasAttribute('download') || files.test(a.pathname)))
      .map((a) => a.href);
    const meta = (n: string) => doc.querySelector<HTMLMetaElement>(`meta[name="leadglow:${n}"]`)?.content;
    const weight = parseFloat(meta('weight') ?? '');
    const metaTags = meta('tags')?.split(',').map((t) => t.trim()).filter(Boolean);
    const tags = [...doc.querySelectorAll<HTMLElement>('[data-leadglow-weight],[data-leadglow-tag]')].map((el) => {
      const w = parseFloat(el.dataset.leadglowWeight ?? '');
      return { selector: cssPath(el, escape), text: clean(el.textContent), ...(w === w ? { weight: w } : {}), ...(el.dataset.leadglowTag ? { tag: el.dataset.leadglowTag } : {}) };
    });
    return {
      url,
      ...(doc.title ? { title: clean(doc.title) } : {}),
      forms,
      downloads,
      meta: { ...(weight === weight ? { weight } : {}), ...(metaTags?.length ? { tags: metaTags } : {}) },
      tags,
    };
  } finally {
    void window.happyDOM.close();
  }
}
