import { describe, expect, it } from 'vitest';
import { addTag, siteTags, tagLabel, tagRuleId } from '../../../shared/analytics/tags.ts';
import { SiteTags, type TagRequest } from '../../../shared/contracts/marketing.ts';
import { Model } from '../../../shared/contracts/model.ts';
import { defaultModel, parseModel, scoreLead } from '../../../shared/scoring/index.ts';
import { makeModel } from '../scoring/make-model.ts';
import { ev, page } from '../scoring/make-events.ts';

const demo: TagRequest = { target: 'element', selector: 'a.cta-demo', tag: 'demo', weight: 20, text: '  Book a\n demo ' };
const pricing: TagRequest = { target: 'page', pattern: '/pricing', tag: 'pricing', weight: 15 };

describe('addTag', () => {
  it('adds a click rule for an element and a page-view rule for a page, with readable labels', () => {
    const m = addTag(addTag(makeModel(), demo), pricing);
    expect(m.interestRules).toEqual([
      { id: tagRuleId(demo), kind: 'event', label: 'Clicked "Book a demo" (demo)', when: { types: ['click'], selector: 'a.cta-demo' }, points: 20, repeat: 'once', decays: true },
      { id: tagRuleId(pricing), kind: 'event', label: 'Visited /pricing (pricing)', when: { types: ['page_view'], path: '/pricing' }, points: 15, repeat: 'once', decays: true },
    ]);
    expect(parseModel(m).ok).toBe(true);
    expect(tagRuleId(demo)).toMatch(/^tag-demo-[a-z0-9]+$/);
  });

  it('gives the same id for the same tag and target, another for another target', () => {
    expect(tagRuleId({ ...demo, weight: 5, text: 'other' })).toBe(tagRuleId(demo));
    expect(tagRuleId({ ...demo, selector: 'a.cta-demo-2' })).not.toBe(tagRuleId(demo));
    expect(tagRuleId({ ...pricing, pattern: '/PRICING' })).toBe(tagRuleId(pricing));
    expect(tagRuleId({ ...demo, tag: 'Case Study' })).toMatch(/^tag-case-study-/);
  });

  it('replaces the rule of a re-tagged target in place, and never reuses another rule\'s id', () => {
    const once = addTag(makeModel(), demo);
    const twice = addTag(once, { ...demo, tag: 'trial', weight: 30, text: 'Start a trial' });
    expect(twice.interestRules).toHaveLength(1);
    expect(twice.interestRules[0]).toMatchObject({ label: 'Clicked "Start a trial" (trial)', points: 30 });
    const taken = makeModel({ fitRules: [{ id: tagRuleId(demo), kind: 'complete', label: 'x', points: 5, fields: ['email'] }] });
    const added = addTag(taken, demo);
    expect(added.interestRules[0]!.id).toBe(`${tagRuleId(demo)}-2`);
    expect(parseModel(added).ok).toBe(true);
    // The input model is left as it was.
    expect(taken.interestRules).toEqual([]);
  });

  it('labels an element without text by its selector and keeps long labels within the limit', () => {
    expect(tagLabel({ target: 'element', selector: '#buy', tag: 'buy', weight: 1 })).toBe('Clicked #buy (buy)');
    const long = tagLabel({ ...demo, text: 'x'.repeat(120) });
    expect(long.length).toBe(120);
    expect(long.endsWith('… (demo)')).toBe(true);
  });

  it('scores what it tags: a click on the selector adds the weight once; a page view of the pattern too', () => {
    const m = addTag(addTag(makeModel(), demo), pricing);
    const facts = { profile: { email: 'a@b.com' } };
    const click = (dt: number) => ev('click', dt, { url: 'https://x.com/', selector: 'a.cta-demo' });
    const events = [click(0), click(1000), ev('click', 2000, { url: 'https://x.com/', selector: 'a.other' }), page('/pricing', 3000), page('/pricing/enterprise', 4000)];
    const score = scoreLead(m, facts, events, events[4]!.ts);
    const byRule = Object.fromEntries(score.interest.reasons.map((r) => [r.rule, r.points]));
    expect(byRule[tagRuleId(demo)]).toBeCloseTo(20, 3);
    expect(byRule[tagRuleId(pricing)]).toBeCloseTo(15, 3);
    expect(score.interest.reasons).toHaveLength(2);
  });
});

