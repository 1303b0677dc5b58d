import type { Evidence } from '../contracts/lead.ts';
import { downloadedEvidence, visitedEvidence } from './evidence.ts';
import { pathOf } from './glob.ts';

/** Bounds the memo of URL facts: one model seeing more distinct URLs starts it over. */
export const URL_FACTS_KEPT = 10_000;

/**
 * What a model decided about one distinct URL: one byte per test (1 where it holds), and the
 * evidence an event at this URL gives, made once. Evidence objects are frozen because states
 * of many leads share them.
 */
export class UrlEntry {
  readonly url: string;
  readonly facts: Uint8Array;
  private visitedUntitled: Evidence | undefined = undefined;
  private lastTitle: string | undefined = undefined;
  private visitedTitled: Evidence | undefined = undefined;
  private downloaded: Evidence | undefined = undefined;

  constructor(url: string, facts: Uint8Array) {
    this.url = url;
    this.facts = facts;
  }

  /** evidenceOf a page view of this URL with `title`; a page is mostly seen under one title. */
  visited(title: string | undefined): Evidence {
    if (!title) return (this.visitedUntitled ??= Object.freeze(visitedEvidence(this.url, undefined)));
    if (title !== this.lastTitle || this.visitedTitled === undefined) {
      this.lastTitle = title;
      this.visitedTitled = Object.freeze(visitedEvidence(this.url, title));
    }
    return this.visitedTitled;
  }

  /** evidenceOf a download of this URL as the file. */
  download(): Evidence {
    return (this.downloaded ??= Object.freeze(downloadedEvidence(this.url)));
  }
}

/**
 * The tests a model makes of a URL: path globs, URL patterns (RE2, about 1 µs each in re2js,
 * three of them on every page view of the starter model), only-visited paths, and (in a second
 * instance) file globs of downloads. A site has a few hundred pages, each seen again and again,
 * so each distinct URL is tested once and its answers kept as one byte per test; a rule then
 * reads a byte. An event without a URL passes none of them, as before.
 */
export class UrlFacts {
  private readonly tests: ((url: string, lowercasedPath: string) => boolean)[] = [];
  private readonly keys = new Map<string, number>();
  private readonly memo = new Map<string, UrlEntry>();
  private none: Uint8Array = new Uint8Array(0);

  /** The index of a test, shared by every rule that makes the same one (same `key`). */
  add(key: string, test: (url: string, lowercasedPath: string) => boolean): number {
    let index = this.keys.get(key);
    if (index === undefined) {
      index = this.tests.length;
      this.tests.push(test);
      this.keys.set(key, index);
      this.none = new Uint8Array(this.tests.length);
      // Entries made before this test was added lack its byte.
      this.memo.clear();
    }
    return index;
  }

  /** What the model decided about `url`, decided now if it is new. */
  entry(url: string): UrlEntry {
    let entry = this.memo.get(url);
    if (entry === undefined) {
      const path = pathOf(url).toLowerCase();
      const facts = new Uint8Array(this.tests.length);
      for (let i = 0; i < this.tests.length; i++) facts[i] = this.tests[i]!(url, path) ? 1 : 0;
      entry = new UrlEntry(url, facts);
      if (this.memo.size >= URL_FACTS_KEPT) this.memo.clear();
      this.memo.set(url, entry);
    }
    return entry;
  }

  /** The answers of every test for `url`: 1 where a test holds; none for no URL. */
  of(url: string | undefined): Uint8Array {
    return url === undefined ? this.none : this.entry(url).facts;
  }
}
