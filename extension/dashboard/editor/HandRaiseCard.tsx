import { t } from '../../i18n.ts';
import { errorsUnder, getIn, type Path } from '../paths.ts';
import type { Draft } from '../use-draft.ts';
import { FieldErrors, TextField } from './fields.tsx';
import { MatchFields } from './MatchFields.tsx';

// A hand-raise: matching events make the lead sales-ready at once (a demo form, contact sales).

export function HandRaiseCard({ draft, path, onRemove }: { draft: Draft; path: Path; onRemove: () => void }) {
  const label = getIn(draft.value, [...path, 'label']);
  const shown: Path[] = [[...path, 'label'], [...path, 'id'], [...path, 'when']];
  return (
    <section class="card rule" aria-label={typeof label === 'string' && label ? label : t('dbRuleUntitled')}>
      <div class="grid">
        <TextField draft={draft} path={[...path, 'label']} label={t('dbRuleLabel')} />
        <TextField draft={draft} path={[...path, 'id']} label={t('dbRuleId')} />
      </div>
      <MatchFields draft={draft} path={[...path, 'when']} />
      <FieldErrors messages={errorsUnder(draft.errors, path, shown)} />
      <button type="button" class="quiet" onClick={onRemove}>
        {t('dbRuleRemove')}
      </button>
    </section>
  );
}
