// DOM helpers shared by the capture modules.

// The globals, named once: the minifier shortens these names, not the globals'.
export const doc = document;
export const loc = location;
export const win = window;

/** Wraps a callback so nothing it throws ever reaches the host page. */
export const guard =
  <A extends unknown[]>(fn: (...a: A) => unknown) =>
  (...a: A): void => {
    try {
      fn(...a);
    } catch {
      // Swallowed on purpose: a tracker bug must never break the site it measures.
    }
  };

/**
 * Capture phase, so a page's stopPropagation() cannot hide an event from us. Not marked
 * passive: we listen to no scroll or touch event, where it would matter.
 */
// biome-ignore lint/suspicious/noExplicitAny: each listener names its own event type (MouseEvent, SubmitEvent); a string event name cannot type it
export const on = (target: EventTarget, type: string, fn: (e: any) => unknown): void => target.addEventListener(type, guard(fn), true);

/** The element the user acted on, or its nearest ancestor matching `sel`. */
export const closest = (e: Event, sel: string): HTMLElement | null | undefined => (e.target as Element).closest?.(sel) as HTMLElement;

/** A value as text of at most `n` characters (the contract's limits). */
export const cut = (v: unknown, n = 300): string => String(v).slice(0, n);

export const text = (el: Element): string => cut(el.textContent!.replace(/\s+/g, ' ').trim());

/**
 * A short CSS path: up to the nearest id, at most five steps. A label for reports, not a
 * unique key; nth-child rather than nth-of-type, which would cost a tag comparison per sibling.
 */
export function selector(el: Element, steps = 5): string {
  const id = el.getAttribute('id'); // not .id: on a form, `.id` returns a field named "id"
  const up = el.parentElement;
  let n = 1;
  for (let s = el; (s = s.previousElementSibling!); ) n++;
  return id
    ? '#' + CSS.escape(id)
    : (up && up !== doc.body && --steps ? selector(up, steps) + '>' : '') + el.localName + (n > 1 ? ':nth-child(' + n + ')' : '');
}
