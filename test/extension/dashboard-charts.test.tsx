// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PairedBars } from '../../extension/dashboard/charts/PairedBars.tsx';
import { fitToData } from '../../extension/dashboard/reports/MqlWeeks.tsx';
import { setLanguage } from '../../extension/i18n.ts';
import { installBrowserStubs } from './setup.ts';

// Charts that read right: negative means drawn to the left of the axis, figures in the
// reader's locale, and a weekly chart that starts where the data does.

describe('report charts', () => {
  beforeEach(() => void installBrowserStubs());
  afterEach(() => {
    cleanup();
    setLanguage(undefined);
  });

  it('draws a negative mean to the left of the axis and a positive one to the right', () => {
    setLanguage('nl');
    const { container } = render(<PairedBars label="x" rows={[{ key: 'a', label: 'Unsubscribed', a: -12.5, b: 20, titleA: 'a', titleB: 'b' }]} />);
    const [neg, pos] = [...container.querySelectorAll('rect.bar')].map((r) => ({ x: Number(r.getAttribute('x')), w: Number(r.getAttribute('width')) }));
    const axis = Number(container.querySelector('line.axis')!.getAttribute('x1'));
    expect(neg!.x + neg!.w).toBeCloseTo(axis, 1);
    expect(neg!.x).toBeLessThan(axis);
    expect(pos!.x).toBeCloseTo(axis, 1);
    // Dutch decimal comma; the minus sign of the locale.
    expect([...container.querySelectorAll('text.tick')].slice(1).map((t) => t.textContent)).toEqual(['-12,5', '20']);
  });

  it('without negatives there is no middle axis', () => {
    const { container } = render(<PairedBars label="x" rows={[{ key: 'a', label: 'Pricing', a: 3, b: 1, titleA: 'a', titleB: 'b' }]} />);
    expect(container.querySelector('line.axis')).toBeNull();
  });

  it('starts the weekly chart at the first week with an MQL in either series', () => {
    const weeks = (counts: number[]) => counts.map((count, i) => ({ week: i, count }));
    expect(fitToData(weeks([0, 0, 0, 0, 0, 0, 2, 0, 3, 1]), weeks([0, 0, 0, 0, 0, 1, 0, 0, 0, 0]))).toBe(5);
    expect(fitToData(weeks([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), undefined)).toBe(6);
    expect(fitToData(weeks([0, 0, 0]), undefined)).toBe(0);
    expect(fitToData(weeks([1, 0, 0, 0, 0, 0]), undefined)).toBe(0);
  });
});
