import { english, wordRunWhy } from '../../shared/scoring/wording.ts';
import type { AdminApi } from '../../extension/admin-api.ts';
import type { TagHealthList } from '../../shared/contracts/tag-health.ts';
import type { ApiResult } from '../../extension/background/api.ts';
import type { InspectReport, KnownPages } from '../../shared/contracts/inspect.ts';
import {
  defaultModel,
  parseModel,
  type Backtest,
  type Model,
  type ModelListItem,
  type PredictiveStatus,
  type RescoreStatus,
  type Report,
  type VersionItem,
} from '../../shared/index.ts';

// A stand-in for the marketer's API (extension/admin-api.ts) kept in memory: models with
// versions, a draft, publish and rollback as the server does them, and canned reports,
// backtests and predictive status. `calls` records every call; `rejectNextSave` makes the
// next save fail with server-side details, as a 400 from PUT /v1/models/:id/draft would.

const DAY = 86_400_000;
export const T0 = Date.UTC(2025, 5, 2); // a Monday

type Stored = { version: number; status: VersionItem['status']; model: Model; createdAt: number; publishedAt?: number; publishedBy?: VersionItem['publishedBy']; note?: string };

/** The admin token this fake answers for, as the server names it in the version history. */
export const FAKE_AUTHOR = { keyId: '0192f0c4-5a1b-7c2d-8e3f-123456789abc', name: 'Ada Admin' };

