import { useEffect, useState } from 'preact/hooks';
import type { Report } from '../../../shared/contracts/marketing.ts';
import type { AdminApi } from '../../admin-api.ts';
import { t } from '../../i18n.ts';
import { stageLabel } from '../../panel/format.ts';
import { dateTime } from '../format.ts';
import { Problem } from '../Problem.tsx';
import { WeeksPicker } from '../WeeksPicker.tsx';
import { ConversionChart } from './ConversionChart.tsx';
import { Curves } from './Curves.tsx';
import { DurationFigures } from './DurationFigures.tsx';
import { MqlWeeks } from './MqlWeeks.tsx';
import { ImportOutcomes } from './ImportOutcomes.tsx';
import { NoOutcomes } from './NoOutcomes.tsx';
import { TopRules } from './TopRules.tsx';

// The model's report: volume, conversion, speed, which rules matter, and how well it ranks.

type Props = { api: AdminApi; modelId: string; refreshKey: number };

export function Reports({ api, modelId, refreshKey }: Props) {
  const [report, setReport] = useState<Report | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [weeks, setWeeks] = useState(26);
  // Bumped after an import, so the report is computed again with the new outcomes.
  const [imports, setImports] = useState(0);

  useEffect(() => {
    let live = true;
    setReport(undefined);
    void api.report(modelId, weeks).then((r) => {
      if (!live) return;
      if (r.ok) (setReport(r.data), setError(undefined));
      else setError(r.message ?? r.problem);
    });
    return () => void (live = false);
  }, [api, modelId, weeks, refreshKey, imports]);

  if (error) return <Problem message={error} />;
  if (!report) return <p class="muted">{t('dbLoadingReport')}</p>;
  const outcomes = report.won + report.lost > 0;
  return (
    <section class="reports" aria-labelledby="reports-title">
      <h2 id="reports-title">{t('dbReportsTitle', [report.modelId, report.modelVersion])}</h2>
      <p class="muted" data-testid="report-summary">
        {t('dbReportSummary', [report.leads, report.won, report.lost, dateTime(report.at)])}{' '}
        <WeeksPicker weeks={weeks} onChange={setWeeks} />
      </p>
      {report.leads === 0 ? (
        <p class="banner warn" data-testid="no-leads">
          {t('dbNoLeads')}
        </p>
      ) : null}
      {report.leads > 0 && !outcomes ? <NoOutcomes /> : null}
      {report.leads > 0 ? <ImportOutcomes api={api} onImported={() => setImports((n) => n + 1)} /> : null}
      <MqlWeeks
        title={t('dbMqlsPerWeek')}
        weeks={report.mqlsPerWeek}
        other={report.draftMqlsPerWeek}
        mainName={t('dbLive')}
        otherName={t('dbDraft')}
        testId="mql-weeks"
      />
      <DurationFigures toMql={report.timeToMql} toWon={report.timeToWon} />
      {outcomes ? (
        <>
          <ConversionChart title={t('dbConversionByBand')} bands={report.bands} labelOf={(b) => b.label} testId="bands" />
          <ConversionChart title={t('dbConversionByStage')} bands={report.stages} labelOf={(b) => stageLabel(b.stage)} testId="stages" />
          <TopRules rules={report.topRules} />
          <Curves curves={report.curves} />
        </>
      ) : null}
    </section>
  );
}
