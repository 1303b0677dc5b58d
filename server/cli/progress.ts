// Progress for long CLI runs (CSV imports, backtests, rescoring). On a terminal: one line
// redrawn in place with `\r`, at most every `redrawMs`, because a million ticks must not
// mean a million writes. Anywhere else (CI logs, `> file`, docker logs): a plain line every
// `plainEveryMs`, since `\r` there turns into one enormous line or thousands of them.

export type ProgressStream = { write(chunk: string): unknown; isTTY?: boolean; columns?: number };

export type ProgressOptions = {
  label: string;
  /** Unknown totals show a count and rate instead of a bar. */
  total?: number;
  stream?: ProgressStream;
  now?: () => number;
  redrawMs?: number;
  plainEveryMs?: number;
  /** Defaults to the stream's own `isTTY`. */
  tty?: boolean;
};

export type Progress = {
  tick(n?: number): void;
  /** Sets the absolute count (for work that reports where it is rather than steps). */
  update(done: number): void;
  /** Prints a message without garbling the bar. */
  log(message: string): void;
  /** Final line; later ticks are ignored. */
  finish(message?: string): void;
};

const BAR_WIDTH = 24;
const CLEAR_TO_END = '\x1b[K';

export function createProgress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr;
  const now = opts.now ?? Date.now;
  const tty = opts.tty ?? stream.isTTY === true;
  const redrawMs = opts.redrawMs ?? 100;
  const plainEveryMs = opts.plainEveryMs ?? 5000;
  const total = opts.total !== undefined && opts.total > 0 ? opts.total : undefined;
  const started = now();
  let done = 0;
  let lastDraw = -Infinity;
  let drawn = false; // a TTY line is on screen and needs clearing before other output
  let finished = false;

  function line(t: number): string {
    const elapsed = Math.max(0, t - started);
    const rate = elapsed > 0 ? (done * 1000) / elapsed : 0;
    const parts = [opts.label];
    if (total !== undefined) {
      const frac = Math.min(1, done / total);
      if (tty) parts.push(`[${'#'.repeat(Math.round(frac * BAR_WIDTH)).padEnd(BAR_WIDTH, '.')}]`);
      parts.push(`${Math.floor(frac * 100)}%`.padStart(4), `${count(done)}/${count(total)}`);
    } else {
      parts.push(count(done));
    }
    if (rate > 0) parts.push(`${count(Math.round(rate))}/s`);
    if (total !== undefined && rate > 0 && done < total) parts.push(`ETA ${duration(((total - done) / rate) * 1000)}`);
    else parts.push(duration(elapsed));
    return parts.join('  ');
  }

  function fit(text: string): string {
    // Wider than the terminal wraps, and `\r` then only returns to the wrapped tail.
    const cols = stream.columns;
    return cols !== undefined && cols > 1 && text.length >= cols ? text.slice(0, cols - 1) : text;
  }

  function draw(t: number): void {
    lastDraw = t;
    if (tty) {
      stream.write(`\r${fit(line(t))}${CLEAR_TO_END}`);
      drawn = true;
    } else {
      stream.write(`${line(t)}\n`);
    }
  }

  function maybeDraw(): void {
    if (finished) return;
    const t = now();
    if (t - lastDraw >= (tty ? redrawMs : plainEveryMs)) draw(t);
  }

  return {
    tick(n = 1) {
      if (finished) return;
      done += n;
      maybeDraw();
    },
    update(value) {
      if (finished) return;
      done = value;
      maybeDraw();
    },
    log(message) {
      if (tty && drawn) {
        stream.write(`\r${CLEAR_TO_END}${message}\n`);
        if (!finished) draw(now());
      } else {
        stream.write(`${message}\n`);
      }
    },
    finish(message) {
      if (finished) return;
      finished = true;
      const t = now();
      const summary = `${opts.label}  ${message ?? `done: ${count(done)} in ${duration(t - started)}`}`;
      stream.write(tty ? `\r${fit(summary)}${CLEAR_TO_END}\n` : `${summary}\n`);
      drawn = false;
    },
  };
}

function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** 850ms, 4.2s, 3m05s, 2h14m. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 999.5) return `${Math.round(ms)}ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)}s`; // 59.96 s would print as "60.0s"
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
