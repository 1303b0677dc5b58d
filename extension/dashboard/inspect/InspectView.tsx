import type { InspectedForm, InspectReport } from '../../../shared/contracts/inspect.ts';
import { t } from '../../i18n.ts';
import { decidedBy, intentName } from '../../intent-words.ts';
import { count, short } from '../format.ts';

// One checked page, as `leadglow inspect` prints it: forms in document order (fields, intent,
// the words that decided it, hand-raise or not), download links, the page's meta weight and
// tags, and the elements tagged in markup. Everything from the page is rendered as text.

export function InspectView({ report }: { report: InspectReport }) {
  const meta = [report.meta.weight !== undefined ? t('pcMetaWeight', [short(report.meta.weight)]) : '', report.meta.tags?.length ? t('pcMetaTags', [report.meta.tags.join(', ')]) : ''].filter(Boolean);
  return (
    <div data-testid="inspect-report">
      <p>
        <strong>{report.title ?? report.url}</strong>
        {report.title ? <span class="muted"> · {report.url}</span> : null}
      </p>
      <section class="report-part" aria-labelledby="pc-forms">
        <h3 id="pc-forms">{t('pcForms', [count(report.forms.length)])}</h3>
        {report.forms.length ? (
          <ol>
            {report.forms.map((f, i) => (
              <FormItem key={`${i}:${f.id}`} form={f} />
            ))}
          </ol>
        ) : (
          <p class="muted">{t('pcNoForms')}</p>
        )}
      </section>
      <section class="report-part" aria-labelledby="pc-downloads">
        <h3 id="pc-downloads">{t('pcDownloads', [count(report.downloads.length)])}</h3>
        {report.downloads.length ? (
          <ul>
            {report.downloads.map((d, i) => (
              <li key={i}>
                <code>{d}</code>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">{t('pcNoDownloads')}</p>
        )}
      </section>
      <section class="report-part" aria-labelledby="pc-meta">
        <h3 id="pc-meta">{t('pcMeta')}</h3>
        <p data-testid="inspect-meta">{meta.length ? meta.join(' · ') : <span class="muted">{t('pcNoMeta')}</span>}</p>
      </section>
      <section class="report-part" aria-labelledby="pc-tagged">
        <h3 id="pc-tagged">{t('pcTagged', [count(report.tags.length)])}</h3>
        {report.tags.length ? (
          <ul>
            {report.tags.map((tag, i) => (
              <li key={i}>
                <code>{tag.selector}</code>
                {tag.text ? ` “${tag.text}”` : ''}
                {tag.weight !== undefined ? ` · ${t('pcTaggedWeight', [short(tag.weight)])}` : ''}
                {tag.tag ? ` · ${t('pcTaggedTag', [tag.tag])}` : ''}
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">{t('pcNoTagged')}</p>
        )}
      </section>
    </div>
  );
}

function FormItem({ form }: { form: InspectedForm }) {
  return (
    <li class="card" data-testid="inspect-form">
      <p>
        <code>{form.id}</code> · <strong>{intentName(form.intent)}</strong> ·{' '}
        <span class={`verdict${form.handRaise ? ' yes' : ''}`}>{form.handRaise ? t('pcHandRaise') : t('pcNotHandRaise')}</span>
      </p>
      <p class="muted">{decidedBy(form.signal)}</p>
      <p>
        {t('pcFields')}: {form.fields.length ? form.fields.join(', ') : t('pcNone')}
      </p>
      {form.read.button ? (
        <p>
          {t('pcButton')}: “{form.read.button}”
        </p>
      ) : null}
      {form.read.heading ? (
        <p>
          {t('pcHeading')}: “{form.read.heading}”
        </p>
      ) : null}
    </li>
  );
}
