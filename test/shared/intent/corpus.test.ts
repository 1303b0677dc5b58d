import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FORM_INTENTS, HAND_RAISE_INTENTS, type FormIntent } from '../../../shared/contracts/event.ts';
import { defaultModel } from '../../../shared/scoring/default-model.ts';
import { inspectHtml } from '../../../server/inspect/page-inspect.ts';

// The classifier on real pages from public repositories (test/fixtures/pages/forms/, provenance
// in the README there), each form's intent labelled by hand in labels.json. Read the way a
// visit reads them: the snippet's form reader, the event contract, the ingest classifier.

type Label = { file: string; url: string; lang: string; intent: FormIntent; source: string };

const DIR = new URL('../../fixtures/pages/forms/', import.meta.url);
const labels = JSON.parse(readFileSync(new URL('labels.json', DIR), 'utf8')) as Label[];
const handRaise = new Set<string>(HAND_RAISE_INTENTS);

const results = labels.map((l) => {
  const report = inspectHtml(readFileSync(new URL(l.file, DIR), 'utf8'), l.url, defaultModel);
  expect(report.forms, l.file).toHaveLength(1);
  const form = report.forms[0]!;
  return { ...l, got: form.intent, handRaise: form.handRaise, signal: form.signal };
});

describe('form intent on the real-page corpus', () => {
  it('has at least 30 forms from 15 sites, with Dutch, Swedish and German ones', () => {
    expect(labels.length).toBeGreaterThanOrEqual(30);
    expect(new Set(labels.map((l) => l.source.split(' @ ')[0])).size).toBeGreaterThanOrEqual(15);
    for (const lang of ['nl', 'sv', 'de']) expect(labels.some((l) => l.lang === lang), lang).toBe(true);
    for (const l of labels) expect(FORM_INTENTS).toContain(l.intent);
  });

  it('prints accuracy per intent; recognises ≥ 95% of hand-raise forms and takes no newsletter or login form for one', () => {
    const rows = [...FORM_INTENTS].filter((i) => labels.some((l) => l.intent === i));
    const lines = ['intent       forms  right  accuracy'];
    for (const intent of rows) {
      const of = results.filter((r) => r.intent === intent);
      const right = of.filter((r) => r.got === intent).length;
      lines.push(`${intent.padEnd(12)} ${String(of.length).padStart(5)}  ${String(right).padStart(5)}  ${((100 * right) / of.length).toFixed(0).padStart(6)} %`);
    }
    const right = results.filter((r) => r.got === r.intent).length;
    lines.push(`${'all'.padEnd(12)} ${String(results.length).padStart(5)}  ${String(right).padStart(5)}  ${((100 * right) / results.length).toFixed(0).padStart(6)} %`);
    const raises = results.filter((r) => handRaise.has(r.intent));
    const caught = raises.filter((r) => r.handRaise);
    lines.push(`hand-raise forms recognised as hand-raise: ${caught.length}/${raises.length} (${((100 * caught.length) / raises.length).toFixed(0)} %)`);
    for (const r of results.filter((x) => x.got !== x.intent)) lines.push(`  miss: ${r.file}: labelled ${r.intent}, got ${r.got} (${r.signal ? `${r.signal.source} '${r.signal.text}'` : 'no signal'})`);
    console.log(lines.join('\n'));

    expect(caught.length / raises.length).toBeGreaterThanOrEqual(0.95);
    const falseRaises = results.filter((r) => (r.intent === 'newsletter' || r.intent === 'login') && r.handRaise);
    expect(falseRaises.map((r) => r.file)).toEqual([]);
    // Job applications, logins, searches and newsletters are never a hand-raise.
    expect(results.filter((r) => !handRaise.has(r.intent) && r.handRaise).map((r) => r.file)).toEqual([]);
    expect(right / results.length).toBeGreaterThanOrEqual(0.85);
  });

  it('names the deciding signal for every recognised form', () => {
    for (const r of results.filter((x) => x.got !== 'other')) {
      expect(r.signal, r.file).toBeDefined();
      expect(r.signal!.text.length, r.file).toBeGreaterThan(0);
    }
  });
});
