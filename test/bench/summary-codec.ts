import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { Event, type EventType } from '../../shared/contracts/event.ts';
import { packSegment, unpack } from '../../server/db/lead-summary-codec.ts';
import { packSegmentV1, unpackV1 } from '../../server/db/lead-summary-v1.ts';
import { generateDemo } from '../../server/demo/generate-demo.ts';
import type { Figure } from './figures.ts';

// The packed per-lead summary (server/db/lead-summary-codec.ts, form v2) against the form it
// replaced (v1: JSON segments, unpacked with one JSON.parse; server/db/lead-summary-v1.ts): CPU
// microseconds per event to unpack the same leads, every type and with a report's type filter,
// side by side in one process (median of 5 rounds of at least 300k events), and the bytes per lead.
//
// The leads: with BENCH_SCALE_DIR, the first BENCH_SUMMARY_LEADS (default 3000) summaries of
// the seeded store in it (opened read-only; rows of either form); otherwise the demo's visitors.
// Both forms reach the measuring processes as flat strings (through a JSON file), as a database
// driver returns them (a string built by concatenation would make charCodeAt slow).
// Run: `npm run bench -- summary`, or `node --expose-gc --import tsx test/bench/summary-codec.ts`.

const GOAL = 3;
/** A report whose models score visits, forms and downloads: the other types are skipped. */
const REPORT_TYPES: ReadonlySet<EventType> = new Set(['identify', 'page_view', 'form_submit', 'download']);
const ROUNDS = 5;
const PER_ROUND = 300_000;

function storeLeads(dir: string, count: number): Event[][] {
  const db = new Database(join(resolve(dir), 'leadglow.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT packed FROM lead_summaries ORDER BY lead_id LIMIT ?').all(count) as { packed: string }[];
    return rows.map((r) => (r.packed.startsWith('{') ? unpackV1(r.packed) : unpack(r.packed)));
  } finally {
    db.close();
  }
}

function demoLeads(): Event[][] {
  const byVisitor = new Map<string, Event[]>();
  for (const raw of generateDemo({ seed: 2, now: Date.UTC(2026, 5, 1, 12) }).events) {
    const e = Event.parse(raw);
    const list = byVisitor.get(e.anonymousId);
    if (list) list.push(e);
    else byVisitor.set(e.anonymousId, [e]);
  }
  return [...byVisitor.values()];
}

/**
 * CPU µs per event of `run` over every packed lead, the median of ROUNDS rounds. A round passes
 * over the leads until it has seen PER_ROUND events: the process's CPU time includes the
 * compiler's and the collector's threads, which would swamp a round of a few milliseconds.
 */
function perEvent<T>(items: readonly T[], events: number, run: (item: T) => unknown): number {
  const passes = Math.max(1, Math.ceil(PER_ROUND / events));
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t = process.cpuUsage();
    for (let k = 0; k < passes; k++) for (const item of items) run(item);
    const u = process.cpuUsage(t);
    rounds.push((u.user + u.system) / (passes * events));
  }
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(ROUNDS / 2)]!;
}

/** The leads to measure on (see the header). */
function benchLeads(): { leads: Event[][]; source: string } {
  const dir = process.env.BENCH_SCALE_DIR;
  if (dir !== undefined && existsSync(join(resolve(dir), 'leadglow.db'))) return { leads: storeLeads(dir, Number(process.env.BENCH_SUMMARY_LEADS ?? 3000)), source: `the store in ${dir}` };
  return { leads: demoLeads(), source: 'the demo' };
}

type Codec = 'v1' | 'v2';
type Timing = { all: number; filtered: number; pack: number };
const CODECS: Record<Codec, { pack: (events: readonly Event[]) => string; unpack: (packed: string, types?: ReadonlySet<EventType>) => Event[] }> = {
  v1: { pack: packSegmentV1, unpack: unpackV1 },
  v2: { pack: packSegment, unpack },
};

/**
 * One codec's CPU µs per event, in a process that runs only it (see benchSummaryCodec), over the
 * packed leads in `input` (both forms, as the parent wrote them). The events to pack come from
 * the other codec: objects kept alive from an allocation site make V8 allocate its later objects
 * straight in the old generation (pretenuring), so decoding the input with the measured codec
 * and keeping the result made its unpacking twice as dear (measured).
 */
