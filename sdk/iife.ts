import { optionsFromScript } from './config.ts';
import { command, start } from './core.ts';
import { doc, guard, win } from './dom.ts';

// Entry of the snippet build (dist/sdk/leadglow.js). Reads data-* options from its own
// <script> tag, then replays calls the inline stub queued before the script arrived.

type Stub = ((...args: unknown[]) => void) & { q?: ArrayLike<unknown>[] };

guard(() => {
  const w = win as unknown as { leadglow?: Stub; __leadglow?: 1 };
  if (w.__leadglow) return;
  // currentScript is set for classic scripts, async included; the query is a fallback for odd loaders.
  start(...optionsFromScript((doc.currentScript ?? doc.querySelector('script[data-site]')) as HTMLScriptElement | null));
  const queued = w.leadglow?.q ?? [];
  w.leadglow = (...args) => command(args);
  for (const args of queued) command(args);
})();
