// Which identity trait a form field holds, judged by its line ("type autocomplete name").
// Plain code, no DOM: the snippet's form reader (extract.ts) sends the lines, and the server
// sorts them into traits here, so the trait rules are not shipped to every visitor.

// Tried in order: the first match wins, so "organization-title" is a job title before it is a
// company, and "company_name" a company before it is a name. Name words must start a word
// (" given-name", " last_name"), so "username" or "additional-name" are not names.
const TRAITS = {
  email: /e-?mail/i,
  jobTitle: /job|title|position/i,
  company: /compan|organi[sz]ation/i,
  // Zoho and some CRMs put the part after the word: Name_First, Name_Last.
  first: / (first|given|f)[-_ ]?name\b| name[-_ ]?(first|given)\b/i,
  last: / (last|family|sur|l)[-_ ]?name\b| name[-_ ]?(last|family|sur)\b/i,
  name: / ((your|full)[-_ ]?)?name\b/i,
};
export type Trait = keyof typeof TRAITS;

/**
 * The fields that may hold who the visitor is: each as its line and value. The snippet sends
 * these with an identify event only when one holds a valid email address; the server sorts
 * them into traits with traitOf (so the trait rules are not shipped to every visitor).
 */
export type Person = [line: string, value: string][];

/** Which identity trait a field holds, from its line ("type autocomplete name"). */
export function traitOf(line: string): Trait | undefined {
  for (const t in TRAITS) if (TRAITS[t as Trait].test(line)) return t as Trait;
}

/**
 * Name, company and job title from an identify event's `person` lines (first match per trait;
 * an empty value leaves the trait to a later field). Runs on the server.
 */
export function personTraits(person: readonly (readonly [string, string])[]): { name?: string; company?: string; jobTitle?: string } {
  const found: Partial<Record<Trait, string>> = {};
  for (const [line, value] of person) {
    const trait = traitOf(line);
    if (trait && value.trim()) found[trait] ||= value.trim();
  }
  const name = found.name || [found.first, found.last].filter(Boolean).join(' ');
  return { ...(name ? { name } : {}), ...(found.company ? { company: found.company } : {}), ...(found.jobTitle ? { jobTitle: found.jobTitle } : {}) };
}

