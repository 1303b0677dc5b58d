import { z } from 'zod';

// Whether the tags picked in the extension still find their elements on the live site.
//   POST /v1/tags/health?site=SITE_KEY  TagHealthReport (text/plain JSON: the tags script's beacon) -> 204
//   GET  /v1/tags/health                -> TagHealthList (admin)
// The tags script (sdk/tags-script.ts) looks, once per path per page load, how each tag of
// that page is found; the server keeps a summary per tag and path (table tag_health).

/** `s`: by its selector; `f`: by its fingerprint only (the selector broke); `n`: not at all. */
export const TagFound = z.enum(['s', 'f', 'n']);
export type TagFound = z.infer<typeof TagFound>;

const Path = z.string().regex(/^\/[^\s?#]{0,299}$/, { error: 'expected a path starting with /, without query, at most 300 characters' });

export const TagHealthReport = z.strictObject({
  pages: z
    .array(
      z.strictObject({
        path: Path,
        /** Tag id (as served in SiteTags) -> how it was found. */
        found: z.record(z.string().min(1).max(64), TagFound).refine((r) => Object.keys(r).length <= 200, { error: 'expected at most 200 tags' }),
      }),
    )
    .min(1)
    .max(20),
});
export type TagHealthReport = z.infer<typeof TagHealthReport>;

/** How a tag fares now: found by selector, kept only by its fingerprint, or lost. */
export const TagState = z.enum(['ok', 'fingerprint', 'lost']);
export type TagState = z.infer<typeof TagState>;

export const TagHealthItem = z.object({
  /** The tag's id (as served in SiteTags), its tag, and the selector it was saved with. */
  id: z.string(),
  tag: z.string(),
  selector: z.string(),
  /** The lowercased page path the tag was looked for on. */
  path: z.string(),
  state: TagState,
  /** When the current state began (ms): "lost on /pricing since Tuesday". */
  since: z.number(),
  /** The last report (ms). */
  lastSeen: z.number(),
  /** Page views reported per way of finding it, since the first report. */
  views: z.object({ selector: z.number().int(), fingerprint: z.number().int(), none: z.number().int() }),
});
export type TagHealthItem = z.infer<typeof TagHealthItem>;

/** Lost first, then kept by fingerprint, then the rest; each by the longest-standing first. */
export const TagHealthList = z.object({ items: z.array(TagHealthItem) });
export type TagHealthList = z.infer<typeof TagHealthList>;
