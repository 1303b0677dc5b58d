import { defineConfig } from 'wxt';

// Builds the rep's extension for Chrome MV3 and Firefox MV3 from `extension/`.
// Host access is optional and asked for per site at run time; see extension/background/register.ts.
// LEADGLOW_E2E=1 grants localhost and the fixture hosts up front, because a test cannot click
// a permission prompt; release builds never set it.
const e2e = process.env.LEADGLOW_E2E === '1';

export default defineConfig({
  srcDir: 'extension',
  publicDir: 'extension/public',
  // LEADGLOW_E2E_OUT: another folder for a test that builds while another one does.
  outDir: e2e ? (process.env.LEADGLOW_E2E_OUT ?? '.output/e2e') : '.output',
  // Explicit imports only: every module says where its names come from.
  imports: false,
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // The store listings' homepage; the privacy policy ships inside the extension (privacy.html,
    // linked from the options page) and is the listing's privacy URL on the homepage.
    homepage_url: 'https://leadglow.dev/',
    permissions: ['storage', 'notifications', 'scripting', 'alarms', ...(browser === 'firefox' ? [] : ['sidePanel'])],
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    ...(e2e ? { host_permissions: ['http://127.0.0.1/*', 'http://localhost/*', 'https://mail.google.com/*'] } : {}),
    action: { default_title: '__MSG_extName__' },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'extension@leadglow.dev',
              strict_min_version: '140.0',
              // Email addresses found on the page go to the rep's own Leadglow server.
              data_collection_permissions: { required: ['personallyIdentifyingInfo', 'websiteContent'] },
            },
          },
        }
      : {}),
  }),
  // `wxt zip -b firefox` also zips the sources Mozilla asks publishers to upload, from the
  // project root. WXT leaves out dotfiles, node_modules and its output only, so a developer's
  // data/ (demo keys, the lead database and its WAL), built bundles, keys and test output went
  // in (issue 18). test/packaging.test.ts builds the zips and lists their entries.
  zip: {
    excludeSources: [
      'data/**',
      'dist/**',
      'sdk/dist/**', // the npm package's build (npm run build:sdk-package)
      'coverage/**',
      'test-output/**',
      '**/*.db',
      '**/*.db-*',
      '**/*.sqlite',
      '**/*.sqlite3',
      '**/*.key',
      '**/*.pem',
      '**/*.p12',
      '**/*.tgz',
      '**/*.zip',
      '**/*.log',
    ],
  },
  hooks: {
    // WXT always writes a default side panel; ours is enabled per tab only where a lead is found.
    'build:manifestGenerated': (wxt, manifest) => {
      if (wxt.config.browser !== 'firefox') delete manifest.side_panel;
      // Firefox shows the sidebar's title in its own chrome: translated, not the page's <title>.
      const sidebar = (manifest as { sidebar_action?: { default_title?: string } }).sidebar_action;
      if (sidebar) sidebar.default_title = '__MSG_sidebarTitle__';
    },
  },
});
