import { t } from '../../i18n.ts';
import { errorsUnder, type Path } from '../paths.ts';
import type { Draft } from '../use-draft.ts';
import { LabelField, RuleCard } from './RuleCard.tsx';
import { CheckField, FieldErrors, NumberField, TextField } from './fields.tsx';
import { MATCH_FIELDS, MatchFields } from './MatchFields.tsx';
import { RepeatField } from './RepeatField.tsx';

// One interest rule as a form. Errors at paths no field shows land on the card.

const FIELDS = ['id', 'label', 'points', 'repeat', 'cap', 'maxEventWeight', 'decays', 'when'];

export function InterestRuleCard({ draft, path, onRemove }: { draft: Draft; path: Path; onRemove: () => void }) {
  const shown: Path[] = [...FIELDS.filter((f) => f !== 'when').map((f) => [...path, f]), ...MATCH_FIELDS.map((f) => [...path, 'when', f]), [...path, 'when']];
  return (
    <RuleCard draft={draft} path={path}>
      <div class="grid">
        <LabelField draft={draft} path={[...path, 'label']} />
        <TextField draft={draft} path={[...path, 'id']} label={t('dbRuleId')} />
        <NumberField draft={draft} path={[...path, 'points']} label={t('dbRulePoints')} />
        <RepeatField draft={draft} path={[...path, 'repeat']} />
        <NumberField draft={draft} path={[...path, 'cap']} label={t('dbRuleCap')} />
        <NumberField draft={draft} path={[...path, 'maxEventWeight']} label={t('dbRuleMaxEventWeight')} />
      </div>
      <CheckField draft={draft} path={[...path, 'decays']} label={t('dbRuleDecays')} fallback />
      <MatchFields draft={draft} path={[...path, 'when']} />
      <FieldErrors messages={errorsUnder(draft.errors, path, shown)} />
      <button type="button" class="quiet" onClick={onRemove}>
        {t('dbRuleRemove')}
      </button>
    </RuleCard>
  );
}
