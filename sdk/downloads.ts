import { closest, doc, on, text } from './dom.ts';
import type { Emit } from './types.ts';

/** Clicks (and middle clicks) on links to files or with a `download` attribute. */
export function watchDownloads(files: RegExp, emit: Emit): void {
  const click = (e: MouseEvent) => {
    const a = closest(e, 'a[href]') as HTMLAnchorElement;
    if (a && (e.type === 'click' || e.button === 1) && /^http/.test(a.protocol) && (a.hasAttribute('download') || files.test(a.pathname)))
      emit({ type: 'download', fileUrl: a.href.slice(0, 2048), linkText: text(a) });
  };
  on(doc, 'click', click);
  on(doc, 'auxclick', click);
}
