import { getIn } from '../paths.ts';

// Starting points for rules added in the form: valid as they stand, so a new card shows no
// errors until the marketer changes something.

function freeId(model: unknown, base: string): string {
  const used = new Set<string>();
  for (const list of ['fitRules', 'interestRules', 'handRaise'])
    for (const r of (getIn(model, [list]) as { id?: string }[] | undefined) ?? []) if (r?.id) used.add(r.id);
  for (const n of (getIn(model, ['negativeRules']) as { rule?: { id?: string } }[] | undefined) ?? []) if (n?.rule?.id) used.add(n.rule.id);
  for (let i = 1; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
}

export const newInterestRule = (model: unknown, label: string) => ({
  id: freeId(model, 'interest'),
  kind: 'event',
  label,
  when: { types: ['page_view'], path: '/*' },
  points: 5,
  repeat: 'every',
  decays: true,
});

export const newFitRule = (model: unknown, label: string) => ({
  id: freeId(model, 'fit'),
  kind: 'attribute',
  label,
  points: 10,
  match: { op: 'exists', attribute: 'company.domain' },
});

export const newNegativeRule = (model: unknown, label: string) => ({
  axis: 'fit',
  rule: { id: freeId(model, 'negative'), kind: 'emailDomain', label, points: -10, class: 'free' },
});

export const newHandRaise = (model: unknown, label: string) => ({
  id: freeId(model, 'hand-raise'),
  label,
  when: { types: ['form_submit'], formId: 'contact' },
});
