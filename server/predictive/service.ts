import type { FastifyBaseLogger } from 'fastify';
import type { PredictiveStatus } from '../../shared/contracts/marketing.ts';
import { uuidv7 } from '../../shared/ids.ts';
import { english, wordRunWhy } from '../../shared/scoring/wording.ts';
import type { OpenDatabase } from '../db/open.ts';
import type { JobRunner } from '../db/writer.ts';
import { logPredictionLoads, setCurrentModel } from './current.ts';
import { trainingLeadChunks } from './data.ts';
import { startTrainingWorker, type TrainingWorker } from './run.ts';
import { currentForTraining, predictiveStatus, recordRun, type RunRecord } from './store.ts';
import type { TrainingResult } from './training.ts';

// Predictive scoring in the server: one training at a time, in a worker thread, on a
// schedule (LEADGLOW_RETRAIN_HOURS, default 24, 0 = off) and on demand. A run's model
// replaces the current one only if it evaluates at least as well; every run is recorded.

export type PredictiveService = {
  /** Starts a run; false when one is already going (or the server is closing). */
  train(): boolean;
  /** Resolves when the run in progress (if any) has finished and been recorded. */
  idle(): Promise<void>;
  status(): Promise<PredictiveStatus>;
  close(): Promise<void>;
};

export const DEFAULT_RETRAIN_HOURS = 24;

/** LEADGLOW_RETRAIN_HOURS: hours between scheduled runs, 0 for on demand only. */
export function retrainHours(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.LEADGLOW_RETRAIN_HOURS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_RETRAIN_HOURS;
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours < 0) throw new Error(`LEADGLOW_RETRAIN_HOURS: expected hours (0 = off), got "${raw}"`);
  return hours;
}

/** What a worker's answer becomes in the runs table. */
export function runRecord(id: string, trainedAt: number, result: TrainingResult): RunRecord {
  if (!result.ok) return { id, trainedAt, status: 'failed', why: result.why };
  return { id, trainedAt, status: result.accepted ? 'current' : 'rejected', why: result.why, model: result.model };
}

/** What the service needs of the server (the routes in http/routes/predictive.ts call it). */
export type PredictiveDeps = { db: OpenDatabase; writer: JobRunner; log: FastifyBaseLogger; isLeader(): boolean; now(): number };

export function startPredictive(ctx: PredictiveDeps, options: { scheduleHours?: number } = {}): PredictiveService {
  const hours = options.scheduleHours ?? retrainHours();
  logPredictionLoads([ctx.db.read, ctx.db.write], ctx.log);
  let running: Promise<void> | undefined;
  let worker: TrainingWorker | undefined;
  let closed = false;

  async function runOnce(): Promise<void> {
    const now = ctx.now();
    const id = uuidv7(now);
    const w = (worker = startTrainingWorker());
    let leads = 0;
    let result: TrainingResult;
    try {
      for await (const chunk of trainingLeadChunks(ctx.db.read)) {
        if (closed) return;
        w.send(chunk);
        leads += chunk.length;
      }
      const current = await currentForTraining(ctx.db.read);
      if (current.unreadable) ctx.log.error({ run: id, current: current.unreadable.run, reason: current.unreadable.reason }, 'predictive training: the current model does not load; this run is judged as the first');
      if (closed) return;
      result = await w.train({ id, now, current: current.text, folds: 5, seed: 0 });
    } finally {
      worker = undefined;
      void w.terminate(); // a no-op once it answered; stops it when reading the data failed
    }
    if (closed) return;
    if (result.unreadable) ctx.log.warn({ run: id, leads: result.unreadable.count, reasons: result.unreadable.reasons }, 'predictive training left out leads whose stored data does not decode');
    const run = runRecord(id, now, result);
    await ctx.writer.run((trx) => recordRun(trx, run));
    if (run.status === 'current' && run.model) setCurrentModel([ctx.db.read, ctx.db.write], run.model, ctx.now());
    ctx.log.info({ run: id, status: run.status, auc: run.model?.evaluation.auc, leads }, `predictive training: ${wordRunWhy(run.why, english)}`);
  }

  const service: PredictiveService = {
    train() {
      if (running || closed) return false;
      running = runOnce()
        .catch((err: unknown) => {
          if (!closed) ctx.log.error({ err }, 'predictive training failed');
        })
        .finally(() => {
          running = undefined;
        });
      return true;
    },
    idle: async () => {
      await running;
    },
    status: () => predictiveStatus(ctx.db.read, running !== undefined, hours),
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      await worker?.terminate();
      await running;
    },
  };

  // Scheduled runs on one instance only (the leader); a run on demand runs where it was asked.
  const timer = hours > 0 ? setInterval(() => ctx.isLeader() && service.train(), hours * 3_600_000) : undefined;
  timer?.unref();
  return service;
}
