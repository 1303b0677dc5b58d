import { describe, expect, it } from 'vitest';
import { escapeHelp, escapeLabelValue, formatNumber } from '../../../server/metrics/exposition.ts';
import { createRegistry } from '../../../server/metrics/registry.ts';

// The text format's details: escaping in label values and HELP, and how numbers are spelled.

describe('escaping and number format', () => {
  it('escapes label values: backslash, quote, newline', () => {
    const r = createRegistry();
    const c = r.counter({ name: 'c_total', help: 'c', labelNames: ['path'] });
    c.inc({ path: 'C:\\dir\n"quoted"' });
    expect(r.render()).toContain('c_total{path="C:\\\\dir\\n\\"quoted\\""} 1\n');
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });

  it('escapes HELP text: backslash and newline, not quotes', () => {
    const r = createRegistry();
    r.counter({ name: 'h_total', help: 'Line one\nline "two" \\ done' });
    expect(r.render().split('\n')[0]).toBe('# HELP h_total Line one\\nline "two" \\\\ done');
    expect(escapeHelp('"')).toBe('"');
  });

  it('formats special numbers as Prometheus expects', () => {
    expect(formatNumber(Infinity)).toBe('+Inf');
    expect(formatNumber(-Infinity)).toBe('-Inf');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber(1e21)).toBe('1e+21');
    const r = createRegistry();
    r.gauge({ name: 'g', help: 'g' }).set(-Infinity);
    expect(r.render()).toContain('\ng -Inf\n');
  });
});
