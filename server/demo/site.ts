import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { snippet } from '../../sdk/snippet.ts';

// The demo marketing site ("Northwind Analytics"): static files in server/demo/site/, served
// by a tiny node:http server on its own port, so the site is another origin than the
// collector, as on a real site. Every page is its own content inside layout.html, which
// carries the README's snippet (sdk/snippet.ts). Forms post to their own page (site.js keeps them there
// with a thank-you message; without script a POST answers the page again).

export const DEMO_SITE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'site');

/** Every page of the demo site: URL path and file under DEMO_SITE_DIR. */
export const DEMO_PAGES = [
  { path: '/', file: 'index.html', title: 'Home' },
  { path: '/blog/why-lead-scoring', file: 'blog/why-lead-scoring.html', title: 'Blog post' },
  { path: '/product', file: 'product.html', title: 'Product' },
  { path: '/pricing', file: 'pricing.html', title: 'Pricing' },
  { path: '/case-studies/northwind-logistics', file: 'case-studies/northwind-logistics.html', title: 'Case study' },
  { path: '/whitepaper', file: 'whitepaper.html', title: 'Whitepaper' },
  { path: '/contact-sales', file: 'contact-sales.html', title: 'Contact sales' },
  { path: '/demo', file: 'demo.html', title: 'Book a demo' },
  { path: '/careers', file: 'careers.html', title: 'Careers' },
] as const;

export const DEMO_FILES = {
  caseStudyPdf: '/files/case-study-northwind-logistics.pdf',
  whitepaperPdf: '/files/whitepaper-account-scoring.pdf',
} as const;

const SNIPPET = '<!-- leadglow:snippet -->';
const BODY = '<!-- body -->';

export type DemoSiteOptions = {
  /** The collector's base URL: the snippet loads `${collector}/leadglow.js`. */
  collector: string;
  /** The public site key. */
  siteKey: string;
  /** Extra data-* options for the snippet (tests add `allowAutomation`). */
  data?: Record<string, string | boolean>;
  port?: number;
  host?: string;
};

/**
 * A page's HTML: its file holds only what is its own (title and meta, then `<!-- body -->` and
 * the main content); layout.html gives every page the same head, navigation, footer and the
 * README's snippet.
 */
export function renderPage(file: string, options: Pick<DemoSiteOptions, 'collector' | 'siteKey' | 'data'>): string {
  const own = readFileSync(join(DEMO_SITE_DIR, file), 'utf8');
  const [head, body] = own.split(BODY);
  if (body === undefined) throw new Error(`${file}: no ${BODY} between its head and its content`);
  const path = DEMO_PAGES.find((p) => p.file === file)?.path;
  const tag = snippet({ src: `${options.collector.replace(/\/+$/, '')}/leadglow.js`, site: options.siteKey, ...(options.data ? { data: options.data } : {}) });
  // Functions as replacements, so `$` in page text is never read as a pattern.
  let html = readFileSync(join(DEMO_SITE_DIR, 'layout.html'), 'utf8')
    .replace('{{head}}', () => head!.trim())
    .replace('{{body}}', () => body.trim())
    .replace(SNIPPET, () => tag);
  if (path) html = html.replace(`<a href="${path}"`, () => `<a href="${path}" aria-current="page"`);
  return html;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.pdf': 'application/pdf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export type DemoSite = { url: string; origin: string; close(): Promise<void> };

/** Starts the demo site's static server. */
export function startDemoSite(options: DemoSiteOptions): Promise<DemoSite> {
  const pages = new Map<string, string>(DEMO_PAGES.map((p) => [p.path, p.file]));
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const method = req.method ?? 'GET';
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://demo').pathname);
    } catch {
      return send(400, 'text/plain; charset=utf-8', 'bad request\n');
    }
    if (path.length > 1) path = path.replace(/\/+$/, '').replace(/\.html$/, '');
    const page = pages.get(path);
    if (page && (method === 'GET' || method === 'HEAD' || method === 'POST')) {
      req.resume(); // a form post: its body is not needed, the page answers again
      return send(200, TYPES['.html']!, renderPage(page, options));
    }
    if (method !== 'GET' && method !== 'HEAD') return send(405, 'text/plain; charset=utf-8', 'method not allowed\n');
    const type = TYPES[extname(path)];
    const file = normalize(join(DEMO_SITE_DIR, path));
    if (!type || extname(path) === '.html' || !file.startsWith(DEMO_SITE_DIR + sep)) return send(404, TYPES['.html']!, notFound);
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch {
      return send(404, TYPES['.html']!, notFound);
    }
    send(200, type, body);
  };
  const server = createServer(handle);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8788, options.host ?? '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
      const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      resolve({
        url: `${origin}/`,
        origin,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

const notFound = '<!doctype html><title>Not found</title><p>Not found. <a href="/">Back to the demo site</a>.</p>\n';
