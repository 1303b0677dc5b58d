import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IdentifyEvent } from '../../../shared/contracts/event.ts';
import {
  LANDING_MAX_AGE_MS,
  LANDING_TOKEN_MAX,
  clickPath,
  isMachineOpen,
  pixelPath,
  resolveClick,
  signLandingToken,
  signLinkToken,
  tokenFromPixelPath,
  verifyLandingToken,
  verifyLinkToken,
  withLandingToken,
} from '../../../server/ingest/email-links.ts';

const SECRET = 'test-secret-0123456789abcdef';
const OTHER = 'other-secret-0123456789abcdef';
const LEAD = '01890a5d-ac96-774b-bcce-b302099a8057';
const NOW = Date.UTC(2025, 4, 1, 12);

function flip(s: string, i: number): string {
  const c = s[i] === 'A' ? 'B' : 'A';
  return s.slice(0, i) + c + s.slice(i + 1);
}

describe('link tokens', () => {
  it('round-trips every field', () => {
    const payload = { leadId: LEAD, messageId: 'm-1', campaign: 'Spring launch ✨', target: 'https://acme.example/pricing?x=1#top', sentAt: NOW };
    const token = signLinkToken(SECRET, payload);
    expect(verifyLinkToken(SECRET, token)).toEqual({ ok: true, payload });
  });

  it('omits absent optional fields', () => {
    const token = signLinkToken(SECRET, { leadId: LEAD, messageId: 'm-1' });
    const v = verifyLinkToken(SECRET, token);
    expect(v).toEqual({ ok: true, payload: { leadId: LEAD, messageId: 'm-1' } });
  });

  it('is URL-safe and compact', () => {
    const token = signLinkToken(SECRET, { leadId: LEAD, messageId: 'm-1', campaign: 'c' });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(token.length).toBeLessThan(150);
    expect(encodeURIComponent(token)).toBe(token);
  });

  it('rejects a token signed with another secret', () => {
    const token = signLinkToken(OTHER, { leadId: LEAD, messageId: 'm-1' });
    expect(verifyLinkToken(SECRET, token)).toEqual({ ok: false, error: 'bad_signature' });
  });

  it('accepts any secret during a rotation, signs with the first', () => {
    const old = signLinkToken(OTHER, { leadId: LEAD, messageId: 'm-1' });
    expect(verifyLinkToken([SECRET, OTHER], old).ok).toBe(true);
    const fresh = signLinkToken([SECRET, OTHER], { leadId: LEAD, messageId: 'm-2' });
    expect(verifyLinkToken(SECRET, fresh).ok).toBe(true);
    expect(verifyLinkToken(OTHER, fresh).ok).toBe(false);
  });

  it('rejects every single-character change to the payload or the signature', () => {
    const token = signLinkToken(SECRET, { leadId: LEAD, messageId: 'm-1', target: 'https://acme.example/' });
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const r = verifyLinkToken(SECRET, flip(token, i));
      expect(r.ok, `position ${i}`).toBe(false);
    }
  });

  it('never redirects to a target the server did not sign', () => {
    const token = signLinkToken(SECRET, { leadId: LEAD, messageId: 'm-1', target: 'https://acme.example/pricing' });
    const [, sig] = token.split('.');
    // Swap in a payload pointing elsewhere, keeping the original signature.
    const evil = Buffer.from(JSON.stringify({ l: LEAD, m: 'm-1', u: 'https://evil.example/' })).toString('base64url');
    const forged = `${evil}.${sig}`;
    expect(verifyLinkToken(SECRET, forged)).toEqual({ ok: false, error: 'bad_signature' });
    expect(resolveClick(SECRET, forged, NOW).ok).toBe(false);
    // Appending to the token (e.g. a second dot segment) is malformed, not a partial match.
    expect(resolveClick(SECRET, `${token}.x`, NOW)).toEqual({ ok: false, error: 'malformed' });
  });

  it('rejects a non-canonical signature encoding', () => {
    const token = signLinkToken(SECRET, { leadId: LEAD, messageId: 'm-1' });
    const [body, sig] = token.split('.') as [string, string];
    // 32 bytes -> 43 chars: the last char carries 2 unused bits; change only those.
    const last = sig[sig.length - 1]!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const idx = alphabet.indexOf(last);
    const sibling = alphabet[(idx & ~0b11) | ((idx + 1) & 0b11)]!;
    const variant = `${body}.${sig.slice(0, -1)}${sibling}`;
    expect(Buffer.from(sig.slice(0, -1) + sibling, 'base64url')).toEqual(Buffer.from(sig, 'base64url'));
    expect(verifyLinkToken(SECRET, variant)).toEqual({ ok: false, error: 'malformed' });
  });

  it.each([
    ['', 'malformed'],
    ['abc', 'malformed'],
    ['.abc', 'malformed'],
    ['a.b.c', 'malformed'],
    ['ab+c.def', 'malformed'],
    ['x'.repeat(5000) + '.y', 'malformed'],
  ])('rejects malformed token %j', (token, error) => {
    expect(verifyLinkToken(SECRET, token)).toEqual({ ok: false, error });
  });

  it('rejects a validly signed payload of the wrong shape', () => {
    // Simulate a token signed by a buggy or older signer: right MAC, bad fields.
    const signRaw = (wire: unknown) => {
      const body = Buffer.from(JSON.stringify(wire)).toString('base64url');
      return `${body}.${createHmac('sha256', SECRET).update(`lg1.link.${body}`).digest('base64url')}`;
    };
    expect(verifyLinkToken(SECRET, signRaw({ l: LEAD, m: 'm', u: 'javascript:alert(1)' }))).toEqual({ ok: false, error: 'bad_payload' });
    expect(verifyLinkToken(SECRET, signRaw({ l: LEAD }))).toEqual({ ok: false, error: 'bad_payload' });
    expect(verifyLinkToken(SECRET, signRaw([1, 2]))).toEqual({ ok: false, error: 'bad_payload' });
    expect(verifyLinkToken(SECRET, signRaw({ l: LEAD, m: 'm', s: 'yesterday' }))).toEqual({ ok: false, error: 'bad_payload' });
    expect(verifyLinkToken(SECRET, signRaw({ l: LEAD, m: 'm' }))).toEqual({ ok: true, payload: { leadId: LEAD, messageId: 'm' } });
  });

  it('refuses to sign unsafe or oversized input', () => {
    expect(() => signLinkToken(SECRET, { leadId: LEAD, messageId: 'm', target: 'javascript:alert(1)' })).toThrow(/target/);
    expect(() => signLinkToken(SECRET, { leadId: LEAD, messageId: 'm', target: 'data:text/html,hi' })).toThrow(/target/);
    expect(() => signLinkToken(SECRET, { leadId: LEAD, messageId: 'm', target: '/relative' })).toThrow(/target/);
    expect(() => signLinkToken(SECRET, { leadId: '', messageId: 'm' })).toThrow(/leadId/);
    expect(() => signLinkToken(SECRET, { leadId: 'x'.repeat(65), messageId: 'm' })).toThrow(/leadId/);
    expect(() => signLinkToken(SECRET, { leadId: LEAD, messageId: 'm', campaign: '' })).toThrow(/campaign/);
  });

  it('refuses short secrets', () => {
    expect(() => signLinkToken('short', { leadId: LEAD, messageId: 'm' })).toThrow(/secret/);
    expect(() => signLinkToken([], { leadId: LEAD, messageId: 'm' })).toThrow(/secret/);
    const token = signLinkToken(SECRET, { leadId: LEAD, messageId: 'm' });
    expect(() => verifyLinkToken('', token)).toThrow(/secret/);
  });
});

