import { describe, expect, it } from 'vitest';
import { Event } from '../../../shared/contracts/event.ts';
import { splitBatch } from '../../../shared/contracts/batch.ts';
import { uuidv7 } from '../../../shared/ids.ts';

const valid = () => ({
  id: uuidv7(),
  ts: Date.UTC(2026, 10, 1),
  type: 'page_view',
  site: 'site_demo',
  anonymousId: 'a1',
  sessionId: 's1',
  url: 'https://www.example.com/pricing?utm_source=x',
  title: 'Pricing',
  utm: { source: 'x' },
  tags: ['pricing'],
  weight: 20,
});

describe('event contract', () => {
  it('accepts each event type in its own shape', () => {
    const common = { ...valid() };
    const samples = [
      common,
      { ...common, type: 'engagement', pageViewId: uuidv7(), engagedMs: 1200 },
      { ...common, type: 'download', fileUrl: 'https://cdn.example.com/a.pdf', linkText: 'Get it' },
      { ...common, type: 'form_submit', formId: 'contact', fields: ['email', 'company'] },
      { ...common, type: 'click', selector: '#cta', text: 'Book a demo' },
      { ...common, type: 'identify', source: 'form', traits: { email: 'a@b.co', name: 'Ann' } },
      { ...common, type: 'identify', source: 'email_link', token: 'tok', traits: {} },
      { ...common, type: 'email_open', messageId: 'm1' },
      { ...common, type: 'email_click', messageId: 'm1', target: 'https://www.example.com/' },
      { ...common, type: 'custom', name: 'signup', props: { plan: 'pro', seats: 3 } },
    ];
    for (const sample of samples) expect(Event.safeParse(sample).success, sample.type).toBe(true);
  });

  it('rejects an identify with neither email nor token, and fields of another type', () => {
    expect(Event.safeParse({ ...valid(), type: 'identify', source: 'form', traits: {} }).success).toBe(false);
    expect(Event.safeParse({ ...valid(), formId: 'x' }).success).toBe(false);
    expect(Event.safeParse({ ...valid(), type: 'beacon' }).success).toBe(false);
  });

  it('bounds weights, tags, properties and timestamps', () => {
    expect(Event.safeParse({ ...valid(), weight: 1000 }).success).toBe(false);
    expect(Event.safeParse({ ...valid(), tags: Array(11).fill('t') }).success).toBe(false);
    expect(Event.safeParse({ ...valid(), props: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i])) }).success).toBe(false);
    expect(Event.safeParse({ ...valid(), ts: 1_700_000_000 }).success).toBe(false);
    expect(Event.safeParse({ ...valid(), url: 'javascript:alert(1)' }).success).toBe(false);
  });
});

describe('batches', () => {
  it('keeps the good events and names each bad one with its paths', () => {
    const good = valid();
    const bad = { ...valid(), url: 'not a url', weight: 'heavy' };
    const result = splitBatch({ events: [good, bad, good] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.events).toHaveLength(2);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]!.index).toBe(1);
    expect(result.rejected[0]!.id).toBe(bad.id);
    expect(result.rejected[0]!.errors).toContain('events[1].url: expected a URL');
    expect(result.rejected[0]!.errors.some((e) => e.startsWith('events[1].weight: expected number'))).toBe(true);
  });

  it('refuses a bad envelope as a whole, saying why', () => {
    expect(splitBatch({ events: [] })).toEqual({ ok: false, errors: ['events: expected at least one event'] });
    expect(splitBatch({ events: Array(101).fill(valid()) })).toEqual({ ok: false, errors: ['events: expected at most 100 events'] });
    const notObject = splitBatch('hello');
    expect(notObject.ok).toBe(false);
  });
});
