import { closest, cut, doc, on, text } from './dom.ts';
import type { Emit } from './types.ts';

/** Clicks (and middle clicks) on links to files or with a `download` attribute. */
export function watchDownloads(files: RegExp, emit: Emit): void {
  const click = (e: MouseEvent) => {
    const a = closest(e, 'a[href]') as HTMLAnchorElement;
    // A click has button 0; of auxclicks only the middle button (1) opens a link.
    if (a && e.button < 2 && /^http/.test(a.protocol) && (a.hasAttribute('download') || files.test(a.pathname)))
      emit({ type: 'download', fileUrl: cut(a.href, 2048), linkText: text(a) });
  };
  on(doc, 'click', click);
  on(doc, 'auxclick', click);
}
