import { RULE_LISTS, type FieldChange, type ModelChange, type RuleList } from '../../shared/contracts/admin.ts';
import type { Model } from '../../shared/contracts/model.ts';

// What changed between two versions of a model, for the publish dialog ("you are about to
// raise the MQL threshold and drop two rules") and the model's history. Rules are matched by
// id, not by position: reordering rules changes nothing about a score, so it is not a change.

// The change shapes are contracts (the diff answer of the admin API): shared/contracts/admin.ts.
export { RULE_LISTS, type FieldChange, type ModelChange, type RuleList };

// Identity and bookkeeping: they differ between any two versions and say nothing about scoring.
const IGNORED = new Set(['id', 'version']);
const DOMAIN_LISTS = new Set(['ownDomains', 'competitorDomains']);

type Rule = { id: string } & Record<string, unknown>;

export function diffModels(a: Model, b: Model): ModelChange[] {
  const changes: ModelChange[] = [];
  const before = a as unknown as Record<string, unknown>;
  const after = b as unknown as Record<string, unknown>;
  // Walk every top-level key, so a field added to Model later shows up without touching this.
  for (const key of unionKeys(before, after)) {
    if (IGNORED.has(key) || (RULE_LISTS as readonly string[]).includes(key)) continue;
    if (DOMAIN_LISTS.has(key)) {
      const from = new Set(asStrings(before[key]));
      const to = new Set(asStrings(after[key]));
      const added = [...to].filter((d) => !from.has(d)).sort();
      const removed = [...from].filter((d) => !to.has(d)).sort();
      if (added.length || removed.length) changes.push({ kind: 'domains-changed', list: key as 'ownDomains' | 'competitorDomains', added, removed });
      continue;
    }
    for (const f of fieldChanges(before[key], after[key], key)) changes.push({ kind: 'value-changed', ...f });
  }
  for (const list of RULE_LISTS) changes.push(...diffRules(list, rulesOf(a, list), rulesOf(b, list)));
  return changes;
}

/**
 * Negative rules wrap their rule with an axis; flattening `{ axis, rule }` into one object
 * keeps paths short ("points", not "rule.points") and still shows an axis change.
 */
function rulesOf(model: Model, list: RuleList): Rule[] {
  if (list === 'negativeRules') return model.negativeRules.map((n) => ({ ...n.rule, axis: n.axis }) as Rule);
  return (model[list] as readonly unknown[]).map((r) => r as Rule);
}

function diffRules(list: RuleList, before: Rule[], after: Rule[]): ModelChange[] {
  const out: ModelChange[] = [];
  const old = new Map(before.map((r) => [r.id, r]));
  const now = new Set(after.map((r) => r.id));
  // In the new model's order, so the list reads like the model does.
  for (const rule of after) {
    const prev = old.get(rule.id);
    if (!prev) {
      out.push({ kind: 'rule-added', list, id: rule.id, rule });
      continue;
    }
    const fields = fieldChanges(prev, rule, '');
    if (fields.length) out.push({ kind: 'rule-changed', list, id: rule.id, fields });
  }
  for (const rule of before) if (!now.has(rule.id)) out.push({ kind: 'rule-removed', list, id: rule.id, rule });
  return out;
}

/**
 * Leaf-level differences between two values. Objects are walked key by key; arrays are
 * compared whole (a rule's `values` list reads better as before/after than as index edits).
 */
function fieldChanges(before: unknown, after: unknown, path: string): FieldChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    // A rule that switched kind or op is a different rule shape; show the whole match at once.
    if (before.op !== after.op || before.kind !== after.kind) return [{ path: path || '(rule)', before, after }];
    const out: FieldChange[] = [];
    for (const key of unionKeys(before, after)) out.push(...fieldChanges(before[key], after[key], path ? `${path}.${key}` : key));
    return out;
  }
  return deepEqual(before, after) ? [] : [{ path, before, after }];
}

function unionKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = Object.keys(a);
  for (const k of Object.keys(b)) if (!(k in a)) keys.push(k);
  return keys;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    // An absent key and `undefined` mean the same in a model.
    const keys = unionKeys(a, b);
    return keys.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

// --- text -------------------------------------------------------------------------------------

const LIST_NAMES: Record<RuleList, string> = {
  fitRules: 'fit rule',
  interestRules: 'interest rule',
  negativeRules: 'negative rule',
  handRaise: 'hand-raise',
};

/**
 * One line per change, `+` added, `-` removed, `~` changed:
 *   ~ thresholds.mql.interest: 60 → 70
 *   + interest rule "webinar" (Attended a webinar, +20)
 *   ~ fit rule "senior-title": points 30 → 25
 */
export function formatDiff(changes: readonly ModelChange[]): string {
  if (changes.length === 0) return 'no changes';
  return changes.map(formatChange).join('\n');
}

function formatChange(c: ModelChange): string {
  switch (c.kind) {
    case 'value-changed':
      return `~ ${c.path}: ${show(c.before)} → ${show(c.after)}`;
    case 'domains-changed': {
      const parts: string[] = [];
      if (c.added.length) parts.push(`+ ${c.added.join(', ')}`);
      if (c.removed.length) parts.push(`- ${c.removed.join(', ')}`);
      return `~ ${c.list}: ${parts.join('; ')}`;
    }
    case 'rule-added':
      return `+ ${LIST_NAMES[c.list]} "${c.id}"${summary(c.rule)}`;
    case 'rule-removed':
      return `- ${LIST_NAMES[c.list]} "${c.id}"${summary(c.rule)}`;
    case 'rule-changed':
      return `~ ${LIST_NAMES[c.list]} "${c.id}": ${c.fields.map((f) => `${f.path} ${show(f.before)} → ${show(f.after)}`).join('; ')}`;
  }
}

function summary(rule: unknown): string {
  if (!isPlainObject(rule)) return '';
  const parts: string[] = [];
  if (typeof rule.label === 'string') parts.push(rule.label);
  if (typeof rule.points === 'number') parts.push(rule.points > 0 ? `+${rule.points}` : String(rule.points));
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function show(v: unknown): string {
  if (v === undefined) return '(none)';
  const s = JSON.stringify(v);
  // Long values (a regex, a list of 40 industries) are clipped; the structured diff keeps them whole.
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
