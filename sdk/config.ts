import { loc } from './dom.ts';
import type { Config, ConsentMode, Options } from './types.ts';

// Office files, archives, installers and media: what a B2B site offers behind a link.
// A regex alternation, so a site's own list (`pdf,zip`) drops straight in.
export const DOWNLOADS = 'pdf|(doc|xls|ppt)x?|od[tsp]|rtf|txt|csv|key|pages|numbers|zip|t?gz|rar|7z|dmg|exe|msi|pkg|apk|iso|mp[34]|mov|avi|wav|epub';

/** The one console line the SDK ever writes: broken configuration. */
export const warn = (msg: string): undefined => void console.warn('leadglow: ' + msg);

export function resolveConfig(o: Options, origin: string): Config | undefined {
  if (!o.site) return warn('no site key (data-site); not tracking');
  let consent = o.consent || 'none';
  // A typo here must not mean tracking without consent: fall back to the strictest mode.
  if (!/^(required|anonymous-until-consent|none)$/.test(consent)) warn('unknown consent mode; using "' + (consent = 'required') + '"');
  return { ...o, consent, server: (o.server || origin).replace(/\/+$/, '') };
}

/** `/\.(pdf|zip)$/i` from the site's list or the default one. */
export const downloadPattern = (list?: string[] | string): RegExp =>
  RegExp('\\.(' + (list ? String(list).replace(/[\s,]+/g, '|') : DOWNLOADS) + ')$', 'i');

/**
 * Options from the snippet's data-* attributes, and the script's origin as the default server.
 * A bare attribute or "true" is true, "false" is false, anything else is kept as text.
 */
export function optionsFromScript(s: HTMLScriptElement | null): [Options, string] {
  const o: Record<string, unknown> = {};
  const d = s?.dataset;
  for (const k in d) o[k] = /^(true|)$/.test(d[k]!) || (d[k] != 'false' && d[k]);
  return [o as unknown as Options, s?.src ? new URL(s.src).origin : loc.origin];
}

export type { ConsentMode };
