import { z } from 'zod';

// Extension pages run under a CSP without `unsafe-eval`. Zod compiles fast object parsers with
// `new Function` when it can; in Firefox each try is a logged CSP violation. Imported first by
// every extension page and the background, so zod never tries.
z.config({ jitless: true });