const ok = <T>(data: T): ApiResult<T> => ({ ok: true, data });
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export function createFakeAdminApi({ now = () => T0 + 30 * DAY } = {}) {
  const v1: Model = clone(defaultModel);
  const v2: Model = { ...clone(defaultModel), version: 2, halfLifeDays: 21 };
  const store = new Map<string, Stored[]>([
    [
      v1.id,
      [
        { version: 1, status: 'retired', model: v1, createdAt: T0, publishedAt: T0 },
        { version: 2, status: 'live', model: v2, createdAt: T0 + DAY, publishedAt: T0 + DAY, publishedBy: { keyId: '0192f0c4-0000-7000-8000-00000000beef' } },
      ],
    ],
  ]);
  const state = {
    calls: [] as string[],
    /** The note given with each publish or rollback, in order (undefined: none). */
    notes: [] as (string | undefined)[],
    rejectNextSave: undefined as string[] | undefined,
    report: sampleReport(),
    backtest: sampleBacktest(),
    predictive: samplePredictive(),
    /** What POST /v1/inspect answers for a URL (a test sets it; default: the connection is refused). */
    inspect: (url: string): ApiResult<InspectReport> => ({ ok: false, problem: 'invalid', message: 'could not check the page', details: [`url: ${url}: the connection was refused`] }),
    knownPages: [] as KnownPages['pages'],
    tagHealth: { items: [] } as TagHealthList,
    /** The latest rescoring: a publish starts one over 2,480 leads; each look moves it 1,000 on. */
    rescore: { running: false } as RescoreStatus,
  };
  const rows = (id: string) => store.get(id) ?? [];
  const latest = (id: string) => Math.max(0, ...rows(id).map((r) => r.version));

  function publish(id: string, model: Model, note?: string): number {
    const list = rows(id).filter((r) => r.status !== 'draft');
    for (const r of list) if (r.status === 'live') r.status = 'retired';
    const version = latest(id) + (rows(id).some((r) => r.status === 'draft') ? 0 : 1);
    list.push({ version, status: 'live', model: { ...clone(model), version }, createdAt: now(), publishedAt: now(), publishedBy: FAKE_AUTHOR, ...(note ? { note } : {}) });
    store.set(id, list);
    state.rescore = { running: true, done: 0, total: 2_480, startedAt: now() };
    return version;
  }

  const api: AdminApi = {
    async models() {
      state.calls.push('models');
      const items: ModelListItem[] = [...store.values()].flat().map((r) => ({ id: r.model.id, version: r.version, name: r.model.name, status: r.status, ...(r.publishedAt ? { publishedAt: r.publishedAt } : {}) }));
      return ok({ items });
    },
    async model(id) {
      state.calls.push(`model ${id}`);
      const live = rows(id).find((r) => r.status === 'live');
      return live ? ok(clone(live.model)) : { ok: false, problem: 'not-found', message: 'no such model' };
    },
    async versions(id) {
      state.calls.push(`versions ${id}`);
      const items = [...rows(id)]
        .sort((a, b) => b.version - a.version)
        .map((r): VersionItem => ({ version: r.version, status: r.status, createdAt: r.createdAt, ...(r.publishedAt ? { publishedAt: r.publishedAt } : {}), ...(r.publishedBy ? { publishedBy: r.publishedBy } : {}), ...(r.note ? { note: r.note } : {}), changes: r.version === 1 ? [] : [{ kind: 'value-changed', path: 'halfLifeDays', before: 30, after: r.model.halfLifeDays }], summary: r.version === 1 ? 'first version' : `halfLifeDays: 30 -> ${r.model.halfLifeDays}` }));
      return ok({ id, items });
    },
    async diff() {
      return ok({ changes: [], summary: 'no changes' });
    },
    async draft(id) {
      state.calls.push(`draft ${id}`);
      const d = rows(id).find((r) => r.status === 'draft');
      return d ? ok(clone(d.model)) : { ok: false, problem: 'not-found', message: `model "${id}" has no draft` };
    },
    async saveDraft(id, draft) {
      state.calls.push(`saveDraft ${id}`);
      if (state.rejectNextSave) {
        const details = state.rejectNextSave;
        state.rejectNextSave = undefined;
        return { ok: false, problem: 'invalid', message: 'invalid draft', details };
      }
      const check = parseModel(draft);
      if (!check.ok) return { ok: false, problem: 'invalid', message: 'invalid draft', details: check.errors.map((l) => l.replace(/\[(\d+)\]/g, '.$1')) };
      const list = rows(id).filter((r) => r.status !== 'draft');
      const version = latest(id) + (rows(id).some((r) => r.status === 'draft') ? 0 : 1);
      list.push({ version, status: 'draft', model: { ...check.model, version }, createdAt: now() });
      store.set(id, list);
      return ok({ id, version });
    },
    async discardDraft(id) {
      state.calls.push(`discardDraft ${id}`);
      store.set(id, rows(id).filter((r) => r.status !== 'draft'));
      return ok({ ok: true as const });
    },
    async addTag(id) {
      return { ok: false, problem: 'not-found', message: id };
    },
    async publishDraft(id, note) {
      state.calls.push(`publishDraft ${id}`);
      state.notes.push(note);
      const d = rows(id).find((r) => r.status === 'draft');
      if (!d) return { ok: false, problem: 'not-found', message: `model "${id}" has no draft to publish` };
      return ok({ id, version: publish(id, d.model, note), rescoring: true as const });
    },
    async rollback(id, version, note) {
      state.calls.push(`rollback ${id} ${version}`);
      state.notes.push(note);
      const old = rows(id).find((r) => r.version === version && r.status !== 'draft');
      if (!old) return { ok: false, problem: 'not-found', message: 'no such version' };
      return ok({ id, version: publish(id, old.model, note), rescoring: true as const });
    },
    async setFormIntent(id, formId, intent) {
      state.calls.push(`setFormIntent ${id} ${formId} ${intent}`);
      const base = rows(id).find((r) => r.status === 'draft') ?? rows(id).find((r) => r.status === 'live');
      if (!base) return { ok: false, problem: 'not-found', message: `no model "${id}"` };
      const others = base.model.formIntents.filter((o) => o.formId !== formId);
      const model = { ...clone(base.model), formIntents: intent === null ? others : [...others, { formId, intent }] };
      await api.saveDraft(id, model);
      return ok(rows(id).find((r) => r.status === 'draft')!.model);
    },
    async inspect(url) {
      state.calls.push(`inspect ${url}`);
      return state.inspect(url);
    },
    async knownPages() {
      state.calls.push('knownPages');
      return ok({ pages: state.knownPages });
    },
    async rescoring() {
      state.calls.push('rescoring');
      const r = state.rescore;
      const answer = clone(r);
      if (r.running && r.done !== undefined && r.total !== undefined) {
        const done = Math.min(r.total, r.done + 1_000);
        state.rescore = done === r.total ? { ...r, running: false, done, finishedAt: now() } : { ...r, done };
      }
      return ok(answer);
    },
    async pages(pattern) {
      return ok({ pattern, matches: [], total: 0 });
    },
    async siteTags() {
      return ok({ elements: [] });
    },
    async tagHealth() {
      state.calls.push('tagHealth');
      return ok(state.tagHealth);
    },
    async report(id, weeks) {
      state.calls.push(`report ${id} ${weeks}`);
      return ok(state.report);
    },
    async backtest(draft, weeks) {
      state.calls.push(`backtest ${weeks}`);
      const check = parseModel(draft);
      if (!check.ok) return { ok: false, problem: 'invalid', message: 'invalid draft', details: check.errors };
      return ok(state.backtest);
    },
    async predictive() {
      state.calls.push('predictive');
      return ok(state.predictive);
    },
    async importCsv(kind, csv) {
      state.calls.push(`import ${kind}`);
      // Like the server: rows with won/lost count, others are rejected by line; the report then has them.
      const summary = { imported: 0, skipped: 0, duplicates: 0, rejects: [] as { line: number; errors: string[] }[] };
      csv
        .trim()
        .split('\n')
        .slice(1)
        .forEach((row, i) => {
          const result = row.split(',')[1];
          if (result === 'won' || result === 'lost') {
            summary.imported++;
            state.report = { ...state.report, [result]: state.report[result] + 1 };
          } else summary.rejects.push({ line: i + 2, errors: ['result: expected one of won, lost'] });
        });
      return ok(summary);
    },
    async train() {
      state.calls.push('train');
      state.predictive = { ...state.predictive, training: true };
      return ok(state.predictive);
    },
  };
  return { api, state, rows };
}
export type FakeAdminApi = ReturnType<typeof createFakeAdminApi>;

