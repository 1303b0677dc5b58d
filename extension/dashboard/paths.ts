// Paths into the draft: the form edits by path, and errors from both sides are keyed by path.
// Local errors read `interestRules[0].points: ...` (shared/errors.ts) and the server's
// `interestRules.0.points: ...`; both become `interestRules.0.points` so one lookup serves both.

export type Path = readonly (string | number)[];

export const pathKey = (path: Path): string => path.join('.');

/** `a[0].b: message` or `a.0.b: message` -> { path: 'a.0.b', message }. */
export function splitError(line: string): { path: string; message: string } {
  const at = line.indexOf(': ');
  if (at < 0) return { path: '', message: line };
  const raw = line.slice(0, at);
  const path = raw === '(root)' ? '' : raw.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
  return { path, message: line.slice(at + 2) };
}

export type Errors = ReadonlyMap<string, readonly string[]>;

export function errorMap(lines: readonly string[]): Errors {
  const map = new Map<string, string[]>();
  for (const line of lines) {
    const { path, message } = splitError(line);
    map.set(path, [...(map.get(path) ?? []), message]);
  }
  return map;
}

export const errorsAt = (errors: Errors, path: Path): readonly string[] => errors.get(pathKey(path)) ?? [];

/** Errors under `prefix` that no field in `shown` displays: they show on the enclosing card. */
export function errorsUnder(errors: Errors, prefix: Path, shown: readonly Path[]): string[] {
  const p = pathKey(prefix);
  const taken = new Set(shown.map(pathKey));
  const out: string[] = [];
  for (const [path, messages] of errors) {
    const inside = p === '' || path === p || path.startsWith(`${p}.`);
    const claimed = [...taken].some((s) => path === s || path.startsWith(`${s}.`));
    const rel = p === '' ? path : path.slice(p.length + 1);
    if (inside && !claimed) out.push(...messages.map((m) => (path === p ? m : `${rel}: ${m}`)));
  }
  return out;
}

export function getIn(value: unknown, path: Path): unknown {
  let cur = value;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

/** A copy of `value` with `path` set; `undefined` removes the key (an emptied optional field). */
export function setIn(value: unknown, path: Path, next: unknown): unknown {
  if (path.length === 0) return next;
  const [key, ...rest] = path as [string | number, ...(string | number)[]];
  const base: unknown = value !== null && typeof value === 'object' ? value : typeof key === 'number' ? [] : {};
  const child = setIn((base as Record<string | number, unknown>)[key], rest, next);
  if (Array.isArray(base)) {
    const copy = [...base];
    copy[key as number] = child;
    return copy;
  }
  const copy: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  if (child === undefined) delete copy[key];
  else copy[key] = child;
  return copy;
}

/** A copy with the array at `path` changed by `fn`. */
export function updateList(value: unknown, path: Path, fn: (list: unknown[]) => unknown[]): unknown {
  const list = getIn(value, path);
  return setIn(value, path, fn(Array.isArray(list) ? list : []));
}
