import { useState } from 'preact/hooks';
import type { LeadView } from '../../shared/index.ts';
import { t } from '../i18n.ts';
import type { Client } from './client.ts';
import { summary } from './summary.ts';
import { warnFailed } from '../warn.ts';

// Accept or reject (with an optional reason), open the record the lead was found on, copy
// a summary.
export function Actions({ client, view, pageUrl, onSent }: { client: Client; view: LeadView; pageUrl: string | undefined; onSent: () => void }) {
  const [verdict, setVerdict] = useState<'accepted' | 'rejected' | undefined>(undefined);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');

  async function send() {
    if (!verdict) return;
    const r = await client
      .send({ type: 'send-feedback', leadId: view.lead.id, feedback: { verdict, ...(reason.trim() ? { reason: reason.trim().slice(0, 500) } : {}) } })
      // why: feedback that could not be sent is said next to the button, as a refused one is.
      .catch(() => undefined);
    setNote(r?.status === 'ok' ? t('feedbackSent') : t('feedbackFailed'));
    setVerdict(undefined);
    setReason('');
    if (r?.status === 'ok') onSent();
  }

  async function copy() {
    // Not "Copied" when it was not: the clipboard can be refused (no focus, a browser policy).
    const copied = await (navigator.clipboard?.writeText(summary(view)).then(() => true, warnFailed('copying the summary')) ?? undefined);
    setNote(copied ? t('copied') : t('copyFailed'));
  }

  return (
    <section class="actions">
      {verdict ? (
        <form class="feedback" onSubmit={(e) => (e.preventDefault(), void send())}>
          <input
            aria-label={t('reasonPlaceholder')}
            placeholder={t('reasonPlaceholder')}
            maxLength={500}
            value={reason}
            onInput={(e) => setReason((e.target as HTMLInputElement).value)}
          />
          <button type="submit">{t('send')}</button>
          <button type="button" class="quiet" onClick={() => setVerdict(undefined)}>
            {t('cancel')}
          </button>
        </form>
      ) : (
        <div class="row">
          <button type="button" onClick={() => setVerdict('accepted')}>{t('accept')}</button>
          <button type="button" onClick={() => setVerdict('rejected')}>{t('reject')}</button>
          {pageUrl ? (
            <a class="button quiet" href={pageUrl} target="_blank" rel="noreferrer noopener">
              {t('openInCrm')}
            </a>
          ) : null}
          <button type="button" class="quiet" onClick={() => void copy()}>{t('copySummary')}</button>
        </div>
      )}
      {note ? <p class="note" role="status">{note}</p> : null}
    </section>
  );
}