const weeks = (counts: number[]) => counts.map((count, i) => ({ week: T0 + i * 7 * DAY, count }));

export function sampleReport(over: Partial<Report> = {}): Report {
  return {
    modelId: 'b2b-starter',
    modelVersion: 2,
    at: T0 + 30 * DAY,
    leads: 120,
    won: 12,
    lost: 18,
    mqlsPerWeek: weeks([3, 5, 0, 8]),
    draftMqlsPerWeek: weeks([4, 6, 1, 9]),
    bands: [
      { label: '0–29', leads: 70, won: 1, lost: 9, conversion: 0.1 },
      { label: '30–59', leads: 30, won: 3, lost: 6, conversion: 1 / 3 },
      { label: '60+', leads: 20, won: 8, lost: 3, conversion: 8 / 11 },
    ],
    stages: [
      { label: 'mql', stage: 'mql', leads: 15, won: 6, lost: 4, conversion: 0.6 },
      { label: 'known', stage: 'known', leads: 80, won: 2, lost: 10, conversion: 2 / 12 },
    ],
    timeToMql: { count: 15, medianDays: 9.5, p75Days: 14 },
    timeToWon: { count: 12, medianDays: 31, p75Days: 45 },
    topRules: [
      { rule: 'pricing-page', label: 'Visited pricing', wonMean: 28, lostMean: 9 },
      { rule: 'blog-post', label: 'Read blog posts', wonMean: 3, lostMean: 4 },
    ],
    curves: [
      {
        scorer: 'b2b-starter v2',
        auc: 0.78,
        roc: [
          { fpr: 0, tpr: 0 },
          { fpr: 0.2, tpr: 0.6 },
          { fpr: 1, tpr: 1 },
        ],
        lift: [
          { depth: 0.1, lift: 2.5 },
          { depth: 0.5, lift: 1.4 },
          { depth: 1, lift: 1 },
        ],
      },
    ],
    ...over,
  };
}

export function sampleBacktest(): Backtest {
  return {
    at: T0 + 30 * DAY,
    leads: 120,
    live: { modelId: 'b2b-starter', version: 2, mqlsPerWeek: weeks([3, 5, 0, 8]), mqls: 16, precision: 0.5, recall: 0.6, auc: 0.78 },
    draft: { modelId: 'b2b-starter', version: 3, mqlsPerWeek: weeks([2, 4, 0, 6]), mqls: 12, precision: 0.625, recall: 0.55, auc: 0.81 },
    moves: [
      { leadId: 'lead_1', email: 'anna.devries@acme-logistics.nl', name: 'Anna de Vries', from: 'mql', to: 'engaged', liveInterest: 64, draftInterest: 48, liveFit: 70, draftFit: 70 },
      { leadId: 'lead_2', email: 'bo@example.org', from: 'engaged', to: 'mql', liveInterest: 55, draftInterest: 61, liveFit: 40, draftFit: 40 },
    ],
    changed: 2,
  };
}

export const LAST_RUN_WHY = { kind: 'compared', accepted: false, newAuc: 0.83, currentAuc: 0.84, leads: 40, ground: 'fresh', min: 5 } as const;

function samplePredictive(): PredictiveStatus {
  const evaluation = {
    auc: 0.84,
    logLoss: 0.412,
    folds: [0.82, 0.85, 0.83, 0.86, 0.84].map((auc) => ({ auc, logLoss: 0.41 })),
    baselineAuc: 0.8,
    rows: 300,
    positives: 60,
    family: 'trees' as const,
    families: [
      { family: 'logistic' as const, auc: 0.81, logLoss: 0.43 },
      { family: 'trees' as const, auc: 0.84, logLoss: 0.412 },
    ],
    reliability: [0.05, 0.12, 0.25, 0.4, 0.7].map((predicted, i) => ({ predicted, observed: [0.04, 0.15, 0.22, 0.43, 0.66][i]!, count: 60 })),
  };
  return {
    current: { id: 'pred-1', trainedAt: T0 + 29 * DAY, features: 42, evaluation },
    training: false,
    // As the server sends it: the reason as data (`why`), and in English for logs.
    lastRun: { at: T0 + 29 * DAY, accepted: false, why: LAST_RUN_WHY, reason: wordRunWhy(LAST_RUN_WHY, english), evaluation: { ...evaluation, auc: 0.83 } },
    scheduleHours: 24,
  };
}
