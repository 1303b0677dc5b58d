import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Secrets the server keeps in its database (the email-link secret) are sealed with AES-256-GCM
// under a key that never enters the database, so a dump, a backup or a read-only SQL hole
// does not hand out the power to mint email-link tokens (issue 18). The key comes from
// LEADGLOW_SECRET_KEY (any text of 32 characters or more; HKDF turns it into 256 bits), or, for
// the demo and single-machine installs, from `<data>/secret.key`, made once with mode 0600.

const PREFIX = 'enc:v1:';
const INFO = 'leadglow secret-box v1';

export type SecretKey = { key: Buffer; source: 'env' | 'file' };

/** The sealing key: LEADGLOW_SECRET_KEY, else `<dataDir>/secret.key` (created when missing). */
export function secretKeyFrom(env: NodeJS.ProcessEnv, dataDir: string): SecretKey {
  const given = env.LEADGLOW_SECRET_KEY?.trim();
  if (given) {
    if (given.length < 32) throw new Error('LEADGLOW_SECRET_KEY: expected at least 32 characters (e.g. `openssl rand -base64 32`)');
    return { key: derive(given), source: 'env' };
  }
  const dir = resolve(dataDir);
  const file = join(dir, 'secret.key');
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dir, { recursive: true });
    text = randomBytes(32).toString('base64url');
    // wx: two servers starting at once must not each write a different key.
    try {
      writeFileSync(file, `${text}\n`, { mode: 0o600, flag: 'wx' });
    } catch {
      text = readFileSync(file, 'utf8').trim();
    }
    chmodSync(file, 0o600);
  }
  return { key: derive(text), source: 'file' };
}

function derive(material: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(material, 'utf8'), Buffer.alloc(0), INFO, 32));
}

/** Whether `stored` was sealed by seal() (older databases hold the secret in clear). */
export const isSealed = (stored: string): boolean => stored.startsWith(PREFIX);

/** Encrypts `plain`; `label` (the setting's name) is bound to it, so sealed values cannot be swapped. */
export function seal(key: Buffer, plain: string, label: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(label));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** Decrypts a sealed value; throws a clear error when the key is not the one it was sealed with. */
export function unseal(key: Buffer, sealed: string, label: string): string {
  const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(label));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new Error(`the ${label} in the database cannot be decrypted: LEADGLOW_SECRET_KEY (or <data>/secret.key) is not the key it was stored with`);
  }
}
