import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { KeyEmails, KeyOrigins } from '../../shared/contracts/api.ts';
import { uuidv7 } from '../../shared/ids.ts';
import type { DB, KeysTable } from '../db/schema.ts';
import { decodeStored } from '../db/stored-json.ts';

// Keys and tokens. A site key is a public identifier (it sits in the snippet) and a rep or
// admin token is a secret; both are stored only as sha256 hashes. The prefix says what a
// secret is when it turns up in a log or a support ticket.

export type Role = 'site' | 'rep' | 'admin';
export type KeyRecord = { id: string; role: Role; site: string | null; origins: string[]; name: string | null; emails: string[] };
export type CreateKeyInput = { role: Role; site?: string; origins?: string[]; name?: string; emails?: string[] };

const PREFIX: Record<Role, string> = { site: 'lgs_', rep: 'lgr_', admin: 'lga_' };
const SITE_RE = /^[a-z0-9][a-z0-9._-]{0,39}$/;
const ORIGIN_RE = /^https?:\/\/[^/\s?#]+$/;
const EMAIL_RE = /^[^\s@]{1,64}@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/i;
const EMAILS_MAX = 10;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function keyInputErrors(input: CreateKeyInput): string[] {
  const errors: string[] = [];
  if (!['site', 'rep', 'admin'].includes(input.role)) errors.push('role: expected site, rep or admin');
  if (input.role === 'site') {
    if (!input.site || !SITE_RE.test(input.site)) errors.push('site: expected a site id of lowercase letters, digits, ".", "-" and "_" (at most 40)');
  }
  for (const [i, o] of (input.origins ?? []).entries()) {
    if (!ORIGIN_RE.test(o)) errors.push(`origins[${i}]: expected an origin such as https://www.example.com (no path)`);
  }
  const emails = input.emails ?? [];
  if (emails.length && input.role === 'site') errors.push('emails: only rep and admin tokens name a person');
  if (emails.length > EMAILS_MAX) errors.push(`emails: at most ${EMAILS_MAX} addresses`);
  for (const [i, e] of emails.entries()) {
    if (!EMAIL_RE.test(e)) errors.push(`emails[${i}]: expected an email address such as rep@example.com, got ${JSON.stringify(e.slice(0, 80))}`);
  }
  return errors;
}

/** Creates a key and returns its secret: the only time it exists in clear. */
export async function createKey(db: Kysely<DB>, input: CreateKeyInput, now = Date.now()): Promise<string> {
  const errors = keyInputErrors(input);
  if (errors.length) throw new Error(`invalid key: ${errors.join('; ')}`);
  // Site keys must fit an event's `site` field (64 characters); 18 bytes give 24 characters.
  const secret = PREFIX[input.role] + randomBytes(input.role === 'site' ? 18 : 32).toString('base64url');
  await db
    .insertInto('keys')
    .values({
      id: uuidv7(now),
      hash: hashSecret(secret),
      role: input.role,
      site: input.role === 'site' ? input.site! : null,
      origins: JSON.stringify((input.origins ?? []).map((o) => o.toLowerCase())),
      name: input.name ?? null,
      emails: JSON.stringify((input.emails ?? []).map((e) => e.toLowerCase())),
      created_at: now,
      revoked_at: null,
    })
    .execute();
  return secret;
}

/**
 * Looks keys up by hash, with a short cache: ingest asks for the same site key thousands of
 * times a second. The cache is keyed by the secret as presented, so a hit costs no sha256 (one
 * per request was 1.8% of an ingest profile); a secret is in this process's memory for the
 * request anyway. Only found keys are cached, so a key created by the CLI in another process
 * works at once and unknown secrets cannot fill the cache; a revocation (by the CLI, in another
 * process) takes effect within `ttlMs`, when the entry is looked up again by its hash, and at
 * once in this process through `clear()`.
 */
export function createKeyCache(db: Kysely<DB>, ttlMs = 5_000) {
  const cache = new Map<string, { key: KeyRecord; until: number }>();
  return {
    async find(secret: string, now = Date.now()): Promise<KeyRecord | undefined> {
      if (secret.length < 8 || secret.length > 200) return undefined;
      const hit = cache.get(secret);
      if (hit && hit.until > now) return hit.key;
      const hash = hashSecret(secret);
      const row = await db.selectFrom('keys').selectAll().where('hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst();
      if (!row) {
        cache.delete(secret);
        return undefined;
      }
      const key: KeyRecord = { id: row.id, role: row.role, site: row.site, origins: keyOrigins(row), name: row.name, emails: keyEmails(row) };
      if (cache.size > 10_000) cache.clear();
      cache.set(secret, { key, until: now + ttlMs });
      return key;
    },
    clear(): void {
      cache.clear();
    },
  };
}
export type KeyCache = ReturnType<typeof createKeyCache>;

// The JSON columns of `keys`, decoded through their contracts. A key row whose lists do not
// decode fails the request that presents the key (the error handler logs the key's id, never
// the secret): reading a broken origins list as empty would refuse the site's events without
// saying why, and reading broken addresses as none would show the rep their own emails as leads.

/** The origins a site key allows. */
export function keyOrigins(row: Pick<KeysTable, 'id' | 'origins'>): string[] {
  return decodeStored(KeyOrigins, row.origins, { table: 'keys', column: 'origins', row: row.id });
}

/** A token's own addresses. */
export function keyEmails(row: { id: string; emails: string }): string[] {
  return decodeStored(KeyEmails, row.emails, { table: 'keys', column: 'emails', row: row.id });
}
