import type { FastifyBaseLogger, FastifyInstance, FastifyTypeProvider, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { z } from 'zod';
import { formatIssues } from '../../shared/errors.ts';
import { RequestError } from './fail.ts';

// Params, queries and bodies are checked by their zod schemas before a handler runs, and the
// handler receives them typed (no casts). A route names its parts in Fastify's `schema`:
//   schema: { params: contract(IdParams), body: contract(FeedbackRequest, { error: 'invalid feedback' }) }
// A refused part answers 400 in the one error shape: with `error`, `{ error, details }` where
// details are the issues, each starting with where it is (`verdict: expected one of ...`);
// without, `{ error }` holding the first issue's message, which then says what and where itself
// (query fields write theirs so: `limit: expected an integer from 1 to 200`).

export type Contract<S extends z.ZodType = z.ZodType> = {
  readonly zod: S;
  /** The answer's `error`; the issues go in `details`. */
  readonly error?: string | undefined;
  /** Paths in details as `rules.0.points` (the marketing API's form) instead of `rules[0].points`. */
  readonly dotted?: boolean | undefined;
  /** Stands in for a missing part: Fastify hands `null` for a request without a body. */
  readonly absent?: unknown;
};

export function contract<S extends z.ZodType>(zod: S, how: Omit<Contract<S>, 'zod'> = {}): Contract<S> {
  return { zod, ...how };
}

/** Tells Fastify's types that a route part checked by `Contract<S>` is `z.output<S>`. */
export interface ContractTypes extends FastifyTypeProvider {
  validator: this['schema'] extends Contract<infer S> ? z.output<S> : unknown;
  serializer: this['schema'] extends Contract<infer S> ? z.input<S> : unknown;
}

export type ContractRoutes = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ContractTypes>;

export function withContracts(app: FastifyInstance): ContractRoutes {
  return app.withTypeProvider<ContractTypes>();
}

/**
 * Checks one part. Where a route must do something first (a beacon's rate limits), it calls this
 * itself and throws the error, which the error handler answers as validation would.
 */
export function checkPart<S extends z.ZodType>(part: Contract<S>, value: unknown): { ok: true; value: z.output<S> } | { ok: false; error: RequestError } {
  const parsed = part.zod.safeParse(value === null && 'absent' in part ? part.absent : value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const lines = formatIssues(parsed.error.issues);
  if (part.error !== undefined) return { ok: false, error: new RequestError(400, part.error, part.dotted ? dotted(lines) : lines) };
  return { ok: false, error: new RequestError(400, parsed.error.issues[0]?.message ?? lines[0] ?? 'invalid request') };
}

/** Every route's `schema.params|querystring|body` is a Contract: this compiles them. */
export function registerValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, method, url, httpPart }) => {
    if (!isContract(schema)) throw new Error(`${method} ${url}: schema.${httpPart ?? '?'} must be a contract(...) of a zod schema`);
    return (data: unknown) => {
      const r = checkPart(schema, data);
      return r.ok ? { value: r.value } : { error: r.error };
    };
  });
}

function isContract(schema: unknown): schema is Contract {
  return typeof schema === 'object' && schema !== null && 'zod' in schema && typeof schema.zod === 'object' && schema.zod !== null;
}

/** `interestRules[0].points: x` -> `interestRules.0.points: x`, the marketing contract's form for field paths. */
export function dotted(lines: readonly string[]): string[] {
  return lines.map((line) => {
    const at = line.indexOf(': ');
    return at < 0 ? line : line.slice(0, at).replace(/\[(\d+)\]/g, '.$1') + line.slice(at);
  });
}
