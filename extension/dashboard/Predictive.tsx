import { useEffect, useState } from 'preact/hooks';
import type { Evaluation, PredictiveStatus, ReliabilityBin } from '../../shared/contracts/marketing.ts';
import { withheldBecause } from '../../shared/predictive/gate.ts';
import type { AdminApi } from '../admin-api.ts';
import { wordRunWhy } from '../../shared/scoring/wording.ts';
import { t, uiLanguage, words, type MessageKey } from '../i18n.ts';
import { withheldWords } from '../panel/Prediction.tsx';
import { dateTime, decimal } from './format.ts';
import { Problem } from './Problem.tsx';

// The predictive model: how well the current one ranks (cross-validated), which family
// cross-validation chose, whether reps see its probabilities (and why not), how well
// calibrated they are (a reliability plot of out-of-fold probabilities: never in-sample),
// what the last training run decided, the schedule, and a button to retrain. While training
// runs in the server's worker the status is asked again every few seconds.

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
              {status.current.evaluation.reliability?.length ? <Reliability bins={status.current.evaluation.reliability} /> : null}
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
                {dateTime(status.lastRun.at)}: <strong>{status.lastRun.accepted ? t('dbRunAccepted') : t('dbRunKept')}</strong> {status.lastRun.why ? wordRunWhy(status.lastRun.why, words) : status.lastRun.reason}
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

const pct = (v: number) => new Intl.NumberFormat(uiLanguage(), { style: 'percent', maximumFractionDigits: 0 }).format(v);

/** Predicted against observed per band of leads, with the diagonal a calibrated model follows. */
function Reliability({ bins }: { bins: ReliabilityBin[] }) {
  const size = 220;
  const pad = 30;
  const x = (v: number) => pad + v * (size - pad - 8);
  const y = (v: number) => size - pad - v * (size - pad - 8);
  return (
    <section data-testid="reliability">
      <h3>{t('dbReliabilityTitle')}</h3>
      <p class="muted small">{t('dbReliabilityHint')}</p>
      <svg width={size} height={size} role="img" aria-label={t('dbReliabilityTitle')} viewBox={`0 0 ${size} ${size}`}>
        <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} stroke="currentColor" stroke-opacity="0.3" stroke-dasharray="4 3" />
        <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(0)} stroke="currentColor" />
        <line x1={x(0)} y1={y(0)} x2={x(0)} y2={y(1)} stroke="currentColor" />
        {[0, 0.5, 1].map((v) => (
          <g key={v}>
            <text x={x(v)} y={y(0) + 14} text-anchor="middle" font-size="10">
              {pct(v)}
            </text>
            <text x={x(0) - 4} y={y(v) + 3} text-anchor="end" font-size="10">
              {pct(v)}
            </text>
          </g>
        ))}
        <text x={x(0.5)} y={size - 2} text-anchor="middle" font-size="10">
          {t('dbPredictedAxis')}
        </text>
        <text x={10} y={y(0.5)} text-anchor="middle" font-size="10" transform={`rotate(-90 10 ${y(0.5)})`}>
          {t('dbObservedAxis')}
        </text>
        <polyline points={bins.map((b) => `${x(b.predicted)},${y(b.observed)}`).join(' ')} fill="none" stroke="currentColor" />
        {bins.map((b, i) => {
          const label = t('dbReliabilityPoint', [pct(b.predicted), pct(b.observed), b.count]);
          return (
            <circle key={i} cx={x(b.predicted)} cy={y(b.observed)} r={3.5} aria-label={label} data-testid="reliability-point">
              <title>{label}</title>
            </circle>
          );
        })}
      </svg>
    </section>
  );
}

function EvaluationTable({ evaluation: e }: { evaluation: Evaluation }) {
  const withheld = withheldBecause(e);
  return (
    <table class="figures">
      <tbody>
        {e.family ? (
          <tr>
            <th scope="row">{t('dbFamily')}</th>
            <td data-testid="family">
              {t(`dbFamily_${e.family}` as MessageKey)}
              {e.families && e.families.length > 1 ? (
                <span class="muted small">
                  {' '}
                  ({t('dbFamilyChosen', [e.families.map((f) => `${t(`dbFamily_${f.family}` as MessageKey)} ${decimal(f.auc, 3)}`).join(' · ')])})
                </span>
              ) : null}
            </td>
          </tr>
        ) : null}
        <tr>
          <th scope="row">{t('dbShownToReps')}</th>
          <td data-testid="shown-to-reps">{withheld ? withheldWords(withheld) : t('dbShownYes')}</td>
        </tr>
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
