import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// Finds English in a screen that should be Dutch or Swedish: a visible text that contains a
// piece of an English message whose translation differs (names, URLs, numbers and words the
// two languages share, such as "MQL" or "Fit", pass). Used by the happy-dom tests and the
// Chromium screenshots run.

type Catalogue = Record<string, { message: string }>;
const load = (lang: string) => JSON.parse(readFileSync(resolve(`extension/public/_locales/${lang}/messages.json`), 'utf8')) as Catalogue;

/** English pieces (between `$n` parameters) of messages that `lang` words differently. */
export function englishPieces(lang: 'nl' | 'sv'): string[] {
  const en = load('en');
  const other = load(lang);
  const pieces = new Set<string>();
  for (const [key, { message }] of Object.entries(en)) {
    const translated = other[key]?.message;
    if (translated === undefined || translated === message) continue;
    for (const raw of message.split(/\$\d/)) {
      const piece = raw.trim().replace(/^[(:,·.–-]+|[(:,·.–-]+$/g, '').trim();
      // A piece worth checking has a real word in it and is not part of the translation.
      if (!/[A-Za-z]{3,}/.test(piece) || piece.length < 4 || translated.includes(piece)) continue;
      pieces.add(piece);
    }
  }
  return [...pieces].sort((a, b) => b.length - a.length);
}

/** Every visible text and accessible name under `root`, one entry per text node or attribute. */
export function visibleTexts(root: Element): string[] {
  const out: string[] = [];
  const walk = (el: Element) => {
    if (el.tagName === 'SCRIPT' || el.tagName === 'STYLE') return;
    for (const attr of ['aria-label', 'title', 'placeholder', 'alt']) {
      const v = el.getAttribute(attr);
      if (v?.trim()) out.push(v.trim());
    }
    if (el.tagName === 'INPUT' && ['button', 'submit'].includes((el as HTMLInputElement).type)) out.push((el as HTMLInputElement).value);
    for (const node of Array.from(el.childNodes)) {
      if (node.nodeType === 3 && node.textContent?.trim()) out.push(node.textContent.trim());
      if (node.nodeType === 1) walk(node as Element);
    }
  };
  walk(root);
  return out;
}

/** The texts that hold English, each with the English piece found in it. */
export function englishLeaks(texts: readonly string[], lang: 'nl' | 'sv', allow: readonly string[] = []): string[] {
  const pieces = englishPieces(lang);
  const leaks: string[] = [];
  for (const text of texts) {
    if (allow.some((a) => text.includes(a))) continue;
    const hit = pieces.find((p) => new RegExp(`(^|[^\\p{L}])${escape(p)}($|[^\\p{L}])`, 'u').test(text));
    if (hit) leaks.push(`${JSON.stringify(text)} (English: ${JSON.stringify(hit)})`);
  }
  return leaks;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
