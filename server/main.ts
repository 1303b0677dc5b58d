import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startServer } from './app.ts';
import { untilSignal } from './cli.ts';

// `npm start`: the server on the embedded database, with demo keys made on first start.
// The demo keys are kept in data/demo-keys.json (mode 600) so every start can show them;
// for production, create keys with `leadglow keys create` instead.

const dataDir = resolve(process.env.LEADGLOW_DATA ?? './data');
const port = Number(process.env.PORT ?? 8787);
const demoOrigin = process.env.LEADGLOW_DEMO_ORIGIN ?? `http://localhost:${port}`;

const server = await startServer({ port, host: process.env.HOST ?? '127.0.0.1', dataDir, log: process.env.LEADGLOW_LOG === '1', ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}), ...(process.env.LEADGLOW_PUBLIC_URL ? { publicUrl: process.env.LEADGLOW_PUBLIC_URL } : {}) });

type DemoKeys = { site: string; siteKey: string; repToken: string; adminToken: string };
const file = join(dataDir, 'demo-keys.json');
let demo: DemoKeys;
if (existsSync(file)) {
  demo = JSON.parse(readFileSync(file, 'utf8')) as DemoKeys;
} else {
  demo = {
    site: 'demo',
    siteKey: await server.createKey({ role: 'site', site: 'demo', origins: [demoOrigin, `http://127.0.0.1:${port}`], name: 'demo site' }),
    repToken: await server.createKey({ role: 'rep', name: 'Demo rep' }),
    adminToken: await server.createKey({ role: 'admin', name: 'Demo admin' }),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(demo, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
}

console.log(`Leadglow is running at ${server.url} (${server.db.backend}: ${server.db.location})

  Snippet:       <script async src="${server.url}/leadglow.js" data-site="${demo.siteKey}"></script>
                 (with the inline queue stub from the README before it, if you call leadglow() early)
  Extension:     .output/chrome-mv3 (Chrome: chrome://extensions, Developer mode, Load unpacked)
                 .output/firefox-mv3 (Firefox: about:debugging, Load Temporary Add-on)
  Events:        POST ${server.url}/v1/events   (site key ${demo.siteKey}, site "${demo.site}")
  Rep token:     ${demo.repToken}      (extension options: server ${server.url})
  Admin token:   ${demo.adminToken}
  Health:        ${server.url}/healthz    Metrics: ${server.url}/metrics

Demo keys are kept in ${file} (mode 600). Stop with Ctrl-C.`);

await untilSignal(server.close);
