import { useEffect, useState } from 'preact/hooks';
import type { Evaluation, PredictiveStatus } from '../../shared/contracts/marketing.ts';
import type { AdminApi } from '../admin-api.ts';
import { t } from '../i18n.ts';
import { dateTime, decimal } from './format.ts';
import { Problem } from './Problem.tsx';

// The predictive model: how well the current one ranks (cross-validated), what the last
// training run decided, the schedule, and a button to retrain. While training runs in the
// server's worker the status is asked again every few seconds.

const POLL_MS = 3000;

export function Predictive({ api, pollMs = POLL_MS }: { api: AdminApi; pollMs?: number }) {
  const [status, setStatus] = useState<PredictiveStatus | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [asked, setAsked] = useState(false);

  const take = (r: Awaited<ReturnType<AdminApi['predictive']>>) => (r.ok ? (setStatus(r.data), setError(undefined)) : setError(r.message ?? r.problem));
  useEffect(() => void api.predictive().then(take), [api]);
  useEffect(() => {
    if (!status?.training) return;
    const timer = setTimeout(() => void api.predictive().then(take), pollMs);
    return () => clearTimeout(timer);
  }, [api, status, pollMs]);

  async function retrain() {
    setAsked(true);
    take(await api.train());
  }

  return (
    <section class="predictive" aria-labelledby="predictive-title">
      <h2 id="predictive-title">{t('dbPredictiveTitle')}</h2>
      {error ? <Problem message={error} /> : null}
      {!status && !error ? <p class="muted">{t('loading')}</p> : null}
      {status ? (
        <>
          <p class="row">
            <button type="button" class="primary" disabled={status.training} onClick={() => void retrain()}>
              {t('dbRetrain')}
            </button>
            <span role="status" data-testid="training">
              {status.training ? t('dbTraining') : asked ? t('dbTrainingDone') : ''}
            </span>
          </p>
          <p data-testid="schedule">{status.scheduleHours > 0 ? t('dbSchedule', [status.scheduleHours]) : t('dbScheduleNone')}</p>
          {status.current ? (
            <section data-testid="current-model">
              <h3>{t('dbCurrentModel')}</h3>
              <p class="muted small">{t('dbTrainedAt', [dateTime(status.current.trainedAt), status.current.features])}</p>
              <EvaluationTable evaluation={status.current.evaluation} />
            </section>
          ) : (
            <p class="banner warn" data-testid="no-predictive">
              {t('dbNoPredictive')}
            </p>
          )}
          {status.lastRun ? (
            <section data-testid="last-run">
              <h3>{t('dbLastRun')}</h3>
              <p>
                {dateTime(status.lastRun.at)}: <strong>{status.lastRun.accepted ? t('dbRunAccepted') : t('dbRunKept')}</strong> {status.lastRun.reason}
              </p>
              {/* An accepted run is the current model, shown above; a rejected one shows what it scored. */}
              {status.lastRun.evaluation && !status.lastRun.accepted ? <EvaluationTable evaluation={status.lastRun.evaluation} /> : null}
            </section>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function EvaluationTable({ evaluation: e }: { evaluation: Evaluation }) {
  return (
    <table class="figures">
      <tbody>
        <tr>
          <th scope="row">{t('dbCvAuc')}</th>
          <td data-testid="mean-auc">{decimal(e.auc, 3)}</td>
        </tr>
        <tr>
          <th scope="row">{t('dbFoldAucs')}</th>
          <td data-testid="fold-aucs">{e.folds.map((f) => decimal(f.auc, 3)).join(' · ')}</td>
        </tr>
        <tr>
          <th scope="row">{t('dbBaselineAuc')}</th>
          <td>{decimal(e.baselineAuc ?? null, 3)}</td>
        </tr>
        <tr>
          <th scope="row">{t('dbLogLoss')}</th>
          <td>{decimal(e.logLoss, 3)}</td>
        </tr>
        <tr>
          <th scope="row">{t('dbRows')}</th>
          <td>{t('dbRowsPositives', [e.rows, e.positives])}</td>
        </tr>
      </tbody>
    </table>
  );
}
