import type { Generated } from 'kysely';
import type { PackedSummary } from './lead-summary-codec.ts';

// The tables as Kysely sees them. Both backends store JSON as text and times as integer
// milliseconds (bigint in PostgreSQL, parsed back to number by the pool), so one query layer
// serves both without dialect branches.

export type KeysTable = {
  id: string;
  /** sha256 hex of the secret; the secret itself is never stored. */
  hash: string;
  role: 'site' | 'rep' | 'admin';
  site: string | null;
  /** JSON array of allowed origins (site keys). */
  origins: string;
  name: string | null;
  /** JSON array of the rep's own email addresses (rep and admin tokens); default '[]'. */
  emails: Generated<string>;
  created_at: number;
  revoked_at: number | null;
};

export type EventsTable = {
  id: string;
  site: string;
  anonymous_id: string;
  lead_id: string | null;
  ts: number;
  type: string;
  /** The validated event as JSON, with `site` rewritten to the site id (never the key). */
  body: string;
  received_at: number;
};

export type IdentitiesTable = {
  site: string;
  anonymous_id: string;
  lead_id: string;
  created_at: number;
};

/** Why a history joined a lead: a form on this device, another device, a relink, a merge. */
export type IdentityLinksTable = {
  id: string;
  lead_id: string;
  site: string;
  anonymous_id: string;
  kind: 'identify' | 'device' | 'relink' | 'email_link';
  from_lead_id: string | null;
  event_id: string | null;
  at: number;
};

export type LeadsTable = {
  id: string;
  /** JSON array of lowercase emails, first is primary. */
  emails: string;
  /** JSON LeadProfile. */
  profile: string;
  company_domain: string | null;
  feedback: string | null;
  outcome: string | null;
  first_seen: number;
  last_seen: number;
  created_at: number;
};

export type LeadEmailsTable = { email: string; lead_id: string };

export type LeadScoresTable = {
  lead_id: string;
  model_id: string;
  model_version: number;
  /** JSON ScoreState. */
  state: string;
  stage: string;
  fit: number;
  interest: number;
  updated_at: number;
};

export type ModelsTable = {
  id: string;
  version: number;
  json: string;
  status: 'draft' | 'live' | 'retired';
  created_at: number;
  published_at: number | null;
  /** The admin key that published this version (0006); null for the starter model and older rows. */
  published_by: Generated<string | null>;
  /** That key's name (or first address) when it published. */
  published_by_name: Generated<string | null>;
  /** Why this change, as the publisher wrote it. */
  note: Generated<string | null>;
};

export type StageChangesTable = {
  id: Generated<number>;
  lead_id: string;
  model_id: string;
  from_stage: string;
  to_stage: string;
  reason: string;
  at: number;
};

/**
 * The durable outbox of stage changes, written in the transaction that made them. Streams on
 * every instance read it in id order (ids are assigned in commit order: see `outbox.ts`);
 * webhook delivery claims its rows. `key` is the idempotency key every copy of a delivery carries.
 */
export type OutboxTable = {
  id: Generated<number>;
  key: string;
  lead_id: string;
  /** JSON StageChange. */
  change: string;
  at: number;
  /** Webhook delivery: next attempt no earlier than this (ms). */
  next_at: number;
  attempts: Generated<number>;
  /** An instance delivering it holds it until then; after a crash the lease runs out and another takes it. */
  lease_until: number | null;
  /** The instance (ServerContext.instanceId, also in /healthz) that last claimed it. */
  claimed_by: string | null;
  delivered_at: number | null;
  /** Given up (a 4xx, too many attempts, too old); `last_error` says why. */
  failed_at: number | null;
  last_error: string | null;
};

/** A rescoring of every lead after a publish, run in chunks by any instance; resumable from `cursor`. */
export type RescoreJobsTable = {
  id: string;
  /** Leads with ids above this are still to do. */
  cursor: string;
  done: number;
  total: number;
  created_at: number;
  /** Set when every lead was done, or when a newer publish superseded it. */
  finished_at: number | null;
  lease_until: number | null;
  claimed_by: string | null;
};

/** PostgreSQL only (UNLOGGED): token buckets shared by every instance (shared-rate-limit.ts). */
export type RateLimitsTable = {
  /** `k:` and a key id, or `a:` and an HMAC of an address (never the address). */
  key: string;
  tokens: number;
  at: number;
  /** Whether the last take found enough tokens. */
  ok: boolean;
};

export type AuditTable = {
  id: Generated<number>;
  at: number;
  actor: string;
  action: string;
  /** JSON without personal data: ids and counts. */
  detail: string;
};

export type SettingsTable = { key: string; value: string };

/** One predictive training run: its model (kept as current or not) and why. */
export type PredictiveModelsTable = {
  id: string;
  trained_at: number;
  /** current: scores leads; retired: was current; rejected: evaluated worse than the current one; failed: no model. */
  status: 'current' | 'retired' | 'rejected' | 'failed';
  reason: string;
  /** JSON Evaluation, null when the run failed. */
  evaluation: string | null;
  /** JSON PredictiveModel (shared/predictive/predictive-model.ts), null when the run failed. */
  model: string | null;
};

/**
 * Whether a tag picked in the extension still finds its element, per page path: the tags
 * script's reports (sdk/tags-script.ts), summed. `state` is the latest report's (`s` by
 * selector, `f` by fingerprint only, `n` not found) and `since` when it began.
 */
export type TagHealthTable = {
  /** The served tag's id (a hash of its selector and scope; shared/analytics/tags.ts). */
  tag_id: string;
  /** Lowercased page path. */
  path: string;
  selector: string;
  state: 's' | 'f' | 'n';
  since: number;
  last_at: number;
  by_selector: number;
  by_fingerprint: number;
  missed: number;
};

/**
 * A lead's events packed into one row (lead-summary.ts, lead-summary-codec.ts): what reports,
 * backtests and rescoring read. Always what the events table says; rebuildable from it.
 */
export type LeadSummariesTable = {
  lead_id: string;
  /** Segments in the packed form v2 (text; lead-summary-codec.ts, migration 0013). */
  packed: PackedSummary;
  /** Events packed (a resent event counted again until the row is folded or rebuilt). */
  events: number;
  /** Segments appended since the row was last written whole. */
  segments: number;
};

export type DB = {
  keys: KeysTable;
  events: EventsTable;
  identities: IdentitiesTable;
  identity_links: IdentityLinksTable;
  leads: LeadsTable;
  lead_emails: LeadEmailsTable;
  lead_scores: LeadScoresTable;
  models: ModelsTable;
  stage_changes: StageChangesTable;
  outbox: OutboxTable;
  rescore_jobs: RescoreJobsTable;
  rate_limits: RateLimitsTable;
  audit: AuditTable;
  settings: SettingsTable;
  predictive_models: PredictiveModelsTable;
  tag_health: TagHealthTable;
  lead_summaries: LeadSummariesTable;
};