function measure(codec: Codec, input: string): Timing {
  const packed = (JSON.parse(readFileSync(input, 'utf8')) as Record<Codec, string[]>)[codec];
  const other = codec === 'v1' ? 'v2' : 'v1';
  const leads = (JSON.parse(readFileSync(input, 'utf8')) as Record<Codec, string[]>)[other].map((p) => CODECS[other].unpack(p));
  const events = leads.reduce((n, l) => n + l.length, 0);
  const { pack, unpack: read } = CODECS[codec];
  perEvent(leads, events, pack);
  const packTime = perEvent(leads, events, pack);
  leads.length = 0;
  (globalThis as { gc?: () => void }).gc?.();
  for (const types of [undefined, REPORT_TYPES]) perEvent(packed, events, (p) => read(p, types));
  return { all: perEvent(packed, events, (p) => read(p)), filtered: perEvent(packed, events, (p) => read(p, REPORT_TYPES)), pack: packTime };
}

const THIS_FILE = fileURLToPath(import.meta.url);

function measureInChild(codec: Codec, input: string): Timing {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', THIS_FILE], { env: { ...process.env, SUMMARY_CODEC: codec, SUMMARY_CODEC_INPUT: input }, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`summary codec bench: the ${codec} process failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Timing;
}

/**
 * v1 against v2 on the same leads. Each codec is timed in a process of its own, twice, in turns
 * (v1, v2, v1, v2), and the lower time of each kept: in one process the two disturb each other
 * (objects of one shape built by two codecs, one codec's garbage in the other's heap; v1 took
 * twice as long beside v2 as alone), and in production only one runs.
 */
export async function benchSummaryCodec(): Promise<Figure[]> {
  const { leads, source } = benchLeads();
  const events = leads.reduce((n, l) => n + l.length, 0);
  // The same events either way, or the timing means nothing.
  let bytesV1 = 0;
  let bytesV2 = 0;
  const packed: Record<Codec, string[]> = { v1: [], v2: [] };
  for (let i = 0; i < leads.length; i++) {
    const a = packSegmentV1(leads[i]!);
    const b = packSegment(leads[i]!);
    packed.v1.push(a);
    packed.v2.push(b);
    bytesV1 += Buffer.byteLength(a);
    bytesV2 += Buffer.byteLength(b);
    if (!isDeepStrictEqual(unpack(b), unpackV1(a))) throw new Error(`summary codec bench: lead ${i} unpacks differently in v1 and v2`);
    if (!isDeepStrictEqual(unpack(b, REPORT_TYPES), unpackV1(a, REPORT_TYPES))) throw new Error(`summary codec bench: lead ${i} filtered differently`);
  }
  const filtered = leads.reduce((n, l) => n + l.filter((e) => REPORT_TYPES.has(e.type)).length, 0);
  console.log(`${leads.length} leads, ${events} events (${source}); the report filter keeps ${filtered} (${[...REPORT_TYPES].join(', ')})`);
  console.log(`bytes per lead: v1 ${(bytesV1 / leads.length).toFixed(0)}, v2 ${(bytesV2 / leads.length).toFixed(0)} (${((100 * bytesV2) / bytesV1).toFixed(0)}%)`);
  const tmp = mkdtempSync(join(tmpdir(), 'leadglow-summary-bench-'));
  const runs: Record<Codec, Timing[]> = { v1: [], v2: [] };
  try {
    const input = join(tmp, 'packed.json');
    writeFileSync(input, JSON.stringify(packed));
    for (let k = 0; k < 2; k++) for (const codec of ['v1', 'v2'] as const) runs[codec].push(measureInChild(codec, input));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const best = (codec: Codec, key: keyof Timing) => Math.min(...runs[codec].map((t) => t[key]));
  console.log(`pack: v1 ${best('v1', 'pack').toFixed(3)} µs, v2 ${best('v2', 'pack').toFixed(3)} µs CPU per event (ingest packs every batch)`);
  const figures: Figure[] = [];
  for (const [label, key] of [
    ['every type', 'all'],
    ['a report filter', 'filtered'],
  ] as const) {
    const a = best('v1', key);
    const b = best('v2', key);
    const ratio = a / b;
    console.log(`unpack, ${label}: v1 ${a.toFixed(3)} µs, v2 ${b.toFixed(3)} µs CPU per stored event: ${ratio.toFixed(2)}x fewer (goal >= ${GOAL}x)`);
    figures.push({ name: `summary unpack, ${label}: v1 / v2 CPU per event`, value: `${ratio.toFixed(2)}x (${a.toFixed(3)} / ${b.toFixed(3)} µs)`, goal: `>= ${GOAL}x`, ok: ratio >= GOAL });
  }
  return figures;
}

const child = process.env.SUMMARY_CODEC;
if (child === 'v1' || child === 'v2') console.log(JSON.stringify(measure(child, process.env.SUMMARY_CODEC_INPUT!)));
else if (process.argv[1] && resolve(process.argv[1]) === THIS_FILE) await benchSummaryCodec();
