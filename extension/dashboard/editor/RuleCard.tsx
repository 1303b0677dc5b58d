import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { RuleLabel } from '../../../shared/contracts/lead.ts';
import { ruleName } from '../../../shared/scoring/wording.ts';
import { t, uiLanguage, words } from '../../i18n.ts';
import { getIn, pathKey, type Errors, type Path } from '../paths.ts';
import type { Draft } from '../use-draft.ts';
import { TextField } from './fields.tsx';

// A rule as one line (name and points) until the marketer opens it; a rule with a problem
// opens by itself, so the problem count's jump lands on a visible field.

export function hasErrorsUnder(errors: Errors, path: Path): boolean {
  const key = pathKey(path);
  for (const k of errors.keys()) if (k === key || k.startsWith(`${key}.`)) return true;
  return false;
}

/** The rule's name in the reader's language, for its one line and its aria-label. */
export function ruleTitle(draft: Draft, path: Path): string {
  const parsed = RuleLabel.safeParse(getIn(draft.value, [...path, 'label']));
  return parsed.success ? ruleName(parsed.data, words) : t('dbRuleUntitled');
}

export function RuleCard({ draft, path, children }: { draft: Draft; path: Path; children: ComponentChildren }) {
  const title = ruleTitle(draft, path);
  const points = getIn(draft.value, [...path, 'points']);
  const invalid = hasErrorsUnder(draft.errors, path);
  const [opened, setOpen] = useState(false);
  // A card with a problem stays open, so every problem is visible at its field.
  const open = opened || invalid;
  // A closed card renders only its line: a model of 40 rules stays one screen and renders fast.
  return (
    <section class={`card rule${invalid ? ' invalid' : ''}`} aria-label={title} data-path={pathKey(path)}>
      <details open={open}>
        <summary
          aria-expanded={open}
          onClick={(e) => {
            e.preventDefault();
            setOpen(!open);
          }}
        >
          <span class="rule-title">{title}</span>
          {typeof points === 'number' ? <span class="rule-points">{points > 0 ? `+${points}` : points}</span> : null}
          {invalid ? <span class="rule-problem">{t('dbRuleHasProblem')}</span> : null}
        </summary>
        {open ? children : null}
      </details>
    </section>
  );
}

/**
 * A rule's name: one field for a plain label, one per language for a translated one
 * (`{ en, nl, sv }`), so the sidebar names the rule in each rep's language.
 */
export function LabelField({ draft, path }: { draft: Draft; path: Path }) {
  const value = getIn(draft.value, path);
  if (value === null || typeof value !== 'object') return <TextField draft={draft} path={path} label={t('dbRuleLabel')} />;
  const names = new Intl.DisplayNames(uiLanguage(), { type: 'language' });
  return (
    <>
      {(['en', 'nl', 'sv'] as const).map((lang) => (
        <TextField key={lang} draft={draft} path={[...path, lang]} label={t('dbRuleLabelIn', [names.of(lang) ?? lang])} optional={lang !== 'en'} />
      ))}
    </>
  );
}
