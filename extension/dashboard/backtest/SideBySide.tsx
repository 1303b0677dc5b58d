import type { BacktestSide } from '../../../shared/contracts/marketing.ts';
import { t } from '../../i18n.ts';
import { decimal, percent } from '../format.ts';

// Live and draft on the same history: MQLs, precision and recall at the MQL threshold, AUC.

export function SideBySide({ live, draft }: { live: BacktestSide; draft: BacktestSide }) {
  const rows: [string, (s: BacktestSide) => string][] = [
    [t('dbMqls'), (s) => String(s.mqls)],
    [t('dbPrecision'), (s) => percent(s.precision, 1)],
    [t('dbRecall'), (s) => percent(s.recall, 1)],
    [t('dbAuc'), (s) => decimal(s.auc, 3)],
  ];
  return (
    <table class="figures side-by-side" data-testid="side-by-side">
      <thead>
        <tr>
          <td />
          <th scope="col">{t('dbLiveVersion', [live.version])}</th>
          <th scope="col">{t('dbDraft')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, f]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>{f(live)}</td>
            <td>{f(draft)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
