import autocannon from 'autocannon';
import { benchId } from './bench-id.ts';

// The load generator, in its own process (forked by server.ts), so the server under test never
// pays for its clients. autocannon keeps `connections` requests in flight over keep-alive
// connections for `seconds`, or sends `rate` requests per second over them. Each request is a 10-event batch of page views with ids never used
// before (a counter in UUID v7 form), so the server stores every event instead of deduping.
// Answers on stdout as one JSON line: requests per second, latency percentiles, errors.

export type LoadRequest = {
  url: string;
  path: string;
  seconds: number;
  connections: number;
  site: string;
  verify: 'accepted' | 'status';
  tag: number;
  /** Requests per second over all connections (open loop); unset: as fast as answers come back. */
  rate?: number;
};
export type LoadResult = { rps: number; requests: number; p50: number; p99: number; errors: number; non2xx: number; mismatches: number };

/** A 10-event batch body; events of one request share an anonymous visitor, like a real page. */
export function batchBody(site: string, tag: number, n: number, ts: number): string {
  const anon = `bench-${n % 5000}`;
  let events = '';
  for (let k = 0; k < 10; k++) {
    if (k) events += ',';
    events += `{"id":"${benchId(ts, tag, n * 10 + k)}","type":"page_view","ts":${ts},"site":"${site}","anonymousId":"${anon}","sessionId":"s-${anon}","url":"https://acme.test/page/${k}","title":"A page of the benchmark site"}`;
  }
  return `{"events":[${events}],"sentAt":${ts}}`;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2]!) as LoadRequest;
  const ts = Date.now();
  let n = 0;
  const result = await autocannon({
    url: input.url,
    connections: input.connections,
    duration: input.seconds,
    pipelining: 1,
    ...(input.rate ? { overallRate: input.rate } : {}),
    requests: [
      {
        method: 'POST',
        path: input.path,
        headers: { 'content-type': 'text/plain' },
        setupRequest: (req) => ({ ...req, body: batchBody(input.site, input.tag, n++, ts) }),
      },
    ],
    ...(input.verify === 'accepted' ? { verifyBody: (body: string | Buffer | undefined) => String(body).startsWith('{"accepted":10,') } : {}),
  });
  const out: LoadResult = {
    rps: result.requests.total / (result.duration || input.seconds),
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    mismatches: (result as unknown as { mismatches?: number }).mismatches ?? 0,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
