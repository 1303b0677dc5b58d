import { BatchEnvelope, splitBatch } from '../../shared/contracts/batch.ts';
import { Event } from '../../shared/contracts/event.ts';

// What checking one ingest request costs: the body's JSON.parse and its split into good and
// refused events, per 10-event batch of page views shaped as the server bench sends them, in
// CPU time (40k batches, median of 5 rounds, side by side in one process). `splitBatch` asks
// the quick check (shared/contracts/event-check.ts) first; "zod alone" is the split it
// replaced, the envelope and every event through their zod schemas.
// Run: npx tsx test/bench/event-check.ts
const ts = Date.UTC(2026, 0, 10);
const site = 'sk_live_0123456789abcdef0123456789abcdef';
const body = (n: number): string =>
  JSON.stringify({
    events: Array.from({ length: 10 }, (_, k) => ({
      id: `0190f3a2-7c1e-7abc-8def-${String(n * 10 + k).padStart(12, '0')}`,
      type: 'page_view',
      ts,
      site,
      anonymousId: `bench-${n % 5000}`,
      sessionId: `s-bench-${n % 5000}`,
      url: `https://acme.test/page/${k}`,
      title: 'A page of the benchmark site',
    })),
    sentAt: ts,
  });
const texts = Array.from({ length: 1000 }, (_, i) => body(i));

function zodAlone(input: unknown): number {
  const envelope = BatchEnvelope.safeParse(input);
  if (!envelope.success) return 0;
  let ok = 0;
  for (const raw of envelope.data.events) if (Event.safeParse(raw).success) ok++;
  return ok;
}

const N = 40_000;
function time(f: (text: string) => number): number {
  let ok = 0;
  const t = process.cpuUsage();
  for (let i = 0; i < N; i++) ok += f(texts[i % texts.length]!);
  const u = process.cpuUsage(t);
  if (ok !== N * 10) throw new Error(`only ${ok} of ${N * 10} events passed`);
  return (u.user + u.system) / N;
}
const ways: [string, (text: string) => number][] = [
  ['JSON.parse alone', (text) => (JSON.parse(text) as { events: unknown[] }).events.length],
  ['JSON.parse + splitBatch (quick check, zod for the rest)', (text) => {
    const split = splitBatch(JSON.parse(text));
    return split.ok ? split.events.length : 0;
  }],
  ['JSON.parse + zod alone', (text) => zodAlone(JSON.parse(text))],
];
for (const [, f] of ways) time(f);
const rows = ways.map(() => [] as number[]);
for (let round = 0; round < 5; round++) ways.forEach(([, f], i) => rows[i]!.push(time(f)));
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
for (const [i, [name]] of ways.entries()) console.log(`${median(rows[i]!).toFixed(2).padStart(7)} µs CPU per 10-event batch: ${name}`);
