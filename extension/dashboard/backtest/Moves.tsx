import type { StageMove } from '../../../shared/contracts/marketing.ts';
import { t } from '../../i18n.ts';
import { points, stageLabel } from '../../panel/format.ts';

// Leads whose stage the draft would change, biggest interest change first; each opens.

export function Moves({ moves, changed, selected, onOpen }: { moves: readonly StageMove[]; changed: number; selected: string | undefined; onOpen: (leadId: string) => void }) {
  if (!moves.length) return <p class="muted" data-testid="moves">{t('dbNoMoves')}</p>;
  return (
    <section data-testid="moves">
      <h3>{t('dbMovesTitle', [changed])}</h3>
      {changed > moves.length ? <p class="small muted">{t('dbMovesCut', [moves.length])}</p> : null}
      <table class="figures moves">
        <thead>
          <tr>
            <th scope="col">{t('dbLead')}</th>
            <th scope="col">{t('dbStageChange')}</th>
            <th scope="col">{t('dbInterestLiveDraft')}</th>
            <th scope="col">{t('dbFitLiveDraft')}</th>
          </tr>
        </thead>
        <tbody>
          {moves.map((m) => (
            <tr key={m.leadId} class={m.leadId === selected ? 'current' : undefined}>
              <th scope="row">
                <button type="button" class="link" aria-pressed={m.leadId === selected} onClick={() => onOpen(m.leadId)}>
                  {m.name ?? m.email ?? m.leadId}
                </button>
              </th>
              <td>
                {stageLabel(m.from)} → {stageLabel(m.to)}
              </td>
              <td>
                {Math.round(m.liveInterest)} → {Math.round(m.draftInterest)} ({points(m.draftInterest - m.liveInterest)})
              </td>
              <td>
                {Math.round(m.liveFit)} → {Math.round(m.draftFit)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
