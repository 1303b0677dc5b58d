import type { FoundLead, FoundRole } from '../../shared/contracts/messages.ts';
import { deepAll, insideAny, rootsUnder } from './deep.ts';
import { emailsIn, lead, mailtoEmails } from './site.ts';

// Addresses in a region of the page, found the same way on every site: `mailto:` links,
// address-bearing attributes (`email`, `title`, `aria-label`, `data-*`) and address-shaped
// text. Site adapters pass hints, selectors that raise what they match to a role (a thread's
// sender, a record's own address); a hint is a preference, never the only way in, so a
// renamed class or a translated label costs the rank, not the lead.

/** A selector, or a function for hints that need structure (e.g. "the first address of each message"). */
export type Hint = { selector: string | ((region: ParentNode, roots: ParentNode[]) => Element[]); role: FoundRole };
export type CollectOptions = {
  hints?: readonly Hint[];
  /** The role of an address no hint matched. */
  base?: FoundRole;
  /** Subtrees not read at all (navigation, the message list, our own UI). */
  skip?: string;
};

/** Attributes that carry addresses in mail and CRM markup (`href` only as `mailto:`). */
const ADDRESS_ATTRS = new Set(['email', 'title', 'aria-label', 'jid', 'value', 'alt']);
const NAME_ATTRS = ['name', 'data-name', 'data-display-name'];
const SKIP_ALWAYS = 'script, style, noscript, template, head';

function addressesOf(el: Element): string[] {
  const found: string[] = [];
  for (const attr of el.attributes) {
    if (!attr.value.includes('@')) continue;
    if (attr.name === 'href') found.push(...mailtoEmails(attr.value));
    else if (ADDRESS_ATTRS.has(attr.name) || attr.name.startsWith('data-')) found.push(...emailsIn(attr.value));
  }
  return found;
}

/** A person's name next to an address: a `name` attribute, or short text that is not itself an address. */
function nameOf(el: Element): string | undefined {
  for (const a of NAME_ATTRS) {
    const v = el.getAttribute(a);
    if (v && !v.includes('@')) return v;
  }
  const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
  const beforeAngle = text.match(/^([^<@]{2,80})<[^>]*@/)?.[1];
  if (beforeAngle) return beforeAngle.replace(/^[^:]{1,20}:\s*/, '').trim();
  return text && text.length <= 80 && !text.includes('@') ? text : undefined;
}

type Found = { lead: FoundLead; order: number };

/**
 * Every address under `region`, in page order, each with the role of the first hint whose
 * match contains it (else `base`). Duplicates are kept; `rankLeads` merges them.
 */
export function collect(region: ParentNode, o: CollectOptions = {}): FoundLead[] {
  const roots = rootsUnder(region);
  const skipSel = o.skip ? `${SKIP_ALWAYS}, ${o.skip}` : SKIP_ALWAYS;
  const skipped = new Set<Node>(deepAll(region, skipSel, roots));
  const out: Found[] = [];
  let order = 0;
  const hinted = new Set<Node>();
  const hintRoles: { el: Element; role: FoundRole }[] = [];
  for (const h of o.hints ?? []) {
    const matched = typeof h.selector === 'string' ? deepAll(region, h.selector, roots) : h.selector(region, roots);
    for (const el of matched) {
      if (insideAny(el, skipped) || hinted.has(el)) continue;
      hinted.add(el);
      hintRoles.push({ el, role: h.role });
    }
  }
  const roleAt = (node: Node): FoundRole => {
    // The innermost hint wins, so a body inside a message can be a mention while its header is the sender.
    let best: { depth: number; role: FoundRole } | undefined;
    for (const { el, role } of hintRoles) {
      if (!insideAny(node, new Set([el]))) continue;
      const depth = depthOf(el);
      if (!best || depth > best.depth) best = { depth, role };
    }
    return best?.role ?? o.base ?? 'mention';
  };
  for (const root of roots) {
    const walker = (root.ownerDocument ?? (root as Document)).createTreeWalker(root, 0x1 | 0x4 /* elements and text */);
    for (let n: Node | null = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === 1) {
        const el = n as Element;
        if (skipped.has(el)) continue;
        const emails = addressesOf(el);
        if (!emails.length || insideAny(el, skipped)) continue;
        const role = roleAt(el);
        for (const e of emails) push(out, lead(e, role, nameOf(el)), order++);
      } else {
        const value = n.nodeValue ?? '';
        if (!value.includes('@')) continue;
        const parent = n.parentNode;
        if (!parent || insideAny(parent, skipped)) continue;
        const role = roleAt(parent);
        const name = parent.nodeType === 1 ? nameOf(parent as Element) : undefined;
        for (const e of emailsIn(value)) push(out, lead(e, role, name), order++);
      }
    }
  }
  return out.sort((a, b) => a.order - b.order).map((f) => f.lead);
}

function push(out: Found[], l: FoundLead | undefined, order: number): void {
  if (l) out.push({ lead: l, order });
}

function depthOf(el: Node): number {
  let d = 0;
  for (let n: Node | null = el; n; n = n.parentNode ?? (n as ShadowRoot).host ?? null) d++;
  return d;
}
