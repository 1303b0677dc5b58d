import { t } from '../../i18n.ts';
import { errorsUnder, type Path } from '../paths.ts';
import type { Draft } from '../use-draft.ts';
import { LabelField, RuleCard } from './RuleCard.tsx';
import { FieldErrors, TextField } from './fields.tsx';
import { MatchFields } from './MatchFields.tsx';

// A hand-raise: matching events make the lead sales-ready at once (a demo form, contact sales).

export function HandRaiseCard({ draft, path, onRemove }: { draft: Draft; path: Path; onRemove: () => void }) {
  const shown: Path[] = [[...path, 'label'], [...path, 'id'], [...path, 'when']];
  return (
    <RuleCard draft={draft} path={path}>
      <div class="grid">
        <LabelField draft={draft} path={[...path, 'label']} />
        <TextField draft={draft} path={[...path, 'id']} label={t('dbRuleId')} />
      </div>
      <MatchFields draft={draft} path={[...path, 'when']} />
      <FieldErrors messages={errorsUnder(draft.errors, path, shown)} />
      <button type="button" class="quiet" onClick={onRemove}>
        {t('dbRuleRemove')}
      </button>
    </RuleCard>
  );
}
