// The embed snippet, in one place, so the README, the demo site and the tests use the same text.

/** Inline stub: keeps calls made before leadglow.js arrives; the script replays them. */
export const STUB = 'window.leadglow=window.leadglow||function(){(leadglow.q=leadglow.q||[]).push(arguments)};';

export interface SnippetOptions {
  /** Where leadglow.js is served, e.g. `https://lg.example.com/leadglow.js`. */
  src: string;
  site: string;
  /** Extra data-* options without the prefix, e.g. `{ consent: 'required', spa: false }`. */
  data?: Record<string, string | boolean>;
}

const attr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

/** The HTML to paste into <head>. */
export function snippet({ src, site, data = {} }: SnippetOptions): string {
  let attrs = `data-site="${attr(site)}"`;
  for (const [k, v] of Object.entries(data)) attrs += ` data-${kebab(k)}="${attr(String(v))}"`;
  return `<script>${STUB}</script>\n<script async src="${attr(src)}" ${attrs}></script>`;
}
