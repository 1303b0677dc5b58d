import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DemoOptions } from '../../../server/demo/demo-options.ts';
import { generateDemo } from '../../../server/demo/generate-demo.ts';

// The demo `npm start` seeds is part of what people see first, and tests elsewhere (the demo's
// top lead in Chromium, the rescore chunk compared on the demo seed, the replay fold) read it.
// These fingerprints were taken from the generator as it was before it was split into parts;
// any change to what it draws, or in which order, changes them. A deliberate change to the
// demo updates them here, in the same commit, and says why.

const NOW = Date.UTC(2025, 5, 1, 12);

const fingerprint = (options: DemoOptions) => {
  const d = generateDemo(options);
  return {
    sha256: createHash('sha256').update(JSON.stringify(d)).digest('hex'),
    events: d.events.length,
    track: d.track.length,
    firmographics: d.firmographics.length,
  };
};

describe('generateDemo fingerprints', () => {
  it('seed 1 with the defaults, as npm start seeds it', () => {
    expect(fingerprint({ seed: 1, now: NOW })).toEqual({ sha256: 'c3796ad06ea011498d066dde169e4fd06358f5d2a179efc0b117f4904cce93cc', events: 8699, track: 62, firmographics: 300 });
  });

  it('seed 7, 150 leads and a fractional now, as the replay fold test reads it', () => {
    expect(fingerprint({ seed: 7, now: NOW + 0.6, leads: 150 })).toEqual({ sha256: 'e596bad131548b8f63b4d7f205271027f7ae9fc962ea3c3edb5a74327daf4a04', events: 4343, track: 33, firmographics: 150 });
  });

  it('every option set: few leads, few anonymous visitors, 70 days, another origin and site', () => {
    const options = { seed: 42, now: NOW, leads: 40, anonymous: 5, days: 70, origin: 'https://demo.example.nl/', site: 'nl-site' };
    expect(fingerprint(options)).toEqual({ sha256: 'f8bb1c57d2595cd24ec988eea9cffaff5dc0f1d379c2676d6f69f516d5f88c7c', events: 1126, track: 13, firmographics: 40 });
    const d = generateDemo(options);
    // The options reach the data: the trailing slash is dropped, the site id is written.
    expect(d.events.every((e) => e.site === 'nl-site')).toBe(true);
    expect(d.events.some((e) => 'url' in e && e.url?.startsWith('https://demo.example.nl/'))).toBe(true);
    expect(d.events.some((e) => 'url' in e && e.url?.startsWith('https://demo.example.nl//'))).toBe(false);
  });
});
