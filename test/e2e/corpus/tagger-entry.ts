// Bundled into each corpus page: what tagging mode saves for the element a marketer's click
// hit (snapped to the control, its selector and fingerprint, scoped to the page or site-wide
// for the navigation and footer, as the overlay offers), shaped by the same code the server
// uses for GET /v1/tags, and which elements the tags script counts a click on for it.
import { selectorFor } from '../../../extension/tagging/selector.ts';
import { fingerprintOf, inSiteChrome, snapTarget } from '../../../extension/tagging/target.ts';
import { addTag, siteTags } from '../../../shared/analytics/tags.ts';
import type { TaggedElement } from '../../../shared/contracts/marketing.ts';
import type { Model } from '../../../shared/contracts/model.ts';
import { tagTargets } from '../../../sdk/tag-match.ts';

export type Saved = { selector: string; ms: number; tagged: TaggedElement };

const EMPTY = { fitRules: [], interestRules: [], negativeRules: [], handRaise: [] } as unknown as Model;

function save(hit: Element, path: string): Saved {
  const start = performance.now();
  const el = snapTarget(hit);
  const selector = selectorFor(el);
  const fingerprint = fingerprintOf(el);
  const ms = performance.now() - start;
  const pattern = inSiteChrome(el) ? '/*' : path;
  const model = addTag(EMPTY, { target: 'element', selector, tag: 'corpus', weight: 10, pattern, ...(fingerprint ? { fingerprint } : {}) });
  return { selector, ms, tagged: siteTags([model]).elements[0]! };
}

/** Elements a click on (or inside) counts for: the snippet's own answer. */
function claims(saved: Saved, path: string): Element[] {
  return tagTargets(saved.tagged, path).els;
}

/** The same on the selector alone, as the snippet counted before the tags script: for the before/after figure. */
function claimsBySelector(saved: Saved, path: string): Element[] {
  const { fingerprint: _, ...bare } = saved.tagged;
  return tagTargets(bare, path).els;
}

const savedElement = (hit: Element): Element => snapTarget(hit);

(window as unknown as { __lgTagger: unknown }).__lgTagger = { save, claims, claimsBySelector, savedElement };
