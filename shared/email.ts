import { getDomain, getPublicSuffix } from 'tldts';
import freeDomains from 'free-email-domains';

// Email-domain facts used by fit rules and by the server's account roll-up. The free-mail
// list is a maintained package (about 14,000 personal and disposable providers).

let freeSet: ReadonlySet<string> | undefined;

export function emailDomain(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return undefined;
  return email.slice(at + 1).trim().toLowerCase().replace(/\.$/, '');
}

/** `mail.eu.acme.co.uk` becomes `acme.co.uk`; unknown suffixes fall back to the host itself. */
export function registrableDomain(host: string): string {
  const h = host.toLowerCase();
  return getDomain(h) ?? h;
}

export function isFreeMailDomain(domain: string): boolean {
  freeSet ??= new Set(freeDomains as readonly string[]);
  const d = domain.toLowerCase();
  return freeSet.has(d) || freeSet.has(registrableDomain(d));
}

const EDU_LABELS = new Set(['edu', 'ac', 'k12', 'sch']);

/** Schools and universities: `.edu`, `ac.uk`, `edu.au`, `k12.ca.us` and the like. */
export function isEducationalDomain(domain: string): boolean {
  const suffix = getPublicSuffix(domain.toLowerCase());
  if (!suffix) return false;
  return suffix.split('.').some((label) => EDU_LABELS.has(label));
}

export type DomainLists = { own: ReadonlySet<string>; competitors: ReadonlySet<string> };

/** The class of an email domain; own and competitor lists win over the generic classes. */
export function classifyDomain(domain: string, lists: DomainLists): 'own' | 'competitor' | 'free' | 'educational' | 'business' {
  const reg = registrableDomain(domain);
  if (lists.own.has(reg) || lists.own.has(domain)) return 'own';
  if (lists.competitors.has(reg) || lists.competitors.has(domain)) return 'competitor';
  if (isFreeMailDomain(domain)) return 'free';
  if (isEducationalDomain(domain)) return 'educational';
  return 'business';
}