describe('page scope and fingerprint', () => {
  const fingerprint = { tag: 'a', text: 'Book a demo', href: '/demo', index: 0 };
  const scoped: TagRequest = { ...demo, pattern: '/pricing', fingerprint };

  it('keeps the scope as the rule\'s path and the fingerprint beside the selector; site-wide needs no path', () => {
    const m = addTag(makeModel(), scoped);
    expect(m.interestRules[0]).toMatchObject({ label: 'Clicked "Book a demo" on /pricing (demo)', when: { types: ['click'], selector: 'a.cta-demo', path: '/pricing', fingerprint } });
    expect(parseModel(m).ok).toBe(true);
    expect(addTag(makeModel(), { ...scoped, pattern: '/*' }).interestRules[0]!.when).toEqual({ types: ['click'], selector: 'a.cta-demo', fingerprint });
    // The same selector on another page is another tag; on the same page it replaces the rule.
    const both = addTag(addTag(m, { ...scoped, pattern: '/' }), { ...scoped, weight: 30 });
    expect(both.interestRules.map((r) => [r.when.path, r.points])).toEqual([['/pricing', 30], ['/', 20]]);
  });

  it('a click on the selector counts on the tag\'s pages only', () => {
    const m = addTag(makeModel(), scoped);
    const click = (url: string, dt: number) => ev('click', dt, { url, selector: 'a.cta-demo' });
    const elsewhere = [click('https://x.com/', 0), click('https://x.com/pricing/old', 1000)];
    const facts = { profile: { email: 'a@b.com' } };
    expect(scoreLead(m, facts, elsewhere, elsewhere[1]!.ts).interest.reasons).toEqual([]);
    const there = [...elsewhere, click('https://x.com/pricing?plan=pro', 3000)];
    expect(scoreLead(m, facts, there, there[2]!.ts).interest.reasons.map((r) => r.rule)).toEqual([tagRuleId(scoped)]);
  });

  it('gives the SDK the scope as a path expression and the fingerprint', () => {
    const tags = SiteTags.parse(siteTags([addTag(addTag(makeModel(), scoped), { ...scoped, pattern: '/blog/*' })]));
    expect(tags.elements).toEqual([
      { id: expect.any(String), selector: 'a.cta-demo', tag: 'demo', scope: expect.any(String), fingerprint },
      { id: expect.any(String), selector: 'a.cta-demo', tag: 'demo', scope: expect.any(String), fingerprint },
    ]);
    // The same selector on other pages is another tag to the health report.
    expect(tags.elements[0]!.id).not.toBe(tags.elements[1]!.id);
    const [pricingScope, blogScope] = tags.elements.map((e) => new RegExp(e.scope!, 'i'));
    expect(['/pricing', '/Pricing', '/pricing/old', '/'].map((p) => pricingScope!.test(p))).toEqual([true, true, false, false]);
    expect(['/blog/post-1', '/blog', '/pricing'].map((p) => blogScope!.test(p))).toEqual([true, false, false]);
  });
});

describe('siteTags', () => {
  it('lists every click selector of the models once, with its tag', () => {
    const live = addTag(defaultModel, demo);
    const draft = Model.parse({
      ...addTag(live, { target: 'element', selector: '#trial', tag: 'trial', weight: 10 }),
      interestRules: [...addTag(live, { target: 'element', selector: '#trial', tag: 'trial', weight: 10 }).interestRules, { id: 'hand', label: 'Tagged hand', when: { types: ['click'], selector: '#x', tag: 'hot' }, points: 5 }],
      handRaise: [...live.handRaise, { id: 'call-me', label: 'Call me button', when: { types: ['click'], selector: '#call-me' } }],
    });
    const tags = SiteTags.parse(siteTags([live, draft]));
    expect(tags.elements.map(({ id: _, ...e }) => e)).toEqual([
      { selector: 'a.cta-demo', tag: 'demo' },
      { selector: '#trial', tag: 'trial' },
      { selector: '#x', tag: 'hot' },
      { selector: '#call-me', tag: 'call-me' },
    ]);
    // Ids for the health report: one per selector and scope, the same in the live model and its draft.
    expect(new Set(tags.elements.map((e) => e.id)).size).toBe(4);
    expect(siteTags([live]).elements[0]!.id).toBe(tags.elements[0]!.id);
    expect(siteTags([defaultModel]).elements).toEqual([]);
  });
});
