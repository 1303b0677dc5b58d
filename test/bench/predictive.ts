import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { crossValidate } from '../../shared/predictive/cv.ts';
import { fitModel, probability } from '../../shared/predictive/model.ts';
import { detectColumns } from '../../shared/predictive/table.ts';
import { labelledRows, readTable } from '../../server/commands/train.ts';
import { startTrainingWorker } from '../../server/predictive/run.ts';
import { trainFromLeads, type TrainingInput } from '../../server/predictive/training.ts';
import { rawLeads, seedLeads } from '../server/predictive-leads.ts';

// Predictive benchmark on the real Olist marketing funnel (../shared/data/olist, or OLIST_DIR):
// stratified 5-fold cross-validated ROC AUC and log loss of our pipeline against a plain
// logistic regression on the reference features, on the same folds and in the same run;
// then training time and the cost of one prediction. The data stays outside the repository
// (its licence forbids redistributing it).

const f3 = (x: number | null | undefined): string => (typeof x === 'number' ? x.toFixed(3) : '-');

/** The main thread's longest stall while a server-sized training runs in the worker, and inline. */
async function mainThreadStall(): Promise<void> {
  const now = Date.UTC(2026, 0, 1);
  const input: TrainingInput = { id: 'bench', now, leads: rawLeads(seedLeads(3_000, 9, now), now), current: null, folds: 5, seed: 0 };
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const t0 = performance.now();
  // As the server does it: a chunk of leads per turn of the event loop, then train.
  const worker = startTrainingWorker();
  for (let i = 0; i < input.leads.length; i += 200) {
    worker.send(input.leads.slice(i, i + 200));
    await new Promise<void>((ok) => setImmediate(ok));
  }
  const { leads: _leads, ...rest } = input;
  const inWorker = await worker.train(rest);
  const workerMs = performance.now() - t0;
  h.disable();
  const workerMax = h.max / 1e6;
  const t1 = performance.now();
  trainFromLeads(input);
  const inlineMs = performance.now() - t1; // the event loop is held for all of it
  console.log(`server training on ${input.leads.length} leads (${inWorker.ok ? `AUC ${f3(inWorker.model.evaluation.auc)}` : inWorker.reason}): ${workerMs.toFixed(0)} ms in a worker (incl. its start)`);
  console.log(`longest main-thread stall: ${workerMax.toFixed(1)} ms with the worker vs ${inlineMs.toFixed(0)} ms inline (${(inlineMs / Math.max(workerMax, 0.1)).toFixed(0)}x)`);
}

export async function benchPredictive(): Promise<void> {
  await mainThreadStall();
  const dir = resolve(process.env.OLIST_DIR ?? join(import.meta.dirname, '../../../shared/data/olist'));
  const mqls = join(dir, 'olist_marketing_qualified_leads_dataset.csv');
  const deals = join(dir, 'olist_closed_deals_dataset.csv');
  if (!existsSync(mqls) || !existsSync(deals)) {
    console.log(`skipped: the Olist files are not in ${dir} (set OLIST_DIR)`);
    return;
  }
  const table = await readTable(mqls);
  const { rows, labels } = await labelledRows(table, { csv: mqls, positives: deals, key: 'mql_id' });
  const columns = detectColumns(rows);
  const t0 = performance.now();
  const cv = crossValidate(rows, labels, { folds: 5, seed: 0 }, columns);
  const cvMs = performance.now() - t0;
  console.log(`Olist MQLs: ${cv.rows} rows, ${cv.positives} converted; stratified 5-fold CV, seed 0`);
  console.log('fold   AUC    log loss   baseline AUC  baseline log loss');
  cv.folds.forEach((f, i) => console.log(`${i + 1}      ${f3(f.auc)}  ${f3(f.logLoss)}      ${f3(f.baselineAuc)}         ${f3(f.baselineLogLoss)}`));
  console.log(`mean   ${f3(cv.auc)}  ${f3(cv.logLoss)}      ${f3(cv.baselineAuc)}         ${f3(cv.baselineLogLoss)}`);
  if (cv.auc !== null && typeof cv.baselineAuc === 'number') {
    console.log(`AUC ours / baseline: ${(cv.auc / cv.baselineAuc).toFixed(3)}  (goal: at least 1, same folds)`);
  }
  console.log(`log loss ours / baseline: ${(cv.logLoss / (cv.baselineLogLoss ?? Number.NaN)).toFixed(3)}  (lower is better)`);
  console.log(`cross-validation (10 fits): ${(cvMs / 1000).toFixed(2)} s`);
  const t1 = performance.now();
  const model = fitModel(columns, rows, labels, { seed: 0 });
  console.log(`one fit on all ${rows.length} rows: ${(performance.now() - t1).toFixed(0)} ms, ${model.names.length} features`);
  const t2 = performance.now();
  let sum = 0;
  for (let i = 0; i < 20_000; i++) sum += probability(model, rows[i % rows.length]!);
  const perPrediction = ((performance.now() - t2) * 1000) / 20_000;
  console.log(`one prediction: ${perPrediction.toFixed(2)} µs (mean probability ${(sum / 20_000).toFixed(3)})`);
}
