import { Event } from '../../shared/contracts/event.ts';
import { LeadProfile } from '../../shared/contracts/lead.ts';
import { ScoreState, storedState } from '../../shared/contracts/score-state.ts';
import { defaultModel, stateFromHistory } from '../../shared/scoring/index.ts';

// What decoding stored JSON through its contract costs against JSON.parse alone, per value, in
// CPU time (10k decodes, median of 5 rounds, side by side in one process). It decided that
// score states get a structural and version check (storedState) instead of a full zod parse,
// while lead columns and events are decoded through their contracts.
// Run: npx tsx test/bench/stored-decode.ts
const now = Date.UTC(2026, 0, 10);
const mk = (i: number, extra: Record<string, unknown>) => ({ id: `0193${String(i).padStart(4, '0')}-0000-7000-8000-000000000000`, site: 'demo', anonymousId: 'anon-123456', sessionId: 's1', ts: now - 3 * 86400000 + i * 60000, ...extra });
const events: any[] = [];
for (let i = 0; i < 40; i++) events.push(mk(i, { type: 'page_view', url: `https://www.example.com/${['pricing', 'demo', 'docs', 'blog/x', 'case-studies/y'][i % 5]}`, title: 'Page' }));
events.push(mk(41, { type: 'form_submit', url: 'https://www.example.com/demo', formId: 'demo-request', fields: ['email'] }));
for (const e of events) Event.parse(e);
const st = stateFromHistory(defaultModel, events);
const json = JSON.stringify(st);
if (!ScoreState.safeParse(st).success) throw new Error('state does not parse');
const pv = JSON.stringify(events[0]);
const profile = JSON.stringify({ email: 'anna@acme.nl', name: 'Anna de Vries', jobTitle: 'Head of Sales', seniority: 'director', country: 'NL', company: { name: 'Acme', domain: 'acme.nl' } });
if (!LeadProfile.safeParse(JSON.parse(profile)).success) throw new Error('profile does not parse');
const N = 10000;
function time(name: string, f: () => unknown) {
  for (let i = 0; i < 2000; i++) f();
  const t = process.cpuUsage();
  for (let i = 0; i < N; i++) f();
  const u = process.cpuUsage(t);
  return [name, (u.user + u.system) / N] as const;
}
const rows: Record<string, number[]> = {};
for (let round = 0; round < 5; round++) {
  for (const [n, v] of [
    time(`score state ${json.length} B: JSON.parse`, () => JSON.parse(json)),
    time('score state: storedState (JSON.parse + structural check)', () => storedState(json)),
    time('score state: JSON.parse + ScoreState.safeParse', () => ScoreState.safeParse(JSON.parse(json))),
    time(`page_view ${pv.length} B: JSON.parse`, () => JSON.parse(pv)),
    time('page_view: JSON.parse + Event.safeParse', () => Event.safeParse(JSON.parse(pv))),
    time(`lead profile ${profile.length} B: JSON.parse`, () => JSON.parse(profile)),
    time('lead profile: JSON.parse + LeadProfile.safeParse', () => LeadProfile.safeParse(JSON.parse(profile))),
  ]) (rows[n] ??= []).push(v);
}
for (const [n, v] of Object.entries(rows)) { v.sort((a, b) => a - b); console.log(`${n}: median ${v[2]!.toFixed(2)} µs CPU per decode (10k decodes x 5 rounds)`); }
