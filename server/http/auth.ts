import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { KeyCache, KeyRecord, Role } from '../auth/api-keys.ts';
import { fail } from './fail.ts';
import { withContracts, type ContractRoutes } from './validate.ts';

// Roles are route groups: each group is an encapsulated Fastify context with one hook that
// resolves the Bearer token before anything else of the request is read (body included), and
// puts the key on `req.key`. Routes outside every group are public.

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's key, set by a role group's hook; null on public routes. */
    key: KeyRecord | null;
  }
}

export const ADMIN = ['admin'] as const;
export const READERS = ['rep', 'admin'] as const;
export const ANY_KEY = ['site', 'rep', 'admin'] as const;

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

/**
 * Registers `routes` in a context where every request needs a token of one of `roles`: the
 * hook answers 401/403 itself, so the routes never see an unauthorized request.
 */
export function roleGroup(app: FastifyInstance, keys: KeyCache, roles: readonly Role[], routes: (group: ContractRoutes) => void): void {
  // On the parent, so that public routes beside the group read null, as the type says.
  if (!app.hasRequestDecorator('key')) app.decorateRequest('key', null);
  app.register(async (group) => {
    group.addHook('onRequest', async (req, reply) => {
      const key = await authorize(req, reply, keys, roles);
      if (!key) return reply;
      req.key = key;
    });
    routes(withContracts(group));
  });
}

/** The key a role group's hook put on the request; a route outside every group has none (a bug). */
export function keyOf(req: FastifyRequest): KeyRecord {
  if (!req.key) throw new Error(`${req.method} ${req.routeOptions.url ?? ''} is not in a role group: it has no key`);
  return req.key;
}
