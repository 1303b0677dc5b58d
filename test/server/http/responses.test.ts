import { afterAll, beforeAll, describe, it } from 'vitest';
import type { z } from 'zod';
import { DiffAnswer, EmailLinksAnswer, ImportSummary, ModelList, PublishAnswer, RescoreStatus, TrackAnswer } from '../../../shared/contracts/admin.ts';
import { Account, ApiError, HotList, LeadView, Me, TimelinePage } from '../../../shared/contracts/api.ts';
import { BatchResult } from '../../../shared/contracts/batch.ts';
import { KnownPages } from '../../../shared/contracts/inspect.ts';
import { Feedback } from '../../../shared/contracts/lead.ts';
import { Backtest, DraftAnswer, PageMatches, PredictiveStatus, Report, SiteTags, Versions } from '../../../shared/contracts/marketing.ts';
import { Model } from '../../../shared/contracts/model.ts';
import { TagHealthList } from '../../../shared/contracts/tag-health.ts';
import { defaultModel } from '../../../shared/scoring/index.ts';
import { answer, ev, post, testServer, type TestServer } from '../harness.ts';
import { expectContract } from './contract-check.ts';

// Every JSON route's answer against its contract in shared/contracts (expectContract: it parses,
// and nothing is left over), so a route and the extension's contract cannot drift apart
// unnoticed. Error answers are held to ApiError the same way. One backend: the shapes do not
// depend on it (the route tests run both).

const ID = defaultModel.id;
const EMAIL = 'ines@initech.com';
let s: TestServer;

async function call(method: string, path: string, token: string | undefined, body?: unknown, contentType = 'application/json') {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = contentType;
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  return answer(await fetch(`${s.url}${path}`, init));
}

