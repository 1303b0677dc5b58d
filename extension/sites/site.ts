import type { FoundLead, FoundRole, SiteId } from '../../shared/contracts/messages.ts';

// What every site adapter provides, and the small DOM helpers they share. Selectors for a
// site's markup stay in that site's file.

/**
 * What an adapter found. `expected`: the page is a record or an open message, so it should
 * name someone; `region`: which part of the page was read, in words for the "what Leadglow
 * saw" disclosure (a selector or a URL shape, never page content).
 */
export type Found = { leads: FoundLead[]; self: string[]; domain?: string; expected?: boolean; region?: string };

export type Site = {
  id: SiteId;
  /** Match patterns where the adapter applies: the host permission asked for when the rep enables it. */
  matches: string[];
  /** Real URLs the patterns must match (checked by a test). */
  examples: string[];
  find(doc: Document, url: URL): Found;
};

const EMAIL = /[a-z0-9._%+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/gi;

export function normalizeEmail(raw: string): string | undefined {
  const m = raw.trim().toLowerCase().match(/^[a-z0-9._%+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/);
  return m ? m[0] : undefined;
}

export function emailsIn(text: string): string[] {
  return [...text.matchAll(EMAIL)].map((m) => m[0].toLowerCase());
}

/** `mailto:a@b.com?subject=x` (or several, comma separated) to its addresses. */
export function mailtoEmails(href: string): string[] {
  if (!href.toLowerCase().startsWith('mailto:')) return [];
  const list = decodeURIComponent(href.slice(7).split('?')[0] ?? '');
  return list.split(',').map((e) => normalizeEmail(e)).filter((e): e is string => Boolean(e));
}

export function lead(email: string | null | undefined, role: FoundRole, name?: string | null): FoundLead | undefined {
  const e = email ? normalizeEmail(email) : undefined;
  if (!e) return undefined;
  const n = name?.replace(/\s+/g, ' ').trim();
  return n && !n.includes('@') ? { email: e, role, name: n.slice(0, 300) } : { email: e, role };
}

export function all(root: ParentNode, selector: string): Element[] {
  return [...root.querySelectorAll(selector)];
}

/** The first selector of `selectors` that matches, with what it matched: the region an adapter reads. */
export function firstRegion(doc: Document, selectors: readonly string[]): { el: ParentNode; name: string } {
  for (const s of selectors) {
    const el = doc.querySelector(s);
    if (el) return { el, name: s };
  }
  return { el: doc.body ?? doc, name: 'body' };
}

/** Addresses in an element's address-bearing attributes and text (the rep's account menu). */
export function addressesIn(el: Element | null | undefined): string[] {
  if (!el) return [];
  const attrs = ['aria-label', 'title', 'data-folder-name', 'email', 'data-email'].map((a) => el.getAttribute(a) ?? '');
  return [...new Set(emailsIn([...attrs, el.textContent ?? ''].join(' ')))];
}

export function text(el: Element | null | undefined): string {
  return el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

/** Leads from every `mailto:` link under `root`, named by the link text when it is a name. */
export function mailtoLeads(root: ParentNode, role: FoundRole): FoundLead[] {
  return all(root, 'a[href^="mailto:" i]').flatMap((a) =>
    mailtoEmails(a.getAttribute('href') ?? '').map((e) => lead(e, role, text(a))).filter((l): l is FoundLead => Boolean(l)),
  );
}

export function present<T>(xs: readonly (T | undefined)[]): T[] {
  return xs.filter((x): x is T => x !== undefined);
}