describe('paths', () => {
  it('builds pixel and click paths and reads the pixel token back', () => {
    const token = signLinkToken(SECRET, { leadId: LEAD, messageId: 'm-1' });
    expect(pixelPath(token)).toBe(`/e/o/${token}.gif`);
    expect(clickPath(token)).toBe(`/e/c/${token}`);
    const segment = pixelPath(token).split('/').pop()!;
    expect(tokenFromPixelPath(segment)).toBe(token);
    expect(tokenFromPixelPath(token)).toBeUndefined();
  });
});

describe('landing tokens', () => {
  it('round-trips and fits the identify event and the SDK limit', () => {
    const longId = 'x'.repeat(64);
    const token = signLandingToken(SECRET, { leadId: longId, messageId: 'y'.repeat(64) }, NOW);
    expect(token.length).toBeLessThanOrEqual(LANDING_TOKEN_MAX);
    expect(verifyLandingToken(SECRET, token, { now: NOW + 1000 })).toEqual({
      ok: true,
      payload: { leadId: longId, messageId: 'y'.repeat(64), iat: NOW },
    });
    const identify = IdentifyEvent.safeParse({
      id: '01890a5d-ac96-774b-bcce-b302099a8057',
      type: 'identify',
      ts: NOW,
      site: 's',
      anonymousId: 'a',
      sessionId: 's',
      traits: {},
      source: 'email_link',
      token,
    });
    expect(identify.success).toBe(true);
  });

  it('expires, and refuses tokens from the future', () => {
    const token = signLandingToken(SECRET, { leadId: LEAD }, NOW);
    expect(verifyLandingToken(SECRET, token, { now: NOW + LANDING_MAX_AGE_MS }).ok).toBe(true);
    expect(verifyLandingToken(SECRET, token, { now: NOW + LANDING_MAX_AGE_MS + 1 })).toEqual({ ok: false, error: 'expired' });
    expect(verifyLandingToken(SECRET, token, { now: NOW + 5000, maxAgeMs: 1000 })).toEqual({ ok: false, error: 'expired' });
    expect(verifyLandingToken(SECRET, token, { now: NOW - 120_000 })).toEqual({ ok: false, error: 'expired' });
  });

  it('is not interchangeable with a link token', () => {
    const link = signLinkToken(SECRET, { leadId: LEAD, messageId: 'm-1' });
    const landing = signLandingToken(SECRET, { leadId: LEAD }, NOW);
    expect(verifyLandingToken(SECRET, link, { now: NOW })).toEqual({ ok: false, error: 'bad_signature' });
    expect(verifyLinkToken(SECRET, landing)).toEqual({ ok: false, error: 'bad_signature' });
  });

  it('appends lg_t to the target, replacing an old one and keeping the fragment last', () => {
    expect(withLandingToken('https://acme.example/p?a=1#sec', 'T.k')).toBe('https://acme.example/p?a=1&lg_t=T.k#sec');
    expect(withLandingToken('https://acme.example/p?lg_t=old&b=2', 'new')).toBe('https://acme.example/p?lg_t=new&b=2');
    expect(withLandingToken('https://acme.example', 'x')).toBe('https://acme.example/?lg_t=x');
  });
});

