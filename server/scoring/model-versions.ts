import type { Selectable } from 'kysely';
import { VersionItem, type VersionAuthor } from '../../shared/contracts/marketing.ts';
import type { Model } from '../../shared/contracts/model.ts';
import { storedModel } from '../db/model-rows.ts';
import type { ModelsTable } from '../db/schema.ts';
import type { KeyRecord } from '../auth/api-keys.ts';
import { diffModels, formatDiff } from './model-diff.ts';

// A model's version history as the dashboard reads it: each version's changes from the one
// before, who published it and why. Stored rows are decoded through the contracts, so a row
// written by an older or broken release fails here with its path instead of travelling on.

/** What a publish records beside the model: the key (by id, with its name at the time) and the note. */
export type PublishStamp = { published_by: string | null; published_by_name: string | null; note: string | null };

/** The key's own name, else its first address, else nothing (the id alone then names it). */
export function publishStamp(key: KeyRecord | undefined, note: string | undefined): PublishStamp {
  const name = key?.name?.trim() || key?.emails[0];
  return { published_by: key?.id ?? null, published_by_name: name ? name.slice(0, 200) : null, note: note ? note : null };
}

type Row = Pick<Selectable<ModelsTable>, 'id' | 'version' | 'json' | 'status' | 'created_at' | 'published_at' | 'published_by' | 'published_by_name' | 'note'>;

/** Oldest first in, newest first out; throws naming the version whose stored model does not decode. */
export function versionItems(id: string, rows: readonly Row[]): VersionItem[] {
  let before: Model | undefined;
  const items: VersionItem[] = [];
  for (const row of rows) {
    // A version that does not decode fails the request (the error, logged, names the model,
    // version and fields): a history with a hole would diff across it as if it were one step.
    const model = storedModel(row);
    const changes = before ? diffModels(before, model) : [];
    const author: VersionAuthor | undefined = row.published_by ? { keyId: row.published_by, ...(row.published_by_name ? { name: row.published_by_name } : {}) } : undefined;
    items.push(
      VersionItem.parse({
        version: row.version,
        status: row.status,
        createdAt: row.created_at,
        ...(row.published_at !== null ? { publishedAt: row.published_at } : {}),
        ...(author ? { publishedBy: author } : {}),
        ...(row.note ? { note: row.note } : {}),
        changes,
        summary: before ? formatDiff(changes) : 'first version',
      }),
    );
    before = model;
  }
  return items.reverse();
}
