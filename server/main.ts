import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { startServer } from './http/app.ts';
import { untilSignal } from './cli/cli.ts';
import { startDemoSite } from './demo/site.ts';
import { seedDemo } from './demo/seed.ts';

// `npm start`: the server on the embedded database, with demo keys made on first start, the
// demo marketing site on a second port (another origin, as in real use), and a seeded
// history on first start (when the database has no leads).
// The demo keys are kept in data/demo-keys.json (mode 600) so every start can show them;
// for production, create keys with `leadglow keys create` instead.

const started = performance.now();
const dataDir = resolve(process.env.LEADGLOW_DATA ?? './data');
const port = Number(process.env.PORT ?? 8787);
const host = process.env.HOST ?? '127.0.0.1';
const demoPort = Number(process.env.LEADGLOW_DEMO_PORT ?? 8788);
const demoHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
const demoOrigins = process.env.LEADGLOW_DEMO_ORIGIN
  ? [process.env.LEADGLOW_DEMO_ORIGIN]
  : [`http://${demoHost}:${demoPort}`, `http://localhost:${demoPort}`, `http://127.0.0.1:${demoPort}`].filter((o, i, all) => all.indexOf(o) === i);

const server = await startServer({ port, host, dataDir, log: process.env.LEADGLOW_LOG === '1', ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}), ...(process.env.LEADGLOW_PUBLIC_URL ? { publicUrl: process.env.LEADGLOW_PUBLIC_URL } : {}) });

// The demo keys file is this program's own (no other part reads it), so its shape lives here.
const DemoKeys = z.object({ site: z.string(), siteKey: z.string(), origins: z.array(z.string()).optional(), repToken: z.string(), adminToken: z.string() });
type DemoKeys = z.infer<typeof DemoKeys>;
const file = join(dataDir, 'demo-keys.json');

/** The kept demo keys; a file that does not decode stops the start, naming the file and what to do. */
function readDemoKeys(path: string): DemoKeys {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: not JSON (${error instanceof Error ? error.message : String(error)}); delete it to make new demo keys`);
  }
  const parsed = DemoKeys.safeParse(json);
  if (!parsed.success) throw new Error(`${path}: not a demo keys file (${parsed.error.issues.map((i) => `${i.path.join('.') || '(the file)'}: ${i.message}`).join('; ')}); delete it to make new demo keys`);
  return parsed.data;
}
const siteOrigins = [...demoOrigins, `http://127.0.0.1:${port}`];
const siteKey = () => server.createKey({ role: 'site', site: 'demo', origins: siteOrigins, name: 'demo site' });
let demo: DemoKeys | undefined = existsSync(file) ? readDemoKeys(file) : undefined;
// A site key only writes from its origins: when the demo moved (another port or origin), make
// a key for where it is now rather than have every event refused.
const stale = demo !== undefined && JSON.stringify(demo.origins) !== JSON.stringify(siteOrigins);
if (demo && stale) demo = { ...demo, siteKey: await siteKey(), origins: siteOrigins };
if (!demo) {
  demo = {
    site: 'demo',
    siteKey: await siteKey(),
    origins: siteOrigins,
    repToken: await server.createKey({ role: 'rep', name: 'Demo rep' }),
    adminToken: await server.createKey({ role: 'admin', name: 'Demo admin' }),
  };
}
if (stale || !existsSync(file)) {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(demo, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
}

const site = await startDemoSite({ collector: server.url, siteKey: demo.siteKey, port: demoPort, host: demoHost });

let seeded = 'kept (the database already has leads)';
if (process.env.LEADGLOW_SEED !== '0') {
  const r = await seedDemo({ url: server.url, db: server.db, siteKey: demo.siteKey, adminToken: demo.adminToken, origin: site.origin }, { seed: 1 });
  if (r.skipped) seeded = `kept: the database already has ${r.existingLeads} leads`;
  else {
    seeded = `seeded ${r.leads} leads and ${r.anonymous} anonymous visitors over ${r.days} days: ${r.events} events, ${r.tracked} offline facts (${Math.round(r.ms)} ms)`;
    // The seed's won and lost deals arrive after start: train the predictive model on them now
    // (in the server's worker, through the real API) rather than at the first scheduled run.
    await fetch(`${server.url}/v1/predictive/train`, { method: 'POST', headers: { authorization: `Bearer ${demo.adminToken}`, 'content-type': 'application/json' }, body: '{}' });
  }
} else seeded = 'not seeded (LEADGLOW_SEED=0)';

console.log(`Leadglow is running (${server.db.backend}: ${server.db.location}), ready in ${((performance.now() - started) / 1000).toFixed(1)} s

  Collector:     ${server.url}   (POST /v1/events, /leadglow.js, the read and admin API)
  Demo site:     ${site.url}   (Northwind Analytics: browse it, fill in the forms; another origin than the collector)
  Demo history:  ${seeded}
  Snippet:       <script async src="${server.url}/leadglow.js" data-site="${demo.siteKey}"></script>
                 (with the inline queue stub from the README before it, if you call leadglow() early)
  Site key:      ${demo.siteKey}   (site "${demo.site}", origins ${demoOrigins.join(', ')})
  Rep token:     ${demo.repToken}
  Admin token:   ${demo.adminToken}
  Health:        ${server.url}/healthz    Metrics: ${server.url}/metrics    Hot leads: ${server.url}/v1/hot (Bearer rep token)

  Extension:     .output/chrome-mv3   Chrome/Edge: chrome://extensions, turn on Developer mode, Load unpacked, pick that folder
                 .output/firefox-mv3  Firefox: about:debugging, This Firefox, Load Temporary Add-on, pick its manifest.json
                 Then open the extension's options: server ${server.url}, the rep token above, Test and save.
                 Open a page that names a lead's email (Gmail or a CRM you enabled) and click the toolbar button.
                 Marketers: connect with the admin token instead; the options page opens the dashboard (models,
                 drafts, backtests, reports, predictive), and the side panel's "Tag this page" tags the demo site.

Demo keys are kept in ${file} (mode 600). Stop with Ctrl-C.`);

await untilSignal(async () => {
  await site.close();
  await server.close();
});
