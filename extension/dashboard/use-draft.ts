import { useMemo, useState } from 'preact/hooks';
import { parseModel } from '../../shared/scoring/validate.ts';
import { errorMap, type Errors } from './paths.ts';

// One draft, two views. The form edits `value` and rewrites `text`; the JSON view edits `text`
// and, while it parses, `value`. Both are kept, so switching views never loses an edit; a
// JSON syntax error keeps the form on the last value that parsed.

export type Draft = {
  value: unknown;
  text: string;
  syntaxError: string | undefined;
  /** Local validation (parseModel) and the server's `details` of the last save, by path. */
  errors: Errors;
  dirty: boolean;
  setValue: (next: unknown) => void;
  setText: (next: string) => void;
  setServerErrors: (lines: readonly string[]) => void;
  reset: (value: unknown) => void;
  markSaved: () => void;
};

const show = (v: unknown) => JSON.stringify(v, null, 2);

export function useDraft(initial: unknown): Draft {
  const [value, setVal] = useState<unknown>(initial);
  const [text, setTxt] = useState(() => show(initial));
  const [syntaxError, setSyntaxError] = useState<string | undefined>(undefined);
  const [server, setServer] = useState<readonly string[]>([]);
  const [dirty, setDirty] = useState(false);

  const local = useMemo(() => {
    const check = parseModel(value);
    return check.ok ? [] : check.errors;
  }, [value]);
  const errors = useMemo(() => errorMap([...local, ...server]), [local, server]);

  return {
    value,
    text,
    syntaxError,
    errors,
    dirty,
    setValue(next) {
      setVal(next);
      setTxt(show(next));
      setSyntaxError(undefined);
      // The server judged the saved version; after an edit its messages may no longer hold.
      setServer([]);
      setDirty(true);
    },
    setText(next) {
      setTxt(next);
      setDirty(true);
      try {
        setVal(JSON.parse(next));
        setSyntaxError(undefined);
        setServer([]);
      } catch (error) {
        setSyntaxError(error instanceof Error ? error.message : String(error));
      }
    },
    setServerErrors: setServer,
    reset(next) {
      setVal(next);
      setTxt(show(next));
      setSyntaxError(undefined);
      setServer([]);
      setDirty(false);
    },
    markSaved: () => setDirty(false),
  };
}
