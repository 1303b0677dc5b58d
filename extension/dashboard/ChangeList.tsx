import type { ModelChange } from '../../shared/contracts/admin.ts';
import { RuleLabel } from '../../shared/contracts/lead.ts';
import { ruleName } from '../../shared/scoring/wording.ts';
import { t, words, type MessageKey } from '../i18n.ts';
import { listLabel, short as num, shortJson } from './format.ts';

// One change between versions, as a sentence in the editor's own words: "Changed in Interest
// rules: Visited pricing (Points: 15 → 20)", never a JSON path where the form has a label.

const MODEL_FIELDS: Record<string, MessageKey> = {
  name: 'dbModelName',
  description: 'dbModelDescription',
  halfLifeDays: 'dbHalfLife',
  'caps.interestMax': 'dbInterestMax',
  'caps.interestFloor': 'dbInterestFloor',
  'thresholds.engaged': 'dbEngagedAt',
  'thresholds.mql.interest': 'dbMqlInterest',
  'thresholds.mql.minGrade': 'dbMqlMinGrade',
  ownDomains: 'dbOwnDomains',
  competitorDomains: 'dbCompetitorDomains',
};

const RULE_FIELDS: Record<string, MessageKey> = {
  label: 'dbRuleLabel',
  id: 'dbRuleId',
  points: 'dbRulePoints',
  cap: 'dbRuleCap',
  maxEventWeight: 'dbRuleMaxEventWeight',
  decays: 'dbRuleDecays',
  repeat: 'dbRepeat',
  'when.types': 'dbMatchTypes',
  'when.path': 'dbMatchPath',
  'when.urlRegex': 'dbMatchUrlRegex',
  'when.file': 'dbMatchFile',
  'when.tag': 'dbMatchTag',
  'when.selector': 'dbMatchSelector',
  'when.formId': 'dbMatchFormId',
  'when.name': 'dbMatchName',
  'when.campaign': 'dbMatchCampaign',
  'when.tagged': 'dbMatchTagged',
};

/** The form's label for a path, else the path itself (a field the form does not show). */
export function fieldLabel(path: string, inRule: boolean): string {
  const grade = /^thresholds\.grades\.([ABC])$/.exec(path);
  if (!inRule && grade) return t('dbGradeAt', [grade[1]!]);
  const label = /^label\.(en|nl|sv)$/.exec(path);
  if (inRule && label) return t('dbRuleLabelIn', [new Intl.DisplayNames(words.lang, { type: 'language' }).of(label[1]!) ?? label[1]!]);
  const key = (inRule ? RULE_FIELDS : MODEL_FIELDS)[path];
  return key ? t(key) : path;
}

function value(v: unknown): string {
  if (typeof v === 'number') return num(v);
  if (typeof v === 'boolean') return t(v ? 'dbYes' : 'dbNo');
  if (typeof v === 'string') return `“${v}”`;
  const label = RuleLabel.safeParse(v);
  if (label.success && typeof v === 'object') return `“${ruleName(label.data, words)}”`;
  return shortJson(v);
}

function ruleTitle(rule: unknown, id: string): string {
  const label = RuleLabel.safeParse((rule as { label?: unknown } | null)?.label ?? (rule as { rule?: { label?: unknown } } | null)?.rule?.label);
  return label.success ? ruleName(label.data, words) : id;
}

export function changeText(c: ModelChange): string {
  switch (c.kind) {
    case 'rule-added':
      return t('dbChangeAdded', [listLabel(c.list), ruleTitle(c.rule, c.id)]);
    case 'rule-removed':
      return t('dbChangeRemoved', [listLabel(c.list), ruleTitle(c.rule, c.id)]);
    case 'rule-changed':
      return t('dbChangeRule', [listLabel(c.list), c.id, c.fields.map((f) => `${fieldLabel(f.path, true)}: ${value(f.before)} → ${value(f.after)}`).join('; ')]);
    case 'value-changed':
      return t('dbChangeValue', [fieldLabel(c.path, false), value(c.before), value(c.after)]);
    case 'domains-changed':
      return `${fieldLabel(c.list, false)}: ${[...c.added.map((d) => `+${d}`), ...c.removed.map((d) => `−${d}`)].join(', ')}`;
  }
}

export function ChangeList({ changes }: { changes: readonly ModelChange[] }) {
  if (!changes.length) return <p class="muted small">{t('dbNoChanges')}</p>;
  return (
    <ul class="changes">
      {changes.map((c, i) => (
        <li key={i}>{changeText(c)}</li>
      ))}
    </ul>
  );
}
