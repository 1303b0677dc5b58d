// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { downloadPattern } from '../../sdk/config.ts';
import { watchDownloads } from '../../sdk/downloads.ts';

function page(html: string) {
  document.body.innerHTML = html;
  // Keep happy-dom from following the links; our capture-phase listener runs first anyway.
  document.body.addEventListener('click', (e) => e.preventDefault());
  const emit = vi.fn();
  watchDownloads(downloadPattern(), emit);
  return emit;
}
const click = (sel: string, init: MouseEventInit = {}, type = 'click') =>
  document.querySelector(sel)!.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, ...init }));

describe('downloads', () => {
  it('records file URL and link text for file links, including clicks on a child element', () => {
    const emit = page('<a id="wp" href="/files/Whitepaper.PDF"><span>Get the  whitepaper</span></a>');
    click('#wp span');
    expect(emit).toHaveBeenCalledWith({ type: 'download', fileUrl: 'http://localhost:3000/files/Whitepaper.PDF', linkText: 'Get the whitepaper' });
  });

  it('records links with a download attribute whatever the extension', () => {
    const emit = page('<a id="d" href="/export?id=3" download>Export</a>');
    click('#d');
    expect(emit).toHaveBeenCalledWith(expect.objectContaining({ fileUrl: 'http://localhost:3000/export?id=3' }));
  });

  it('ignores ordinary links, non-http links and right clicks; counts middle clicks', () => {
    const emit = page('<a id="p" href="/pricing">Pricing</a><a id="m" href="mailto:a@b.co">Mail</a><a id="z" href="/a.zip">Zip</a>');
    click('#p');
    click('#m');
    click('#z', { button: 2 }, 'auxclick');
    expect(emit).not.toHaveBeenCalled();
    click('#z', { button: 1 }, 'auxclick');
    expect(emit).toHaveBeenCalledTimes(1);
  });

  it('still sees clicks the page stops from propagating (capture phase)', () => {
    const emit = page('<div id="wrap"><a id="z" href="/a.zip">Zip</a></div>');
    document.getElementById('wrap')!.addEventListener('click', (e) => e.stopPropagation());
    click('#z');
    expect(emit).toHaveBeenCalledTimes(1);
  });
});
