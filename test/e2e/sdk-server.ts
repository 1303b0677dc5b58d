import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { splitBatch, type RejectedEvent } from '../../shared/contracts/batch.ts';
import type { Event } from '../../shared/contracts/event.ts';
import type { SiteTags } from '../../shared/contracts/marketing.ts';

// A small stand-in for the Leadglow server: serves the fixture pages and the built SDK, lists
// element tags at GET /v1/tags (`tags`) with the built tags script beside the snippet, and takes batches at POST /v1/events, validated with
// the real contract (splitBatch) and deduplicated by event id as the real ingest does.

export const FIXTURES = new URL('./fixtures/sdk/', import.meta.url).pathname;

/** How /v1/events answers: normally, 503, or by dropping the connection. */
export type Mode = 'up' | '503' | 'closed';

export interface SdkServer {
  origin: string;
  /** Stored events, in arrival order, each id once. */
  events: Event[];
  /** Every POST /v1/events seen, whatever the mode. */
  posts: number;
  duplicates: number;
  rejected: RejectedEvent[];
  /** Requests by method and path, preflights included. */
  log: string[];
  mode: Mode;
  /** Where fixture pages send events (`%SERVER%` in the HTML). Default: this server. */
  eventsOrigin?: string;
  /** What `GET /v1/tags` lists (SiteTags.elements). Default: none. */
  tags: SiteTags['elements'];
  /** Bodies of the tags script's health beacons (POST /v1/tags/health). */
  health: string[];
  /** Forgets what the last test saw and answers normally again. */
  reset(): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8' };
// The strict page: only same-origin scripts and connections, no inline anything.
const CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'";

export async function startSdkServer(sdkFile: string): Promise<SdkServer> {
  const seen = new Set<string>();
  const state: SdkServer = {
    origin: '',
    events: [],
    posts: 0,
    duplicates: 0,
    rejected: [],
    log: [],
    mode: 'up',
    tags: [],
    health: [],
    reset() {
      state.events.length = 0;
      state.rejected.length = 0;
      state.log.length = 0;
      state.posts = 0;
      state.duplicates = 0;
      state.mode = 'up';
      state.eventsOrigin = undefined;
      state.tags = [];
      state.health = [];
    },
    close: async () => {},
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    state.log.push(`${req.method} ${path}`);
    res.setHeader('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    if (path === '/v1/events' && req.method === 'POST') {
      state.posts++;
      if (state.mode === 'closed') return void req.socket.destroy();
      let body = '';
      for await (const chunk of req) body += chunk;
      if (state.mode === '503') return void res.writeHead(503).end();
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        return void res.writeHead(400).end();
      }
      const split = splitBatch(json);
      if (!split.ok) return void res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: 0, duplicates: 0, rejected: [{ index: -1, errors: split.errors }] }));
      let accepted = 0;
      let duplicates = 0;
      for (const e of split.events) {
        if (seen.has(e.id)) duplicates++;
        else {
          seen.add(e.id);
          state.events.push(e);
          accepted++;
        }
      }
      state.duplicates += duplicates;
      state.rejected.push(...split.rejected);
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ accepted, duplicates, rejected: split.rejected }));
    }
    if (path === '/v1/tags' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      // As the real server: the tags script's path only when there are element tags.
      return void res.end(JSON.stringify({ elements: state.tags, ...(state.tags.length ? { script: '/v1/tags.js?v=lab' } : {}) } satisfies SiteTags));
    }
    if (path === '/v1/tags.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return void res.end(await readFile(join(dirname(sdkFile), 'leadglow-tags.js')));
    }
    if (path === '/v1/tags/health' && req.method === 'POST') {
      for await (const chunk of req) state.health.push(String(chunk));
      return void res.writeHead(204).end();
    }
    if (path === '/leadglow.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return void res.end(await readFile(sdkFile));
    }
    const m = /^\/([\w-]+)\.(html|js)$/.exec(path);
    if (m) {
      try {
        let text = await readFile(join(FIXTURES, m[1] + '.' + m[2]), 'utf8');
        text = text.replaceAll('%SERVER%', state.eventsOrigin ?? state.origin);
        res.writeHead(200, { 'content-type': TYPES[m[2]!]!, ...(m[1]!.startsWith('csp') ? { 'content-security-policy': CSP } : {}) });
        return void res.end(text);
      } catch {}
    }
    // Thank-you pages, downloadable files: anything else is a small page.
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>ok</title>ok');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}

/** Polls until `check` returns true. */
export async function waitFor(check: () => boolean, timeout = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
