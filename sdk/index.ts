// `import { init, track, identify, consent, optOut } from '@leadglow/sdk'`: the same core as
// the snippet, for apps that bundle their own code. Call init() once, early.
import { start } from './core.ts';
import type { Options } from './types.ts';

export { consent, identify, optOut, stats, track } from './core.ts';
export type { ConsentMode, Options, Props, Stats, Traits } from './types.ts';

/** Starts tracking. The server defaults to the page's origin. Later calls are ignored. */
export const init = (options: Options): void => start(options);
