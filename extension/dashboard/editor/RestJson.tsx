import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n.ts';
import { getIn, pathKey, setIn, type Path } from '../paths.ts';
import type { Draft } from '../use-draft.ts';
import { FieldErrors } from './fields.tsx';

// The parts of a rule the form has no fields for, as JSON. The fields named in `omit` stay
// with their own inputs; everything else is edited here and merged back while it parses.

const rest = (v: unknown, omit: readonly string[]) =>
  v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => !omit.includes(k))) : {};
const show = (v: unknown) => JSON.stringify(v, null, 2);

function sameJson(text: string, v: unknown): boolean {
  try {
    return show(JSON.parse(text)) === show(v);
  } catch {
    // why: text that does not parse differs from any value; the field says why it does not parse.
    return false;
  }
}

export function RestJson({ draft, path, omit, messages }: { draft: Draft; path: Path; omit: readonly string[]; messages: readonly string[] }) {
  const current = rest(getIn(draft.value, path), omit);
  const [text, setText] = useState(() => show(current));
  const [syntax, setSyntax] = useState<string | undefined>(undefined);
  // Follow edits made elsewhere (the JSON view), but keep the marketer's own formatting.
  useEffect(() => {
    if (!syntax && !sameJson(text, current)) setText(show(current));
  }, [show(current)]);

  const onInput = (next: string) => {
    setText(next);
    try {
      const parsed: unknown = JSON.parse(next);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(t('dbExpectedObject'));
      const kept = Object.fromEntries(omit.map((k) => [k, getIn(draft.value, [...path, k])]).filter(([, v]) => v !== undefined));
      setSyntax(undefined);
      draft.setValue(setIn(draft.value, path, { ...parsed, ...kept }));
    } catch (error) {
      setSyntax(error instanceof Error ? error.message : String(error));
    }
  };
  const id = `f-${pathKey(path)}-rest`;
  return (
    <div class="field" data-path={`${pathKey(path)}.*`}>
      <label for={id}>{t('dbRuleRest')}</label>
      <textarea id={id} class="code" rows={Math.min(10, text.split('\n').length + 1)} value={text} spellcheck={false} onInput={(e) => onInput((e.target as HTMLTextAreaElement).value)} />
      <FieldErrors messages={[...(syntax ? [syntax] : []), ...messages]} />
    </div>
  );
}
