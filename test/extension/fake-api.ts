import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import {
  DAY_MS,
  defaultModel,
  evidenceOf,
  interestSeries,
  scoreLead,
  type Event,
  type Feedback,
  type HotLead,
  type LeadProfile,
  type LeadView,
  type StageChange,
  type TimelineItem,
} from '../../shared/index.ts';

// A stand-in for the Leadglow server's read API (shared/contracts/api.ts), answering with
// objects built by the real scoring engine. The extension's unit tests call `handle` as
// their `fetch`; the Chromium test serves it over HTTP when server/http/app.ts is not there yet.

type FakeLead = { id: string; profile: LeadProfile & { email: string }; events: Event[]; feedback?: Feedback };

export function createFakeApi({ now = () => Date.now(), token = 'rep-token' } = {}) {
  const model = defaultModel;
  const leads = new Map<string, FakeLead>();
  const streams = new Set<ReadableStreamDefaultController<Uint8Array>>();
  const state = { mode: 'ok' as 'ok' | 'down' | 'revoked', calls: [] as string[], meEmails: undefined as string[] | undefined };

  const score = (l: FakeLead) => scoreLead(model, { profile: l.profile, feedback: l.feedback }, l.events, now());
  const domainOf = (email: string) => email.slice(email.indexOf('@') + 1);

  function view(l: FakeLead): LeadView {
    const s = score(l);
    const t = now();
    const times = Array.from({ length: 30 }, (_, i) => t - (29 - i) * DAY_MS);
    const series = interestSeries(model, l.events, times);
    const domain = domainOf(l.profile.email);
    const members = [...leads.values()].filter((m) => domainOf(m.profile.email) === domain);
    const ts = l.events.map((e) => e.ts);
    return {
      lead: {
        id: l.id,
        emails: [l.profile.email],
        ...(l.profile.name ? { name: l.profile.name } : {}),
        ...(l.profile.jobTitle ? { jobTitle: l.profile.jobTitle } : {}),
        ...(l.profile.company ? { company: l.profile.company } : {}),
        scores: [s],
        ...(l.feedback ? { feedback: l.feedback } : {}),
        firstSeen: Math.min(t, ...ts),
        lastSeen: Math.max(0, ...ts),
      },
      trend: times.map((at, i) => ({ at, interest: series[i] ?? 0 })),
      account: {
        domain,
        ...(l.profile.company?.name ? { name: l.profile.company.name } : {}),
        interest: members.reduce((sum, m) => sum + score(m).interest.score, 0),
        members: members.map((m) => ({
          id: m.id,
          email: m.profile.email,
          ...(m.profile.name ? { name: m.profile.name } : {}),
          ...(m.profile.jobTitle ? { jobTitle: m.profile.jobTitle } : {}),
          stage: score(m).stage,
          interest: score(m).interest.score,
        })),
      },
      at: t,
    };
  }

  function timeline(l: FakeLead): TimelineItem[] {
    return [...l.events]
      .sort((a, b) => b.ts - a.ts)
      .map((e) => ({
        id: e.id,
        type: e.type,
        ts: e.ts,
        what: evidenceOf(e),
        sessionId: e.sessionId,
        ...(e.url ? { url: e.url } : {}),
        ...(e.type === 'engagement' ? { engagedMs: e.engagedMs } : {}),
        ...((e.type === 'email_open' || e.type === 'email_click') && e.machine ? { machine: true } : {}),
      }));
  }

  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  async function handle(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const req = new Request(input, init);
    const url = new URL(req.url);
    state.calls.push(`${req.method} ${url.pathname}${url.search}`);
    if (state.mode === 'down') throw new TypeError('fetch failed');
    if (req.headers.get('authorization') !== `Bearer ${token}` || state.mode === 'revoked') return json(401, { error: 'invalid or revoked token' });
    const path = url.pathname;
    if (path === '/v1/me') return json(200, { role: 'rep', name: 'Robin Rep', workspaceDomains: ['leadglow-demo.com'], ...(state.meEmails ? { emails: state.meEmails } : {}) });
    if (path === '/v1/leads') {
      const email = url.searchParams.get('email')?.toLowerCase();
      const l = [...leads.values()].find((x) => x.profile.email === email);
      return l ? json(200, view(l)) : json(404, { error: 'no lead with that email' });
    }
    if (path === '/v1/hot') {
      const items: HotLead[] = [...leads.values()].map((l) => {
        const s = score(l);
        return {
          id: l.id,
          email: l.profile.email,
          ...(l.profile.name ? { name: l.profile.name } : {}),
          ...(l.profile.company?.name ? { company: l.profile.company.name } : {}),
          stage: s.stage,
          fit: { score: s.fit.score, grade: s.fit.grade },
          interest: s.interest.score,
          modelId: model.id,
          isNew: s.stage === 'mql' || s.stage === 'sales_ready',
          lastSeen: Math.max(0, ...l.events.map((e) => e.ts)),
        };
      });
      return json(200, { items });
    }
    if (path === '/v1/stream') {
      let ctl!: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({
        start: (c) => {
          ctl = c;
          streams.add(c);
          c.enqueue(new TextEncoder().encode(': hello\n\n'));
        },
        cancel: () => void streams.delete(ctl),
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' } });
    }
    const m = path.match(/^\/v1\/leads\/([^/]+)(\/timeline|\/feedback)?$/);
    const l = m ? leads.get(decodeURIComponent(m[1]!)) : undefined;
    if (m && !l) return json(404, { error: 'no such lead' });
    if (l && !m![2]) return json(200, view(l));
    if (l && m![2] === '/timeline') return json(200, { items: timeline(l) });
    if (l && m![2] === '/feedback' && req.method === 'POST') {
      const body = (await req.json()) as { verdict: Feedback['verdict']; reason?: string };
      const before = score(l).stage;
      l.feedback = { verdict: body.verdict, ...(body.reason ? { reason: body.reason } : {}), at: now() };
      emitIfChanged(l, before);
      return json(200, l.feedback);
    }
    const a = path.match(/^\/v1\/accounts\/([^/]+)$/);
    if (a) {
      const any = [...leads.values()].find((x) => domainOf(x.profile.email) === decodeURIComponent(a[1]!));
      return any ? json(200, view(any).account) : json(404, { error: 'no such account' });
    }
    return json(404, { error: 'not found' });
  }

  function emitIfChanged(l: FakeLead, before: StageChange['from']) {
    const after = score(l).stage;
    if (after === before) return;
    const change: StageChange = {
      leadId: l.id,
      email: l.profile.email,
      ...(l.profile.name ? { name: l.profile.name } : {}),
      modelId: model.id,
      from: before,
      to: after,
      reason: score(l).stageReason,
      at: now(),
    };
    const chunk = new TextEncoder().encode(`event: stage\ndata: ${JSON.stringify(change)}\n\n`);
    for (const c of streams) {
      try {
        c.enqueue(chunk);
      } catch {
        streams.delete(c);
      }
    }
  }

  function addLead(profile: FakeLead['profile'], events: Event[] = []): string {
    const id = `lead_${leads.size + 1}`;
    leads.set(id, { id, profile: { ...profile, email: profile.email.toLowerCase() }, events });
    return id;
  }

  function addEvents(leadId: string, events: Event[]): void {
    const l = leads.get(leadId)!;
    const before = score(l).stage;
    l.events.push(...events);
    emitIfChanged(l, before);
  }

  return { handle, addLead, addEvents, state, token, view: (id: string) => view(leads.get(id)!) };
}
export type FakeApi = ReturnType<typeof createFakeApi>;

/** Events of a lead's visit, as the SDK would send them. */
export function visit(site: string, sessionId: string, at: number, steps: ({ path: string; title?: string; engagedMs?: number } | { download: string } | { form: string })[]): Event[] {
  const base = { site, anonymousId: 'anon-1', sessionId };
  const events: Event[] = [];
  let ts = at;
  for (const s of steps) {
    ts += 20_000;
    if ('path' in s) {
      const id = randomUUID();
      const url = `https://www.example-saas.com${s.path}`;
      events.push({ ...base, id, ts, type: 'page_view', url, ...(s.title ? { title: s.title } : {}) });
      if (s.engagedMs) events.push({ ...base, id: randomUUID(), ts: ts + s.engagedMs, type: 'engagement', url, pageViewId: id, engagedMs: s.engagedMs });
    } else if ('download' in s) {
      events.push({ ...base, id: randomUUID(), ts, type: 'download', url: 'https://www.example-saas.com/resources', fileUrl: `https://www.example-saas.com/files/${s.download}` });
    } else {
      events.push({ ...base, id: randomUUID(), ts, type: 'form_submit', url: 'https://www.example-saas.com/demo', formId: s.form, fields: ['email', 'name'] });
    }
  }
  return events;
}

/** Serves a fake API over HTTP (for the browser run). */
