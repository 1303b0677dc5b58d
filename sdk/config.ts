import { loc } from './dom.ts';
import type { Config, ConsentMode, Options } from './types.ts';

export { DOWNLOADS, downloadPattern } from '../shared/downloads.ts';

/** The one console line the SDK ever writes: broken configuration. */
export const warn = (msg: string): undefined => void console.warn('leadglow: ' + msg);

export function resolveConfig(o: Options, origin: string): Config | undefined {
  if (!o.site) return warn('no site key (data-site)');
  let consent = o.consent || 'none';
  // A typo here must not mean tracking without consent: fall back to the strictest mode.
  if (!/^(required|anonymous-until-consent|none)$/.test(consent)) warn('unknown consent; using ' + (consent = 'required'));
  return { ...o, consent, server: (o.server || origin).replace(/\/+$/, '') };
}

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
