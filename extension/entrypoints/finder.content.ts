import { defineContentScript } from 'wxt/utils/define-content-script';
import { watchPage } from '../finder.ts';

// Registered at run time (background/register.ts) only on the sites the rep enabled, so the
// manifest needs no host permissions for them.
export default defineContentScript({
  registration: 'runtime',
  matches: [],
  main(ctx) {
    watchPage(document, ctx.signal);
  },
});
