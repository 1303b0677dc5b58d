import type { ModelChange } from '../../shared/contracts/admin.ts';
import { t } from '../i18n.ts';
import { listLabel, shortJson } from './format.ts';

// One change between versions, as a sentence.

export function changeText(c: ModelChange): string {
  switch (c.kind) {
    case 'rule-added':
      return t('dbChangeAdded', [listLabel(c.list), c.id]);
    case 'rule-removed':
      return t('dbChangeRemoved', [listLabel(c.list), c.id]);
    case 'rule-changed':
      return t('dbChangeRule', [listLabel(c.list), c.id, c.fields.map((f) => `${f.path}: ${shortJson(f.before)} → ${shortJson(f.after)}`).join('; ')]);
    case 'value-changed':
      return `${c.path}: ${shortJson(c.before)} → ${shortJson(c.after)}`;
    case 'domains-changed':
      return `${c.list}: ${[...c.added.map((d) => `+${d}`), ...c.removed.map((d) => `−${d}`)].join(', ')}`;
  }
}

export function ChangeList({ changes }: { changes: readonly ModelChange[] }) {
  if (!changes.length) return <p class="muted small">{t('dbNoChanges')}</p>;
  return (
    <ul class="changes">
      {changes.map((c, i) => (
        <li key={i}>{changeText(c)}</li>
      ))}
    </ul>
  );
}
