import type { LeadScore, Reason } from '../../shared/index.ts';
import { t } from '../i18n.ts';
import { points, reasonLine, reasonName } from './format.ts';

// The top reasons for and against, from fit and interest together, largest first. Each is
// shown under its rule's name, so two rules that counted the same page say which is which.
const TOP = 5;

export function topReasons(score: LeadScore): { plus: Reason[]; minus: Reason[] } {
  const all = [...score.fit.reasons, ...score.interest.reasons];
  return {
    plus: all.filter((r) => r.points > 0).sort((a, b) => b.points - a.points).slice(0, TOP),
    minus: all.filter((r) => r.points < 0).sort((a, b) => a.points - b.points).slice(0, TOP),
  };
}

export function Reasons({ score, now }: { score: LeadScore; now: number }) {
  const { plus, minus } = topReasons(score);
  return (
    <section class="reasons" data-testid="reasons">
      {plus.length ? <List title={t('reasonsPlus')} items={plus} now={now} kind="plus" /> : null}
      {minus.length ? <List title={t('reasonsMinus')} items={minus} now={now} kind="minus" /> : null}
    </section>
  );
}

function List({ title, items, now, kind }: { title: string; items: Reason[]; now: number; kind: string }) {
  return (
    <div class={kind}>
      <h3>{title}</h3>
      <ul>
        {items.map((r) => (
          <li key={r.rule} data-rule={r.rule}>
            <span class="points">{points(r.points)}</span> <strong class="rule">{reasonName(r)}</strong>
            <div class="evidence">{reasonLine(r, now)}</div>
          </li>
        ))}
      </ul>
    </div>
  );
}
