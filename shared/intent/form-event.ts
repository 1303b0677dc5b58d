import { FormSubmitEvent, type EventOf } from '../contracts/event.ts';
import { readForm } from './extract.ts';
import { withIntent } from './index.ts';

// A form on a page as a submission of it would reach scoring: read with the snippet's own
// reader, tidied by the event contract, classified as ingest classifies. `leadglow inspect`,
// the dashboard's page check and tagging mode's hand-raise control all ask this, so what they
// show is what a real visit gives for the same markup.

/**
 * The snippet's CSS path for a form without id or name (sdk/dom.ts `selector`), written for any
 * document (a browser page or one parsed by happy-dom), so a form id made here is the one the
 * snippet sends; test/server/inspect/inspect.test.ts keeps them equal.
 */
export function cssPath(el: Element, escape: (s: string) => string, steps = 5): string {
  const id = el.getAttribute('id');
  const up = el.parentElement;
  let n = 1;
  for (let s: Element | null = el; (s = s.previousElementSibling); ) n++;
  return id
    ? '#' + escape(id)
    : (up && up !== el.ownerDocument.body && --steps ? cssPath(up, escape, steps) + '>' : '') + el.localName + (n > 1 ? ':nth-child(' + n + ')' : '');
}

const ID = '00000000-0000-4000-8000-000000000000';
const TS = 1_700_000_000_000;

/** A submission of `form` on the page at `url`, with the intent ingest would decide. */
export function formSubmission(form: HTMLFormElement, url: string, title: string, escape: (s: string) => string): EventOf<'form_submit'> {
  const [read] = readForm(form, (el) => cssPath(el, escape));
  const wire = { type: 'form_submit', id: ID, ts: TS, site: 'inspect', anonymousId: 'inspect', sessionId: 'inspect', url, ...(title ? { title: title.slice(0, 300) } : {}), ...read };
  return withIntent(FormSubmitEvent.parse(wire)) as EventOf<'form_submit'>;
}
