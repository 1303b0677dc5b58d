import type { Kysely } from 'kysely';
import { servedTags, type ServedTag } from '../../shared/analytics/tags.ts';
import type { Model } from '../../shared/contracts/model.ts';
import type { DB } from '../db/schema.ts';
import type { ServerContext } from './context.ts';
import { storedModel } from '../db/model-rows.ts';

// The element tags the SDK is served: of the live models and the drafts. The tags routes read
// them; the marketing routes say when a draft changed.

const TAGS_CACHE_MS = 5_000;
const tagCaches = new WeakMap<ServerContext, { at: number; live: unknown; tags: Promise<ServedTag[]> }>();

/**
 * Tags of the live models and the drafts: with drafts, a click on a just-tagged element is
 * stored, and a backtest of the draft sees it. Every page view of every site asks, so the answer
 * is kept a few seconds (and for as long as the live models and the drafts stay the same).
 */
export function servedOf(ctx: ServerContext): Promise<ServedTag[]> {
  const now = ctx.now();
  const live = ctx.live();
  const cached = tagCaches.get(ctx);
  if (cached && cached.live === live && now - cached.at < TAGS_CACHE_MS) return cached.tags;
  const tags = draftModels(ctx.db.read).then((drafts) => servedTags([...live.models, ...drafts]));
  tagCaches.set(ctx, { at: now, live, tags });
  tags.catch(() => tagCaches.delete(ctx));
  return tags;
}

/** A draft changed: the SDK's next question gets the new selectors. */
export function draftsChanged(ctx: ServerContext): void {
  tagCaches.delete(ctx);
}

async function draftModels(db: Kysely<DB>): Promise<Model[]> {
  const rows = await db.selectFrom('models').select(['id', 'version', 'json']).where('status', '=', 'draft').orderBy('id').execute();
  return rows.map((r) => storedModel(r));
}
