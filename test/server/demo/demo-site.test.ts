import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snippet, STUB } from '../../../sdk/snippet.ts';
import { DEMO_FILES, DEMO_PAGES, startDemoSite, type DemoSite } from '../../../server/demo/site.ts';

// The demo marketing site: every page is served with the README's snippet and the demo site
// key; the README shows exactly the snippet sdk/snippet.ts makes.

const COLLECTOR = 'http://127.0.0.1:8787';
const KEY = 'lgs_demo_key_for_tests';

describe('demo site', () => {
  let site: DemoSite;
  beforeAll(async () => {
    site = await startDemoSite({ collector: COLLECTOR, siteKey: KEY, port: 0 });
  });
  afterAll(async () => {
    await site?.close();
  });

  it.each(DEMO_PAGES.map((p) => [p.path, p] as const))('serves %s with the snippet and the demo site key', async (_path, page) => {
    const res = await fetch(site.origin + page.path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    const tag = snippet({ src: `${COLLECTOR}/leadglow.js`, site: KEY });
    expect(html.split(tag).length - 1).toBe(1);
    expect(html.split('leadglow.js').length - 1).toBe(1);
    expect(html).not.toContain('leadglow:snippet');
    expect(html.indexOf(tag)).toBeLessThan(html.indexOf('</head>'));
    // No external resources: every src and href is on the site, except the collector's script.
    for (const m of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      if (m[1] === `${COLLECTOR}/leadglow.js`) continue;
      expect(m[1], page.path).toMatch(/^\/(?!\/)/);
    }
  });

  it('has the pages, forms and tags the demo story needs', async () => {
    const get = (p: string) => fetch(site.origin + p).then((r) => r.text());
    const pricing = await get('/pricing');
    expect(pricing).toContain('<meta name="leadglow:weight" content="20">');
    expect(pricing).toContain('<meta name="leadglow:tags" content="pricing">');
    expect(pricing).toMatch(/data-leadglow-tag="[^"]+" data-leadglow-weight="\d+"/);
    const whitepaper = await get('/whitepaper');
    expect(whitepaper).toContain('<form id="whitepaper"');
    for (const field of ['email', 'name', 'company', 'job_title']) expect(whitepaper).toContain(`name="${field}"`);
    expect(await get('/contact-sales')).toContain('<form id="contact-sales"');
    expect(await get('/demo')).toContain('<form id="demo-request"');
    expect(await get('/case-studies/northwind-logistics')).toContain(`href="${DEMO_FILES.caseStudyPdf}"`);
  });

  it('serves the PDFs, the stylesheet and the script; a form post answers its page; unknown paths 404', async () => {
    for (const pdf of Object.values(DEMO_FILES)) {
      const res = await fetch(site.origin + pdf);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      const body = Buffer.from(await res.arrayBuffer()).toString('latin1');
      expect(body.startsWith('%PDF-1.')).toBe(true);
      expect(body.trimEnd().endsWith('%%EOF')).toBe(true);
    }
    expect((await fetch(site.origin + '/style.css')).headers.get('content-type')).toMatch(/^text\/css/);
    expect((await fetch(site.origin + '/site.js')).headers.get('content-type')).toMatch(/^text\/javascript/);
    const post = await fetch(site.origin + '/whitepaper', { method: 'POST', body: 'email=a%40b.c', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(post.status).toBe(200);
    expect(await post.text()).toContain('<form id="whitepaper"');
    expect((await fetch(site.origin + '/nope')).status).toBe(404);
    expect((await fetch(site.origin + '/%2e%2e/package.json')).status).toBe(404);
    expect((await fetch(site.origin + '/pricing.html')).status).toBe(200);
  });
});

describe('README', () => {
  it("shows exactly the snippet of sdk/snippet.ts (the one the demo site uses)", () => {
    const readme = readFileSync('README.md', 'utf8');
    const block = /## Embedding the snippet[\s\S]*?```html\n([\s\S]*?)\n```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    expect(block).toBe(snippet({ src: 'https://SERVER/leadglow.js', site: 'SITE_KEY' }));
    expect(block!.split('\n')[0]).toBe(`<script>${STUB}</script>`);
  });
});
