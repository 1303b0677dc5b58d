import type { FastifyBaseLogger } from 'fastify';
import type { SharedRateLimiter } from './shared-rate-limit.ts';
import type { OpenDatabase } from '../db/open.ts';
import type { StageBus } from '../cluster/stage-bus.ts';
import type { IngestItem, IngestResult } from '../ingest/ingest.ts';
import type { KeyCache } from '../auth/api-keys.ts';
import type { Counter } from '../metrics/counter.ts';
import type { Gauge } from '../metrics/gauge.ts';
import type { Histogram } from '../metrics/histogram.ts';
import type { Registry } from '../metrics/registry.ts';
import type { LiveModels } from '../scoring/live-models.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { StreamCap } from './stream-cap.ts';
import type { Rescorer } from '../scoring/rescore.ts';
import type { Writer } from '../db/writer.ts';

/** What route modules share: one per server. */
export type ServerContext = {
  db: OpenDatabase;
  writer: Writer<IngestItem, IngestResult>;
  keys: KeyCache;
  bus: StageBus;
  live(): LiveModels;
  reloadModels(): Promise<void>;
  /** Whether this instance runs the timers that must run once (retention, scheduled retraining). */
  isLeader(): boolean;
  /** Random per process: tells instances apart in /healthz and in the outbox's `claimed_by`. */
  instanceId: string;
  /** Background rescoring after a publish (rescore.ts). */
  rescorer: Rescorer;
  /** Secret for email-link tokens (pixel, click, lg_t). */
  linkSecret: string;
  /** In this process (SQLite), or shared by every instance in PostgreSQL (shared-rate-limit.ts). */
  limits: { perKey: Pick<RateLimiter, 'take'> | SharedRateLimiter | undefined; perAddress: Pick<RateLimiter, 'take'> | SharedRateLimiter | undefined };
  /** Open event streams per token (stream-cap.ts). */
  streams: StreamCap;
  /** Accept a 2-letter country from this request header (set by a trusted proxy). */
  countryHeader: string | undefined;
  /** Origins allowed to call the read API from a browser (besides extensions, which bypass CORS). */
  apiOrigins: string[];
  sdkFile: string;
  /** Origin put in email-link URLs (e.g. https://lg.example.com); default: the request's. */
  publicUrl: string | undefined;
  log: FastifyBaseLogger;
  metrics: {
    registry: Registry;
    accepted: Counter;
    rejected: Counter;
    duplicates: Counter;
    requests: Counter;
    depth: Gauge;
    commit: Histogram;
  };
  now(): number;
};
