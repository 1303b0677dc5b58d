import { t } from '../../i18n.ts';
import { errorsAt, getIn, pathKey, setIn, type Path } from '../paths.ts';
import type { Draft } from '../use-draft.ts';
import { FieldErrors, NumberField } from './fields.tsx';

// `repeat` is 'once', 'every' or { everyDays: N }: one select, and a number for the days.

type Policy = 'once' | 'every' | 'everyDays';

export function RepeatField({ draft, path }: { draft: Draft; path: Path }) {
  const v = getIn(draft.value, path);
  const policy: Policy = v === 'once' ? 'once' : v !== null && typeof v === 'object' ? 'everyDays' : 'every';
  const id = `f-${pathKey(path)}`;
  const choose = (p: Policy) => draft.setValue(setIn(draft.value, path, p === 'everyDays' ? { everyDays: 1 } : p));
  return (
    <div class="field" data-path={pathKey(path)}>
      <label for={id}>{t('dbRepeat')}</label>
      <select id={id} value={policy} onChange={(e) => choose((e.target as HTMLSelectElement).value as Policy)}>
        <option value="once">{t('dbRepeatOnce')}</option>
        <option value="every">{t('dbRepeatEvery')}</option>
        <option value="everyDays">{t('dbRepeatEveryDays')}</option>
      </select>
      <FieldErrors messages={errorsAt(draft.errors, path)} />
      {policy === 'everyDays' ? <NumberField draft={draft} path={[...path, 'everyDays']} label={t('dbRepeatDays')} /> : null}
    </div>
  );
}
