import { featureNames, HOURS, MONTHS, WEEKDAYS, type Features } from './encode.ts';
import { toDateParts, toLevel, toNumber, type Row } from './table.ts';

/** Groups of features that make one readable factor for a row: `origin = paid_search`. */
export function factorGroups(f: Features, row: Row): { label: string; indices: number[]; column: string }[] {
  const groups: { label: string; indices: number[]; column: string }[] = [];
  let at = 0;
  for (const e of f.encoders) {
    const width = featureNames(e).length;
    const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => at + from + i);
    const cell = row[e.column];
    const shown = toLevel(cell);
    const text = shown === undefined ? 'missing' : shown.length > 40 ? `${shown.slice(0, 39)}…` : shown;
    if (e.type === 'date') {
      const d = toDateParts(cell);
      let i = 7;
      groups.push({ column: e.column, label: `${e.column} weekday = ${d ? WEEKDAYS[d.weekday] : 'missing'}`, indices: range(0, 7) });
      if (e.hour) {
        groups.push({ column: e.column, label: `${e.column} hour = ${d ? HOURS[Math.floor(d.hour / 6)] : 'missing'}`, indices: range(i, 4) });
        i += 4;
      }
      if (e.month) {
        groups.push({ column: e.column, label: `${e.column} month = ${d ? MONTHS[d.month - 1] : 'missing'}`, indices: range(i, 12) });
        i += 12;
      }
      if (e.year) groups.push({ column: e.column, label: `${e.column} year = ${d ? d.year : 'missing'}`, indices: range(i++, 1) });
      if (e.missing) groups.push({ column: e.column, label: `${e.column} ${d ? 'present' : 'missing'}`, indices: range(i, 1) });
    } else if (e.type === 'numeric') {
      const v = toNumber(cell);
      groups.push({ column: e.column, label: `${e.column} = ${v === undefined ? 'missing' : Number(v.toFixed(2))}`, indices: range(0, width) });
    } else if (e.type === 'onehot') {
      const known = shown !== undefined && e.levels.includes(shown);
      groups.push({ column: e.column, label: `${e.column} = ${shown === undefined ? 'missing' : known ? text : `other (${text})`}`, indices: range(0, width) });
    } else {
      groups.push({ column: e.column, label: `${e.column} = ${text}`, indices: range(0, width) });
    }
    at += width;
  }
  return groups;
}
