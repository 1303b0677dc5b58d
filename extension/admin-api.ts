import { z } from 'zod';
import {
  Backtest,
  DiffAnswer,
  DraftAnswer,
  ImportSummary,
  Model,
  ModelList,
  PageMatches,
  PredictiveStatus,
  PublishAnswer,
  RescoreStatus,
  Report,
  SiteTags,
  Versions,
  type TagRequest,
} from '../shared/index.ts';
import { InspectReport, KnownPages } from '../shared/contracts/inspect.ts';
import type { FormIntent } from '../shared/contracts/event.ts';
import { TagHealthList } from '../shared/contracts/tag-health.ts';
import { createCall, type Connection } from './background/api.ts';

// The marketer's half of the server API (admin token): models, drafts, versions, tagging,
// reports, backtests and predictive scoring. The dashboard (an extension page, as trusted as
// the background) calls it directly; tagging mode's content script goes through the background.
// Every answer is parsed with its shared contract.

const Ok = z.object({ ok: z.literal(true) });

export function createAdminApi(conn: Connection, fetchFn: typeof fetch = fetch, timeoutMs = 60_000) {
  const call = createCall(conn, fetchFn, timeoutMs);
  const id = encodeURIComponent;
  const json = (method: string, body?: unknown): RequestInit => ({ method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return {
    models: () => call('/v1/models', ModelList),
    model: (modelId: string, version?: number) => call(`/v1/models/${id(modelId)}${version ? `?version=${version}` : ''}`, Model),
    versions: (modelId: string) => call(`/v1/models/${id(modelId)}/versions`, Versions),
    diff: (modelId: string, from: number, to: number) => call(`/v1/models/${id(modelId)}/diff?from=${from}&to=${to}`, DiffAnswer),
    draft: (modelId: string) => call(`/v1/models/${id(modelId)}/draft`, Model),
    saveDraft: (modelId: string, draft: unknown) => call(`/v1/models/${id(modelId)}/draft`, DraftAnswer, json('PUT', draft)),
    discardDraft: (modelId: string) => call(`/v1/models/${id(modelId)}/draft`, Ok, json('DELETE')),
    addTag: (modelId: string, tag: TagRequest) => call(`/v1/models/${id(modelId)}/draft/tags`, Model, json('POST', tag)),
    /** `note`: why, kept in the version history with the token's name. */
    publishDraft: (modelId: string, note?: string) => call(`/v1/models/${id(modelId)}/draft/publish`, PublishAnswer, json('POST', note ? { note } : {})),
    rollback: (modelId: string, version: number, note?: string) => call(`/v1/models/${id(modelId)}/rollback`, PublishAnswer, json('POST', note ? { version, note } : { version })),
    setFormIntent: (modelId: string, formId: string, intent: FormIntent | null) => call(`/v1/models/${id(modelId)}/draft/form-intents`, Model, json('PUT', { formId, intent })),
    inspect: (url: string, model?: string) => call('/v1/inspect', InspectReport, json('POST', { url, ...(model ? { model } : {}) })),
    knownPages: (limit = 50) => call(`/v1/inspect/pages?limit=${limit}`, KnownPages),
    rescoring: () => call('/v1/rescoring', RescoreStatus),
    pages: (pattern: string, limit = 20) => call(`/v1/pages?pattern=${id(pattern)}&limit=${limit}`, PageMatches),
    siteTags: (siteKey: string) => call(`/v1/tags?site=${id(siteKey)}`, SiteTags),
    tagHealth: () => call('/v1/tags/health', TagHealthList),
    report: (modelId: string, weeks = 26) => call(`/v1/reports?model=${id(modelId)}&weeks=${weeks}`, Report),
    backtest: (draft: unknown, weeks = 26) => call('/v1/backtest', Backtest, json('POST', { draft, weeks })),
    predictive: () => call('/v1/predictive', PredictiveStatus),
    train: () => call('/v1/predictive/train', PredictiveStatus, json('POST', {})),
    importCsv: (kind: 'outcomes' | 'events', csv: string) =>
      call(`/v1/import/${kind}`, ImportSummary, { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } }),
  };
}
export type AdminApi = ReturnType<typeof createAdminApi>;
