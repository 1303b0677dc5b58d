import { EVENT_TYPES, type EventType } from '../../../shared/contracts/event.ts';
import { t, type MessageKey } from '../../i18n.ts';
import { EVENT_TYPE_LABELS } from '../../event-type-labels.ts';
import { errorsAt, errorsUnder, getIn, pathKey, setIn, type Path } from '../paths.ts';
import type { Draft } from '../use-draft.ts';
import { CheckField, FieldErrors, TextField } from './fields.tsx';

// An event matcher (`when`): every condition given must hold; an emptied one is removed.

const TEXT_CONDITIONS: readonly [string, MessageKey][] = [
  ['path', 'dbMatchPath'],
  ['urlRegex', 'dbMatchUrlRegex'],
  ['file', 'dbMatchFile'],
  ['tag', 'dbMatchTag'],
  ['selector', 'dbMatchSelector'],
  ['formId', 'dbMatchFormId'],
  ['name', 'dbMatchName'],
  ['campaign', 'dbMatchCampaign'],
];

export const MATCH_FIELDS: readonly string[] = ['types', ...TEXT_CONDITIONS.map(([k]) => k), 'tagged'];

export function MatchFields({ draft, path }: { draft: Draft; path: Path }) {
  const types = getIn(draft.value, [...path, 'types']);
  const chosen = Array.isArray(types) ? (types as EventType[]) : [];
  const toggle = (type: EventType, on: boolean) => {
    const next = on ? [...chosen, type] : chosen.filter((x) => x !== type);
    draft.setValue(setIn(draft.value, [...path, 'types'], next.length ? next : undefined));
  };
  // Conditions in use (or with an error) and the page path stay in view; the rest fold away,
  // so a list of rules stays readable. A condition moves up once it has a value.
  const inUse = ([key]: readonly [string, MessageKey]) => key === 'path' || getIn(draft.value, [...path, key]) !== undefined || errorsAt(draft.errors, [...path, key]).length > 0;
  const shown = TEXT_CONDITIONS.filter(inUse);
  const rest = TEXT_CONDITIONS.filter((c) => !inUse(c));
  return (
    <fieldset class="match" data-path={pathKey(path)}>
      <legend>{t('dbMatchTitle')}</legend>
      <FieldErrors messages={errorsAt(draft.errors, path)} />
      <fieldset class="types" data-path={pathKey([...path, 'types'])}>
        <legend>{t('dbMatchTypes')}</legend>
        {EVENT_TYPES.map((type) => (
          <label key={type} class="inline">
            <input type="checkbox" checked={chosen.includes(type)} onChange={(e) => toggle(type, (e.target as HTMLInputElement).checked)} /> {t(EVENT_TYPE_LABELS[type])}
          </label>
        ))}
        <FieldErrors messages={errorsUnder(draft.errors, [...path, 'types'], [])} />
      </fieldset>
      <div class="grid">
        {shown.map(([key, label]) => (
          <TextField key={key} draft={draft} path={[...path, key]} label={t(label)} optional />
        ))}
      </div>
      {rest.length ? (
        <details class="more-conditions">
          <summary>{t('dbMoreConditions')}</summary>
          <div class="grid">
            {rest.map(([key, label]) => (
              <TextField key={key} draft={draft} path={[...path, key]} label={t(label)} optional />
            ))}
          </div>
        </details>
      ) : null}
      <CheckField draft={draft} path={[...path, 'tagged']} label={t('dbMatchTagged')} unsetWhenOff />
    </fieldset>
  );
}
