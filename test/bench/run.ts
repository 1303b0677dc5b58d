import { benchCluster } from './cluster.ts';
import { benchEngine } from './engine.ts';
import { figureTable, type Figure } from './figures.ts';
import { benchPredictive } from './predictive.ts';
import { benchSdk } from './sdk.ts';
import { benchServer } from './server.ts';
import { benchSummaryCodec } from './summary-codec.ts';

// `npm run bench [engine|summary|sdk|server|predictive|cluster] [-- --check]`: figures with ratios against
// baselines measured in the same run, then one table of the figures that have a goal (issue 14's
// table; ARCHITECTURE.md "Numbers that count"). With --check the exit code is 1 when a measured
// figure misses its goal. Never part of `npm test`: timings on a shared machine are noisy.
const benches: Record<string, () => Promise<Figure[] | void>> = { engine: benchEngine, summary: benchSummaryCodec, sdk: benchSdk, server: benchServer, predictive: benchPredictive, cluster: benchCluster };
const args = process.argv.slice(2);
const check = args.includes('--check');
const wanted = args.filter((a) => !a.startsWith('--'));
const unknown = wanted.filter((w) => !(w in benches));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}: expected one of ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
const figures: Figure[] = [];
for (const [name, run] of Object.entries(benches)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n== ${name} ==`);
  figures.push(...((await run()) ?? []));
}
if (figures.length) console.log(`\n${figureTable(figures)}`);
const missed = figures.filter((f) => f.ok === false);
if (check && missed.length) {
  console.log(`\n--check: ${missed.length} figure(s) missed their goal: ${missed.map((f) => f.name).join('; ')}`);
  process.exit(1);
}
process.exit(0);
