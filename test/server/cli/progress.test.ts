import { describe, expect, it } from 'vitest';
import { createProgress, duration } from '../../../server/cli/progress.ts';

function fakeStream(isTTY: boolean, columns?: number) {
  const writes: string[] = [];
  const stream: { write(s: string): boolean; isTTY: boolean; columns?: number } = { write: (s) => (writes.push(s), true), isTTY };
  if (columns !== undefined) stream.columns = columns;
  return { stream, writes };
}

function clock(start = 1_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

describe('createProgress on a terminal', () => {
  it('redraws one line in place with a bar, percent, count, rate and ETA', () => {
    const { stream, writes } = fakeStream(true);
    const c = clock();
    const p = createProgress({ label: 'import', total: 1000, stream, now: c.now });
    c.t += 2000;
    p.tick(250);
    expect(writes).toEqual(['\rimport  [######..................]   25%  250/1,000  125/s  ETA 6.0s\x1b[K']);
  });

  it('rate-limits redraws but always counts', () => {
    const { stream, writes } = fakeStream(true);
    const c = clock();
    const p = createProgress({ label: 'x', total: 10_000, stream, now: c.now, redrawMs: 100 });
    for (let i = 0; i < 10_000; i++) {
      c.t += 0.1; // 10,000 ticks over one second
      p.tick();
    }
    // The first tick draws, then at most one draw per 100 ms.
    expect(writes.length).toBeGreaterThanOrEqual(10);
    expect(writes.length).toBeLessThanOrEqual(11);
    p.finish();
    expect(writes.at(-1)).toBe('\rx  done: 10,000 in 1.0s\x1b[K\n');
  });

  it('truncates to the terminal width so \\r keeps working', () => {
    const { stream, writes } = fakeStream(true, 30);
    const c = clock();
    const p = createProgress({ label: 'a long label for a narrow terminal', total: 10, stream, now: c.now });
    p.tick();
    const shown = writes[0]!.replace('\r', '').replace('\x1b[K', '');
    expect(shown).toHaveLength(29);
    expect(shown).toBe('a long label for a narrow ter');
  });

  it('prints log lines above the bar and redraws it', () => {
    const { stream, writes } = fakeStream(true);
    const c = clock();
    const p = createProgress({ label: 'x', total: 4, stream, now: c.now });
    c.t += 1000;
    p.tick();
    p.log('line 7: expected won or lost');
    expect(writes.slice(1)).toEqual(['\r\x1b[Kline 7: expected won or lost\n', '\rx  [######..................]   25%  1/4  1/s  ETA 3.0s\x1b[K']);
  });

  it('ignores ticks after finish and a second finish; takes a custom final message', () => {
    const { stream, writes } = fakeStream(true);
    const c = clock();
    const p = createProgress({ label: 'backtest', stream, now: c.now });
    p.tick();
    p.finish('AUC 0.81 over 3,200 leads');
    const n = writes.length;
    p.tick();
    p.finish();
    expect(writes.length).toBe(n);
    expect(writes.at(-1)).toBe('\rbacktest  AUC 0.81 over 3,200 leads\x1b[K\n');
  });
});

describe('createProgress elsewhere (pipes, CI logs)', () => {
  it('writes plain lines, no \\r and no escape codes, every plainEveryMs', () => {
    const { stream, writes } = fakeStream(false);
    const c = clock();
    const p = createProgress({ label: 'rescore', total: 100, stream, now: c.now, plainEveryMs: 5000 });
    for (let i = 0; i < 100; i++) {
      c.t += 200; // 20 s in all
      p.tick();
    }
    p.finish();
    expect(writes).toEqual([
      'rescore    1%  1/100  5/s  ETA 19.8s\n',
      'rescore   26%  26/100  5/s  ETA 14.8s\n',
      'rescore   51%  51/100  5/s  ETA 9.8s\n',
      'rescore   76%  76/100  5/s  ETA 4.8s\n',
      'rescore  done: 100 in 20.0s\n',
    ]);
    expect(writes.join('')).not.toMatch(/[\r\x1b]/);
  });

  it('shows a count and rate when the total is unknown, and logs plainly', () => {
    const { stream, writes } = fakeStream(false);
    const c = clock();
    const p = createProgress({ label: 'events', stream, now: c.now });
    c.t += 4000;
    p.update(12_345);
    p.log('note');
    expect(writes).toEqual(['events  12,345  3,086/s  4.0s\n', 'note\n']);
  });

  it('follows the stream: isTTY decides unless told otherwise', () => {
    const { stream, writes } = fakeStream(false);
    createProgress({ label: 'x', total: 2, stream, tty: true, now: () => 0 }).tick();
    expect(writes[0]!.startsWith('\r')).toBe(true);
  });
});

describe('duration', () => {
  it.each([
    [0, '0ms'],
    [850, '850ms'],
    [999.9999, '1.0s'],
    [4_200, '4.2s'],
    [59_960, '1m00s'],
    [185_000, '3m05s'],
    [8_040_000, '2h14m'],
    [Infinity, '?'],
    [-1, '?'],
  ])('%s ms is %s', (ms, text) => {
    expect(duration(ms)).toBe(text);
  });
});
