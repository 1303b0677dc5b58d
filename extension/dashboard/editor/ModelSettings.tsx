import { GRADES } from '../../../shared/contracts/lead.ts';
import { t } from '../../i18n.ts';
import { errorsAt } from '../paths.ts';
import type { Draft } from '../use-draft.ts';
import { FieldErrors, NumberField, SelectField, TextField } from './fields.tsx';

// The model's numbers: name, decay, caps and the thresholds that turn scores into stages.

export function ModelSettings({ draft }: { draft: Draft }) {
  return (
    <section class="card" aria-labelledby="settings-title">
      <h3 id="settings-title">{t('dbSettingsTitle')}</h3>
      <div class="grid">
        <TextField draft={draft} path={['name']} label={t('dbModelName')} />
        <NumberField draft={draft} path={['halfLifeDays']} label={t('dbHalfLife')} />
        <NumberField draft={draft} path={['caps', 'interestMax']} label={t('dbInterestMax')} />
        <NumberField draft={draft} path={['caps', 'interestFloor']} label={t('dbInterestFloor')} />
      </div>
      <FieldErrors messages={errorsAt(draft.errors, ['caps'])} />
      <h4>{t('dbThresholds')}</h4>
      <div class="grid">
        <NumberField draft={draft} path={['thresholds', 'grades', 'A']} label={t('dbGradeAt', ['A'])} />
        <NumberField draft={draft} path={['thresholds', 'grades', 'B']} label={t('dbGradeAt', ['B'])} />
        <NumberField draft={draft} path={['thresholds', 'grades', 'C']} label={t('dbGradeAt', ['C'])} />
        <NumberField draft={draft} path={['thresholds', 'engaged']} label={t('dbEngagedAt')} />
        <NumberField draft={draft} path={['thresholds', 'mql', 'interest']} label={t('dbMqlInterest')} />
        <SelectField draft={draft} path={['thresholds', 'mql', 'minGrade']} label={t('dbMqlMinGrade')} options={GRADES.map((g) => ({ value: g, label: g }))} />
      </div>
      <FieldErrors messages={[...errorsAt(draft.errors, ['thresholds', 'grades']), ...errorsAt(draft.errors, ['thresholds'])]} />
    </section>
  );
}