describe('resolveClick', () => {
  it('redirects to the signed target with a landing token for the same lead', () => {
    const token = signLinkToken(SECRET, { leadId: LEAD, messageId: 'm-1', campaign: 'c', target: 'https://acme.example/pricing?ref=mail' });
    const r = resolveClick(SECRET, token, NOW);
    if (!r.ok) throw new Error(r.error);
    expect(r.payload).toMatchObject({ leadId: LEAD, messageId: 'm-1', campaign: 'c' });
    const u = new URL(r.location);
    expect(u.origin + u.pathname).toBe('https://acme.example/pricing');
    expect(u.searchParams.get('ref')).toBe('mail');
    const landing = verifyLandingToken(SECRET, u.searchParams.get('lg_t')!, { now: NOW });
    expect(landing).toEqual({ ok: true, payload: { leadId: LEAD, messageId: 'm-1', iat: NOW } });
  });

  it('refuses a pixel-only token (no target)', () => {
    const token = signLinkToken(SECRET, { leadId: LEAD, messageId: 'm-1' });
    expect(resolveClick(SECRET, token, NOW)).toEqual({ ok: false, error: 'no_target' });
  });
});

describe('isMachineOpen', () => {
  const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
  const OUTLOOK = 'Mozilla/4.0 (compatible; ms-office; MSOffice 16)';
  const sentAt = NOW;
  const later = NOW + 3_600_000;

  it.each([
    ['Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)', /Gmail/],
    ['YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html', /Yahoo/],
    ['Barracuda Sentinel (EE)', /Barracuda/],
    ['Mozilla/5.0 Mimecast-Scanner', /Mimecast/],
    ['Proofpoint URL Defense', /Proofpoint/],
    ['Mozilla/5.0 (compatible; BingPreview/1.0b)', /Microsoft/],
    ['Microsoft Office Protocol Discovery', /Office/],
    ['python-requests/2.31.0', /automated/],
    ['curl/8.4.0', /automated/],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36', /automated/],
    ['Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', /preview/],
    ['SomeSecurity link scanner 2.0', /bot/],
  ])('flags %s', (userAgent, why) => {
    const r = isMachineOpen({ userAgent, sentAt, openedAt: later });
    expect(r.machine).toBe(true);
    expect(r.why).toMatch(why);
  });

  it.each([CHROME, OUTLOOK, 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148', 'Mozilla/5.0 (Macintosh) Thunderbird/115.0'])(
    'lets a person through: %s',
    (userAgent) => {
      expect(isMachineOpen({ userAgent, sentAt, openedAt: later, ip: '203.0.113.9' })).toEqual({ machine: false });
    },
  );

  it('flags a missing user agent', () => {
    expect(isMachineOpen({ userAgent: undefined, sentAt, openedAt: later })).toEqual({ machine: true, why: 'no user agent' });
    expect(isMachineOpen({ userAgent: '  ', sentAt, openedAt: later }).machine).toBe(true);
  });

  it('flags opens within the window after sending (default 10 s), including clock skew', () => {
    expect(isMachineOpen({ userAgent: CHROME, sentAt, openedAt: sentAt + 9_999 })).toEqual({ machine: true, why: 'opened 10s after sending' });
    expect(isMachineOpen({ userAgent: CHROME, sentAt, openedAt: sentAt + 2_000 }).why).toBe('opened 2s after sending');
    expect(isMachineOpen({ userAgent: CHROME, sentAt, openedAt: sentAt + 10_000 }).machine).toBe(false);
    expect(isMachineOpen({ userAgent: CHROME, sentAt, openedAt: sentAt - 5_000 }).machine).toBe(true);
    expect(isMachineOpen({ userAgent: CHROME, sentAt, openedAt: sentAt + 20_000, windowSeconds: 30 }).machine).toBe(true);
    expect(isMachineOpen({ userAgent: CHROME, sentAt: undefined, openedAt: sentAt }).machine).toBe(false);
  });

  it('flags Apple Mail Privacy Protection relays by IP (v4 and v4-mapped v6)', () => {
    expect(isMachineOpen({ userAgent: 'Mozilla/5.0', sentAt, openedAt: later, ip: '17.58.100.1' })).toEqual({ machine: true, why: 'Apple Mail Privacy Protection' });
    expect(isMachineOpen({ userAgent: 'Mozilla/5.0', sentAt, openedAt: later, ip: '::ffff:17.1.2.3' }).machine).toBe(true);
    expect(isMachineOpen({ userAgent: 'Mozilla/5.0', sentAt, openedAt: later, ip: '170.1.2.3' }).machine).toBe(false);
    expect(isMachineOpen({ userAgent: 'Mozilla/5.0', sentAt, openedAt: later, ip: '117.1.2.3' }).machine).toBe(false);
  });
});
