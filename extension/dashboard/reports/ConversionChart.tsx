import type { Band } from '../../../shared/contracts/marketing.ts';
import { t } from '../../i18n.ts';
import { BarChart } from '../charts/BarChart.tsx';
import { percent } from '../format.ts';

// Conversion (won of won + lost) per band or stage, with the counts behind each bar.

export function bandTitle(label: string, b: Band): string {
  return b.conversion === null ? t('dbBandNoOutcomes', [label, b.leads]) : t('dbBandTitle', [label, percent(b.conversion), b.won, b.lost, b.leads]);
}

export function ConversionChart<B extends Band>({ title, bands, labelOf, testId }: { title: string; bands: readonly B[]; labelOf: (b: B) => string; testId: string }) {
  const bars = bands.map((b) => ({ key: b.label, tick: labelOf(b), value: b.conversion ?? 0, title: bandTitle(labelOf(b), b), missing: b.conversion === null }));
  return (
    <section class="report-part">
      <h3>{title}</h3>
      {bands.length ? <BarChart label={title} bars={bars} max={1} format={(v) => percent(v)} testId={testId} /> : <p class="muted">{t('dbNoData')}</p>}
      <table class="figures small">
        <thead>
          <tr>
            <th scope="col">{t('dbBand')}</th>
            <th scope="col">{t('dbLeads')}</th>
            <th scope="col">{t('dbWon')}</th>
            <th scope="col">{t('dbLost')}</th>
            <th scope="col">{t('dbConversion')}</th>
          </tr>
        </thead>
        <tbody>
          {bands.map((b) => (
            <tr key={b.label}>
              <th scope="row">{labelOf(b)}</th>
              <td>{b.leads}</td>
              <td>{b.won}</td>
              <td>{b.lost}</td>
              <td>{percent(b.conversion)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
