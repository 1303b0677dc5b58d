import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from '../../shared/contracts/api.ts';
import type { KeyCache, KeyRecord, Role } from '../auth/api-keys.ts';

/** Sends an ApiError with a status: every 4xx and 5xx body has this shape. */
export function fail(reply: FastifyReply, status: number, error: string, details?: string[]): FastifyReply {
  const body: ApiError = details && details.length ? { error, details } : { error };
  return reply.code(status).send(body);
}

export function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h.trim());
  return m?.[1];
}

/** Resolves the Bearer token to a key with one of `roles`, or answers 401/403 and returns undefined. */
export async function authorize(req: FastifyRequest, reply: FastifyReply, keys: KeyCache, roles: readonly Role[]): Promise<KeyRecord | undefined> {
  const token = bearer(req);
  if (!token) {
    fail(reply, 401, 'missing token: send Authorization: Bearer <token>');
    return undefined;
  }
  const key = await keys.find(token);
  if (!key) {
    fail(reply, 401, 'unknown or revoked token');
    return undefined;
  }
  if (!roles.includes(key.role)) {
    fail(reply, 403, `a ${key.role} key cannot do this; it needs a ${roles.join(' or ')} token`);
    return undefined;
  }
  return key;
}

export function intParam(v: unknown, def: number, min: number, max: number): number | undefined {
  if (v === undefined || v === '') return def;
  if (typeof v !== 'string' || !/^\d{1,9}$/.test(v)) return undefined;
  const n = Number(v);
  return n < min || n > max ? undefined : n;
}
