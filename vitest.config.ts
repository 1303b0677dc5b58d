import { defineConfig } from 'vitest/config';

// Unit tests run in node unless a file asks for happy-dom with `// @vitest-environment happy-dom`.
// Browser runs (test/e2e) start real Chromium; they get longer timeouts in their own files.
export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Two cores: more workers only fight over them, and browser runs need one each.
    maxWorkers: 2,
  },
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
});