/** Calls a route that must answer `status`, and holds its body to `schema`. */
async function expectAnswer<S extends z.ZodType>(schema: S, status: number, method: string, path: string, token: string | undefined, body?: unknown, contentType?: string): Promise<z.output<S>> {
  const r = await call(method, path, token, body, contentType);
  if (r.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${r.status}: ${JSON.stringify(r.json).slice(0, 300)}`);
  return expectContract(schema, r.json, `${method} ${path}`);
}

beforeAll(async () => {
  s = await testServer('sqlite', undefined);
  const batch = await post(s.url, {
    events: [
      ev(s.siteKey, 'ines', 'page_view', 60_000, { url: 'https://acme.test/pricing' }),
      ev(s.siteKey, 'ines', 'page_view', 50_000, { url: 'https://acme.test/case-studies/initech' }),
      ev(s.siteKey, 'ines', 'identify', 40_000, { traits: { email: EMAIL, jobTitle: 'Head of Operations' }, source: 'form' }),
    ],
  });
  expectContract(BatchResult, batch.json, 'POST /v1/events');
});
afterAll(async () => {
  await s?.cleanup();
});

describe('answers fit their contracts', () => {
  it('the read API (rep)', async () => {
    await expectAnswer(Me, 200, 'GET', '/v1/me', s.rep);
    const view = await expectAnswer(LeadView, 200, 'GET', `/v1/leads?email=${encodeURIComponent(EMAIL)}`, s.rep);
    const id = view.lead.id;
    await expectAnswer(LeadView, 200, 'GET', `/v1/leads/${id}`, s.rep);
    const page = await expectAnswer(TimelinePage, 200, 'GET', `/v1/leads/${id}/timeline?limit=2`, s.rep);
    if (page.next) await expectAnswer(TimelinePage, 200, 'GET', `/v1/leads/${id}/timeline?limit=2&before=${encodeURIComponent(page.next)}`, s.rep);
    await expectAnswer(Account, 200, 'GET', '/v1/accounts/initech.com', s.rep);
    await expectAnswer(HotList, 200, 'GET', '/v1/hot?limit=5', s.rep);
    await expectAnswer(Feedback, 200, 'POST', `/v1/leads/${id}/feedback`, s.rep, { verdict: 'accepted', reason: 'fits' });
  });

  it('the admin API: models, rescoring, tracking, import, email links, pages', async () => {
    await expectAnswer(ModelList, 200, 'GET', '/v1/models', s.admin);
    await expectAnswer(Model, 200, 'GET', `/v1/models/${ID}`, s.admin);
    const v2 = { ...defaultModel, version: 2, thresholds: { ...defaultModel.thresholds, engaged: defaultModel.thresholds.engaged + 1 } };
    await expectAnswer(PublishAnswer, 201, 'POST', '/v1/models?note=contract%20check', s.admin, v2);
    await expectAnswer(Model, 200, 'GET', `/v1/models/${ID}?version=1`, s.admin);
    await expectAnswer(DiffAnswer, 200, 'GET', `/v1/models/${ID}/diff?from=1&to=2`, s.admin);
    await expectAnswer(RescoreStatus, 200, 'GET', '/v1/rescoring', s.admin);
    await expectAnswer(TrackAnswer, 200, 'POST', '/v1/track', s.admin, { email: EMAIL, touchpoint: { kind: 'webinar', at: Date.now() - 1_000, title: 'Lead scoring 101' } });
    await expectAnswer(ImportSummary, 200, 'POST', '/v1/import/outcomes', s.admin, `email,result,date,value\n${EMAIL},won,2026-01-05,1000\nnobody@example.com,won,2026-01-05,5\n`, 'text/csv');
    await expectAnswer(EmailLinksAnswer, 200, 'POST', '/v1/email-links', s.admin, { email: EMAIL, messageId: 'contract-1', targets: ['https://acme.test/demo'] });
    await expectAnswer(KnownPages, 200, 'GET', '/v1/inspect/pages?limit=5', s.admin);
    await expectAnswer(PredictiveStatus, 200, 'GET', '/v1/predictive', s.admin);
  });

  it('the marketing API: drafts, tags, versions, pages, reports, backtests', async () => {
    await expectAnswer(Model, 200, 'POST', `/v1/models/${ID}/draft/tags`, s.admin, { target: 'element', selector: '#book-demo', tag: 'demo', weight: 10, text: 'Book a demo' });
    const draft = await expectAnswer(Model, 200, 'GET', `/v1/models/${ID}/draft`, s.admin);
    await expectAnswer(DraftAnswer, 200, 'PUT', `/v1/models/${ID}/draft`, s.admin, draft);
    await expectAnswer(Model, 200, 'PUT', `/v1/models/${ID}/draft/form-intents`, s.admin, { formId: 'contact-form', intent: 'contact' });
    await expectAnswer(Versions, 200, 'GET', `/v1/models/${ID}/versions`, s.admin);
    await expectAnswer(SiteTags, 200, 'GET', `/v1/tags?site=${encodeURIComponent(s.siteKey)}`, undefined);
    await expectAnswer(TagHealthList, 200, 'GET', '/v1/tags/health', s.admin);
    await expectAnswer(PageMatches, 200, 'GET', `/v1/pages?pattern=${encodeURIComponent('/case-studies/*')}`, s.admin);
    await expectAnswer(Report, 200, 'GET', '/v1/reports?weeks=4', s.admin);
    await expectAnswer(Backtest, 200, 'POST', '/v1/backtest', s.admin, { draft, weeks: 4 });
    await expectAnswer(PublishAnswer, 201, 'POST', `/v1/models/${ID}/draft/publish`, s.admin, { note: 'contract check' });
    await expectAnswer(PublishAnswer, 201, 'POST', `/v1/models/${ID}/rollback`, s.admin, { version: 1 });
  }, 120_000);

  it('errors, from the hooks, the validation and the routes, are ApiError', async () => {
    await expectAnswer(ApiError, 401, 'GET', '/v1/hot', undefined);
    await expectAnswer(ApiError, 403, 'GET', '/v1/models', s.rep);
    await expectAnswer(ApiError, 400, 'GET', '/v1/hot?limit=0', s.rep);
    await expectAnswer(ApiError, 400, 'POST', '/v1/track', s.admin, { email: 'not an address' });
    await expectAnswer(ApiError, 404, 'GET', '/v1/leads/no-such-lead', s.rep);
    await expectAnswer(ApiError, 400, 'GET', '/v1/tags', undefined);
  });
});
