import { benchCluster } from './cluster.ts';
import { benchEngine } from './engine.ts';
import { benchPredictive } from './predictive.ts';
import { benchSdk } from './sdk.ts';
import { benchServer } from './server.ts';

// `npm run bench [engine|sdk|server|predictive|cluster]`: figures with ratios against baselines measured in the
// same run. Goals are in ../../ARCHITECTURE.md; nothing here fails a build.
const benches: Record<string, () => Promise<void>> = { engine: benchEngine, sdk: benchSdk, server: benchServer, predictive: benchPredictive, cluster: benchCluster };
const wanted = process.argv.slice(2);
for (const [name, run] of Object.entries(benches)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n== ${name} ==`);
  await run();
}
process.exit(0);
