import { t } from '../../i18n.ts';
import { errorsUnder, getIn, updateList, type Path } from '../paths.ts';
import type { Draft } from '../use-draft.ts';
import { FieldErrors } from './fields.tsx';
import { HandRaiseCard } from './HandRaiseCard.tsx';
import { InterestRuleCard } from './InterestRuleCard.tsx';
import { JsonRuleCard } from './JsonRuleCard.tsx';
import { ModelSettings } from './ModelSettings.tsx';
import { newFitRule, newHandRaise, newInterestRule, newNegativeRule } from './new-rules.ts';
import { RuleSection } from './RuleSection.tsx';

// The draft as a form: settings, then each rule list. Whatever no field shows (unknown
// top-level keys, domain lists) is listed at the end with its path.

const SHOWN: Path[] = [['name'], ['halfLifeDays'], ['caps'], ['thresholds'], ['interestRules'], ['fitRules'], ['negativeRules'], ['handRaise']];

const list = (v: unknown, key: string): unknown[] => {
  const l = getIn(v, [key]);
  return Array.isArray(l) ? l : [];
};

export function DraftForm({ draft }: { draft: Draft }) {
  const v = draft.value;
  const add = (key: string, item: unknown) => draft.setValue(updateList(v, [key], (l) => [...l, item]));
  const remove = (key: string, i: number) => draft.setValue(updateList(v, [key], (l) => l.filter((_, j) => j !== i)));
  return (
    <div class="draft-form" data-testid="draft-form">
      <ModelSettings draft={draft} />
      <RuleSection
        draft={draft}
        path={['interestRules']}
        title={t('dbInterestRules')}
        actions={<button type="button" onClick={() => add('interestRules', newInterestRule(v, t('dbNewRule')))}>{t('dbAddInterestRule')}</button>}
      >
        {list(v, 'interestRules').map((_, i) => (
          <InterestRuleCard key={i} draft={draft} path={['interestRules', i]} onRemove={() => remove('interestRules', i)} />
        ))}
      </RuleSection>
      <RuleSection draft={draft} path={['fitRules']} title={t('dbFitRules')} actions={<button type="button" onClick={() => add('fitRules', newFitRule(v, t('dbNewRule')))}>{t('dbAddFitRule')}</button>}>
        {list(v, 'fitRules').map((_, i) => (
          <JsonRuleCard key={i} draft={draft} path={['fitRules', i]} onRemove={() => remove('fitRules', i)} />
        ))}
      </RuleSection>
      <RuleSection
        draft={draft}
        path={['negativeRules']}
        title={t('dbNegativeRules')}
        actions={<button type="button" onClick={() => add('negativeRules', newNegativeRule(v, t('dbNewRule')))}>{t('dbAddNegativeRule')}</button>}
      >
        {list(v, 'negativeRules').map((n, i) => (
          <JsonRuleCard key={i} draft={draft} path={['negativeRules', i, 'rule']} onRemove={() => remove('negativeRules', i)}>
            <p class="muted small">{t('dbAxis', [String(getIn(n, ['axis']) ?? '?')])}</p>
            <FieldErrors messages={errorsUnder(draft.errors, ['negativeRules', i], [['negativeRules', i, 'rule']])} />
          </JsonRuleCard>
        ))}
      </RuleSection>
      <RuleSection draft={draft} path={['handRaise']} title={t('dbHandRaise')} actions={<button type="button" onClick={() => add('handRaise', newHandRaise(v, t('dbNewRule')))}>{t('dbAddHandRaise')}</button>}>
        {list(v, 'handRaise').map((_, i) => (
          <HandRaiseCard key={i} draft={draft} path={['handRaise', i]} onRemove={() => remove('handRaise', i)} />
        ))}
      </RuleSection>
      <FieldErrors messages={errorsUnder(draft.errors, [], SHOWN)} />
    </div>
  );
}
