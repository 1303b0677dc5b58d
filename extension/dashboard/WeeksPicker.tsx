import { t } from '../i18n.ts';

// How many weeks of history a report or backtest covers.
const CHOICES = [8, 13, 26, 52];

export function WeeksPicker({ weeks, onChange }: { weeks: number; onChange: (weeks: number) => void }) {
  return (
    <label>
      {t('dbWeeks')}{' '}
      <select value={String(weeks)} onChange={(e) => onChange(Number((e.target as HTMLSelectElement).value))}>
        {CHOICES.map((w) => (
          <option key={w} value={String(w)}>
            {w}
          </option>
        ))}
      </select>
    </label>
  );
}
