import { StageChange } from '../../shared/index.ts';
import type { Connection } from './api.ts';

// `/v1/stream` read with fetch: EventSource cannot send the Bearer header. Reconnects with
// exponential backoff and jitter after errors (network loss, the machine waking from sleep),
// and after `idleMs` without a byte, since a socket from before a sleep can hang silently.
// Stops on 401: a revoked token will not start working by retrying.

type Options = {
  conn: Connection;
  onStage: (change: StageChange) => void;
  onStatus?: (status: 'online' | 'unreachable' | 'unauthorized') => void;
  fetchFn?: typeof fetch;
  minDelayMs?: number;
  maxDelayMs?: number;
  idleMs?: number;
  signal: AbortSignal;
};

export function backoff(attempt: number, min: number, max: number, random = Math.random): number {
  const ceiling = Math.min(max, min * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Splits an SSE byte stream into events; returns the unfinished tail. */
export function parseSse(buffer: string, emit: (event: string, data: string) => void): string {
  const blocks = buffer.split(/\r?\n\r?\n/);
  const tail = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length) emit(event, data.join('\n'));
  }
  return tail;
}

export async function runStream(o: Options): Promise<void> {
  const { fetchFn = fetch, minDelayMs = 1_000, maxDelayMs = 60_000, idleMs = 90_000, signal } = o;
  const url = `${o.conn.serverUrl.replace(/\/+$/, '')}/v1/stream`;
  let attempt = 0;
  while (!signal.aborted) {
    const idle = new AbortController();
    const stop = () => idle.abort();
    signal.addEventListener('abort', stop, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const kick = () => {
      clearTimeout(timer);
      timer = setTimeout(stop, idleMs);
    };
    try {
      kick();
      const res = await fetchFn(url, { headers: { authorization: `Bearer ${o.conn.token}`, accept: 'text/event-stream' }, signal: idle.signal });
      if (res.status === 401 || res.status === 403) {
        o.onStatus?.('unauthorized');
        return;
      }
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      o.onStatus?.('online');
      attempt = 0;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      // A body that ignores the abort (a stalled socket after sleep) must not keep us waiting.
      // why: cancelling a body that already failed rejects again; the read below ends either way.
      idle.signal.addEventListener('abort', () => void reader.cancel().catch(() => undefined), { once: true });
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        kick();
        buffer = parseSse(buffer + value, (event, data) => {
          if (event !== 'stage') return;
          const change = StageChange.safeParse(safeJson(data));
          if (change.success) o.onStage(change.data);
        });
      }
    } catch {
      // why: a dropped or refused stream is reported as the connection state the panel shows
      // (offline), and the loop reconnects with backoff; an abort is us leaving.
      if (signal.aborted) return;
      o.onStatus?.('unreachable');
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
    }
    if (signal.aborted) return;
    await sleep(backoff(attempt++, minDelayMs, maxDelayMs), signal);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // why: a data line that is not JSON is not a stage change: the schema check drops it.
    return undefined;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}
