import { useState } from 'preact/hooks';
import type { Backtest as BacktestData } from '../../../shared/contracts/marketing.ts';
import type { AdminApi } from '../../admin-api.ts';
import { t } from '../../i18n.ts';
import { FieldErrors } from '../editor/fields.tsx';
import { dateTime } from '../format.ts';
import { LeadDetail, type LeadReader } from '../LeadDetail.tsx';
import { MqlWeeks } from '../reports/MqlWeeks.tsx';
import { WeeksPicker } from '../WeeksPicker.tsx';
import type { Draft } from '../use-draft.ts';
import { Moves } from './Moves.tsx';
import { SideBySide } from './SideBySide.tsx';

// Runs the draft in the editor (saved or not) over the stored history, against the live version.

type Props = { api: AdminApi; read: LeadReader; draft: Draft; now?: () => number };

type State = { kind: 'idle' } | { kind: 'running' } | { kind: 'done'; data: BacktestData } | { kind: 'error'; message: string; details: readonly string[] };

export function Backtest({ api, read, draft, now = Date.now }: Props) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [weeks, setWeeks] = useState(26);
  const [open, setOpen] = useState<string | undefined>(undefined);

  async function run() {
    setState({ kind: 'running' });
    setOpen(undefined);
    const r = await api.backtest(draft.value, weeks);
    if (r.ok) setState({ kind: 'done', data: r.data });
    else {
      if (r.details?.length) draft.setServerErrors(r.details);
      setState({ kind: 'error', message: r.message ?? r.problem, details: r.details ?? [] });
    }
  }

  return (
    <section class="backtest" aria-labelledby="backtest-title">
      <h2 id="backtest-title">{t('dbBacktestTitle')}</h2>
      <p class="muted">{t('dbBacktestIntro')}</p>
      <p class="row">
        <WeeksPicker weeks={weeks} onChange={setWeeks} />
        <button type="button" class="primary" disabled={state.kind === 'running' || Boolean(draft.syntaxError)} onClick={() => void run()}>
          {state.kind === 'running' ? t('dbBacktestRunning') : t('dbBacktestRun')}
        </button>
      </p>
      {state.kind === 'error' ? (
        <div role="alert" class="banner warn">
          <p>{t('dbBacktestFailed', [state.message])}</p>
          <FieldErrors messages={state.details} />
        </div>
      ) : null}
      {state.kind === 'done' ? (
        <>
          <p class="muted small">{t('dbBacktestSummary', [state.data.leads, dateTime(state.data.at)])}</p>
          <SideBySide live={state.data.live} draft={state.data.draft} />
          <MqlWeeks
            title={t('dbMqlsPerWeek')}
            weeks={state.data.live.mqlsPerWeek}
            other={state.data.draft.mqlsPerWeek}
            mainName={t('dbLiveVersion', [state.data.live.version])}
            otherName={t('dbDraft')}
            testId="backtest-weeks"
          />
          <div class="moves-and-lead">
            <Moves moves={state.data.moves} changed={state.data.changed} selected={open} onOpen={setOpen} />
            {open ? <LeadDetail read={read} leadId={open} now={now()} onClose={() => setOpen(undefined)} /> : null}
          </div>
        </>
      ) : null}
    </section>
  );
}
