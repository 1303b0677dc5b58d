import { describe, expect, it } from 'vitest';
import { B2B_STARTER, defaultModel } from '../../../shared/scoring/default-model.ts';
import { parseModel } from '../../../shared/scoring/validate.ts';
import { scoreLead } from '../../../shared/scoring/score.ts';
import { Model } from '../../../shared/contracts/model.ts';
import { DAY, T0, ev, page } from './make-events.ts';

const buyer = { email: 'maria@northwind-logistics.com', name: 'Maria Lopez', jobTitle: 'Director of Operations', country: 'NL', company: { domain: 'northwind-logistics.com', industry: 'Manufacturing', size: 800, revenue: 120e6 } };

describe('the B2B starter model', () => {
  it('is a valid model', () => {
    expect(parseModel(B2B_STARTER)).toMatchObject({ ok: true });
  });

  it('makes a well-fitting, engaged buyer an MQL, and a demo request sales-ready', () => {
    const browsing = [page('/pricing', 0), page('/pricing', DAY + 1), page('/case-study/acme', DAY + 2), ev('download', DAY + 3, { url: 'https://x.io/', fileUrl: 'https://x.io/whitepaper-roi.pdf' }), ev('email_click', DAY + 4, { messageId: 'm', target: 'https://x.io/pricing' })];
    const mql = scoreLead(defaultModel, { profile: buyer }, browsing, T0 + DAY + 5);
    expect(mql.fit.grade).toBe('A');
    expect(mql.stage).toBe('mql');
    const demo = ev('form_submit', DAY + 10, { url: 'https://x.io/demo', formId: 'demo-request', fields: ['email'] });
    expect(scoreLead(defaultModel, { profile: buyer }, [...browsing, demo], T0 + DAY + 11).stage).toBe('sales_ready');
  });

  it('counts an email click more than an open', () => {
    const open = scoreLead(defaultModel, { profile: buyer }, [ev('email_open', 0, { messageId: 'm' })], T0);
    const click = scoreLead(defaultModel, { profile: buyer }, [ev('email_click', 0, { messageId: 'm', target: 'https://x.io/' })], T0);
    expect(click.interest.score).toBeGreaterThan(open.interest.score);
  });

  it('lowers fit for free-mail and students, and excludes competitors and own staff', () => {
    expect(scoreLead(defaultModel, { profile: { ...buyer, email: 'maria@gmail.com' } }, [], T0).fit.score).toBeLessThan(scoreLead(defaultModel, { profile: buyer }, [], T0).fit.score);
    expect(scoreLead(defaultModel, { profile: { email: 'sam@uni.ac.uk', jobTitle: 'PhD student' } }, [], T0).fit.grade).toBe('D');
    const model = Model.parse({ ...B2B_STARTER, ownDomains: ['leadglow.dev'], competitorDomains: ['rivalcrm.com'] });
    const demo = ev('form_submit', 0, { url: 'https://x.io/demo', formId: 'demo-request', fields: ['email'] });
    expect(scoreLead(model, { profile: { email: 'ceo@rivalcrm.com', jobTitle: 'CEO' } }, [demo], T0).stage).toBe('disqualified');
    expect(scoreLead(model, { profile: { email: 'me@leadglow.dev' } }, [demo], T0).stage).toBe('disqualified');
  });

  it('counts careers-only visits and unsubscribes against interest', () => {
    const seeker = scoreLead(defaultModel, { profile: buyer }, [page('/careers', 0), page('/careers/sre', 1)], T0);
    expect(seeker.interest.reasons.some((r) => r.rule === 'careers-only' && r.points === -20)).toBe(true);
    const unsub = scoreLead(defaultModel, { profile: buyer }, [page('/pricing', 0), ev('custom', 1, { name: 'unsubscribe' })], T0 + 1);
    expect(unsub.interest.score).toBe(0);
  });

  it('halves interest over 30 days', () => {
    const now = scoreLead(defaultModel, { profile: buyer }, [page('/pricing', 0)], T0).interest.score;
    const later = scoreLead(defaultModel, { profile: buyer }, [page('/pricing', 0)], T0 + 30 * DAY).interest.score;
    expect(later).toBeCloseTo(now / 2, 10);
  });
});
