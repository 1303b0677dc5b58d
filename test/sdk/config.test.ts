// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { downloadPattern, optionsFromScript, resolveConfig } from '../../sdk/config.ts';

afterEach(() => vi.restoreAllMocks());

describe('config', () => {
  it('reads data-* attributes: bare and "true" are true, "false" is false, text stays text', () => {
    const s = document.createElement('script');
    s.src = 'https://lg.example.com/leadglow.js';
    s.setAttribute('data-site', 'site_1');
    s.setAttribute('data-consent', 'required');
    // A bare attribute ('') is covered in Chromium (test/e2e): happy-dom's dataset hides empty values from for-in.
    s.setAttribute('data-cookieless', 'true');
    s.setAttribute('data-spa', 'false');
    s.setAttribute('data-respect-dnt', 'false');
    s.setAttribute('data-allow-automation', 'true');
    s.setAttribute('data-downloads', 'pdf, zip');
    const [o, origin] = optionsFromScript(s);
    expect(o).toEqual({ site: 'site_1', consent: 'required', cookieless: true, spa: false, respectDnt: false, allowAutomation: true, downloads: 'pdf, zip' });
    expect(origin).toBe('https://lg.example.com');
  });

  it('defaults the server to the given origin and trims a trailing slash', () => {
    expect(resolveConfig({ site: 's' }, 'https://a.example')?.server).toBe('https://a.example');
    expect(resolveConfig({ site: 's', server: 'https://b.example/' }, 'https://a.example')?.server).toBe('https://b.example');
    expect(resolveConfig({ site: 's' }, 'https://a.example')?.consent).toBe('none');
  });

  it('warns once and refuses to start without a site key', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(resolveConfig({ site: '' }, 'https://a.example')).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/leadglow: no site key/);
  });

  it('treats an unknown consent mode as the strictest one', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(resolveConfig({ site: 's', consent: 'yes-please' as never }, 'https://a.example')?.consent).toBe('required');
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('matches download extensions from the default or a site list', () => {
    const d = downloadPattern();
    for (const f of ['/a.pdf', '/b.DOCX', '/c.xlsx', '/d.zip', '/e.csv', '/f.mp4', '/g.dmg']) expect(d.test(f)).toBe(true);
    for (const f of ['/pricing', '/a.html', '/pdf', '/a.pdf.html']) expect(d.test(f)).toBe(false);
    const own = downloadPattern('stl, step');
    expect(own.test('/part.step')).toBe(true);
    expect(own.test('/a.pdf')).toBe(false);
    expect(downloadPattern(['stl']).test('/x.stl')).toBe(true);
  });
});
