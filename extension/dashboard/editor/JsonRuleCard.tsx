import type { ComponentChildren } from 'preact';
import { t } from '../../i18n.ts';
import { errorsUnder, type Path } from '../paths.ts';
import type { Draft } from '../use-draft.ts';
import { LabelField, RuleCard } from './RuleCard.tsx';
import { NumberField } from './fields.tsx';
import { RestJson } from './RestJson.tsx';

// Fit and negative rules have many shapes (attribute matchers, email classes, completeness,
// careers-only): label and points as fields, the rest as JSON with its errors under it.

export function JsonRuleCard({ draft, path, onRemove, children }: { draft: Draft; path: Path; onRemove: () => void; children?: ComponentChildren }) {
  const fields: Path[] = [
    [...path, 'label'],
    [...path, 'points'],
  ];
  return (
    <RuleCard draft={draft} path={path}>
      {children}
      <div class="grid">
        <LabelField draft={draft} path={[...path, 'label']} />
        <NumberField draft={draft} path={[...path, 'points']} label={t('dbRulePoints')} />
      </div>
      <RestJson draft={draft} path={path} omit={['label', 'points']} messages={errorsUnder(draft.errors, path, fields)} />
      <button type="button" class="quiet" onClick={onRemove}>
        {t('dbRuleRemove')}
      </button>
    </RuleCard>
  );
}
