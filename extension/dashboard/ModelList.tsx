import type { ModelListItem } from '../../shared/contracts/admin.ts';
import { t } from '../i18n.ts';
import { dateTime } from './format.ts';

// Models with their versions and status; one is picked. The list has one row per model and
// version the server names, grouped here by model.

export function ModelList({ items, selected, onPick }: { items: readonly ModelListItem[]; selected: string | undefined; onPick: (id: string) => void }) {
  const ids = [...new Set(items.map((m) => m.id))];
  if (!ids.length) return <p class="muted" data-testid="models">{t('dbNoModels')}</p>;
  return (
    <ul class="models" data-testid="models">
      {ids.map((id) => {
        const versions = items.filter((m) => m.id === id).sort((a, b) => b.version - a.version);
        const live = versions.find((m) => m.status === 'live') ?? versions[0]!;
        const draft = versions.some((m) => m.status === 'draft');
        return (
          <li key={id} class={id === selected ? 'current' : undefined}>
            <button type="button" aria-pressed={id === selected} onClick={() => onPick(id)}>
              {live.name}
            </button>{' '}
            <span class="muted small">
              {id} · {t('dbVersionN', [live.version])} · {t(live.status === 'live' ? 'dbStatusLive' : live.status === 'draft' ? 'dbStatusDraft' : 'dbStatusRetired')}
              {live.publishedAt ? ` · ${dateTime(live.publishedAt)}` : ''}
              {draft && live.status !== 'draft' ? ` · ${t('dbHasDraft')}` : ''}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
