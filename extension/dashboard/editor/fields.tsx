import type { ComponentChildren } from 'preact';
import { errorsAt, getIn, pathKey, setIn, type Path } from '../paths.ts';
import type { Draft } from '../use-draft.ts';

// Inputs bound to a path in the draft. Each shows the errors reported at its own path, from
// local validation or from the server, right under it.

const fieldId = (path: Path) => `f-${pathKey(path)}`;

export function FieldErrors({ messages, id }: { messages: readonly string[]; id?: string }) {
  if (!messages.length) return null;
  return (
    <ul class="errors" id={id}>
      {messages.map((m, i) => (
        <li key={i}>{m}</li>
      ))}
    </ul>
  );
}

function Wrap({ draft, path, children }: { draft: Draft; path: Path; children: ComponentChildren }) {
  const messages = errorsAt(draft.errors, path);
  return (
    <div class={`field${messages.length ? ' invalid' : ''}`} data-path={pathKey(path)}>
      {children}
      <FieldErrors messages={messages} id={`${fieldId(path)}-errors`} />
    </div>
  );
}

const described = (draft: Draft, path: Path) => (errorsAt(draft.errors, path).length ? `${fieldId(path)}-errors` : undefined);

type Props = { draft: Draft; path: Path; label: string; optional?: boolean };

export function TextField({ draft, path, label, optional }: Props) {
  const v = getIn(draft.value, path);
  return (
    <Wrap draft={draft} path={path}>
      <label for={fieldId(path)}>{label}</label>
      <input
        id={fieldId(path)}
        type="text"
        value={typeof v === 'string' ? v : v === undefined ? '' : String(v)}
        aria-invalid={errorsAt(draft.errors, path).length > 0}
        aria-describedby={described(draft, path)}
        onInput={(e) => {
          const text = (e.target as HTMLInputElement).value;
          draft.setValue(setIn(draft.value, path, text === '' && optional ? undefined : text));
        }}
      />
    </Wrap>
  );
}

export function NumberField({ draft, path, label }: Omit<Props, 'optional'>) {
  const v = getIn(draft.value, path);
  return (
    <Wrap draft={draft} path={path}>
      <label for={fieldId(path)}>{label}</label>
      <input
        id={fieldId(path)}
        type="number"
        step="any"
        value={typeof v === 'number' ? String(v) : ''}
        aria-invalid={errorsAt(draft.errors, path).length > 0}
        aria-describedby={described(draft, path)}
        onInput={(e) => {
          const text = (e.target as HTMLInputElement).value;
          // An emptied number is removed: optional ones are then unset, required ones say so.
          draft.setValue(setIn(draft.value, path, text === '' ? undefined : Number(text)));
        }}
      />
    </Wrap>
  );
}

/** `unsetWhenOff`: unchecked removes the key (for flags whose absence is the default). */
export function CheckField({ draft, path, label, unsetWhenOff, fallback = false }: Omit<Props, 'optional'> & { unsetWhenOff?: boolean; fallback?: boolean }) {
  const v = getIn(draft.value, path);
  return (
    <Wrap draft={draft} path={path}>
      <label>
        <input
          type="checkbox"
          checked={typeof v === 'boolean' ? v : fallback}
          onChange={(e) => {
            const on = (e.target as HTMLInputElement).checked;
            draft.setValue(setIn(draft.value, path, on ? true : unsetWhenOff ? undefined : false));
          }}
        />{' '}
        {label}
      </label>
    </Wrap>
  );
}

export function SelectField({ draft, path, label, options }: Omit<Props, 'optional'> & { options: readonly { value: string; label: string }[] }) {
  const v = getIn(draft.value, path);
  return (
    <Wrap draft={draft} path={path}>
      <label for={fieldId(path)}>{label}</label>
      <select id={fieldId(path)} value={typeof v === 'string' ? v : ''} onChange={(e) => draft.setValue(setIn(draft.value, path, (e.target as HTMLSelectElement).value))}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Wrap>
  );
}

