import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StageChange } from '../../../shared/contracts/api.ts';
import { BACKENDS, ev, post, testServer, usePostgres, type TestServer } from '../harness.ts';

// The stream is fed from the outbox table on both backends: a rep who reconnects with
// Last-Event-ID gets what was committed meanwhile, in order, each once, then live changes.

const pg = usePostgres();

async function readFrames(url: string, token: string, headers: Record<string, string>, until: (frames: { id: number; change: StageChange }[]) => boolean): Promise<{ id: number; change: StageChange }[]> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), 20_000);
  const frames: { id: number; change: StageChange }[] = [];
  try {
    const r = await fetch(`${url}/v1/stream`, { headers: { authorization: `Bearer ${token}`, ...headers }, signal: ctrl.signal });
    const reader = r.body!.getReader();
    const dec = new TextDecoder();
    let buf = '';
    while (!until(frames)) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
        const lines = buf.slice(0, i).split('\n');
        buf = buf.slice(i + 2);
        const id = lines.find((l) => l.startsWith('id: '));
        const data = lines.find((l) => l.startsWith('data: '));
        if (id && data) frames.push({ id: Number(id.slice(4)), change: StageChange.parse(JSON.parse(data.slice(6))) });
      }
    }
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
  return frames;
}

describe.each(BACKENDS)('stream resume on %s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(backend, pg);
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  it('replays what a reconnecting client missed from Last-Event-ID, then goes on live', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await post(s.url, { events: [ev(s.siteKey, `resume-${i}`, 'identify', 1000, { traits: { email: `resume${i}@hooli.com` }, source: 'form' })] })).status).toBe(200);
    }
    const all = await readFrames(s.url, s.rep, { 'last-event-id': '0' }, (f) => f.filter((x) => x.change.email?.startsWith('resume')).length >= 3);
    const mine = all.filter((x) => x.change.email?.startsWith('resume'));
    expect(mine.map((x) => x.change.email)).toEqual(['resume0@hooli.com', 'resume1@hooli.com', 'resume2@hooli.com']);
    const ids = all.map((x) => x.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    // From the first one's id: the second and third, then a change made while connected. Sent
    // whether or not the stream is subscribed yet: committed before, it is in the replay.
    const resumed = readFrames(s.url, s.rep, { 'last-event-id': String(mine[0]!.id) }, (f) => f.some((x) => x.change.email === 'live@hooli.com'));
    expect((await post(s.url, { events: [ev(s.siteKey, 'live-1', 'identify', 500, { traits: { email: 'live@hooli.com' }, source: 'form' })] })).status).toBe(200);
    const frames = await resumed;
    expect(frames.map((x) => x.change.email).filter((e) => e?.startsWith('resume') || e === 'live@hooli.com')).toEqual(['resume1@hooli.com', 'resume2@hooli.com', 'live@hooli.com']);
  });

  it('refuses a Last-Event-ID that is not one of its ids', async () => {
    const r = await fetch(`${s.url}/v1/stream`, { headers: { authorization: `Bearer ${s.rep}`, 'last-event-id': 'abc' } });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toMatch(/Last-Event-ID/);
  });
});
