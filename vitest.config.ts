import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Unit tests run in node unless a file asks for happy-dom with `// @vitest-environment happy-dom`.
// Browser runs (test/e2e) start real Chromium; they get longer timeouts in their own files.
// The extension's unit tests get their own project: WXT's plugin stubs the `browser` global
// and aliases `wxt/browser` to a fake, which no other folder should see.
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Two cores: more workers only fight over them, and browser runs need one each.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'default', include: ['test/**/*.test.{ts,tsx}'], exclude: ['test/extension/**', '**/node_modules/**'] },
      },
      {
        extends: true,
        plugins: [WxtVitest()],
        test: { name: 'extension', include: ['test/extension/**/*.test.{ts,tsx}'] },
      },
    ],
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
