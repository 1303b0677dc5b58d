import type { FastifyReply } from 'fastify';
import type { ApiError } from '../../shared/contracts/api.ts';

/** Sends an ApiError with a status: every 4xx and 5xx body has this shape. */
export function fail(reply: FastifyReply, status: number, error: string, details?: string[]): FastifyReply {
  const body: ApiError = details && details.length ? { error, details } : { error };
  return reply.code(status).send(body);
}

/**
 * A refused request, raised where no reply is at hand (the body parser, a route's validation);
 * the error handler (app.ts) answers it with `fail`.
 */
export class RequestError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details?: string[],
  ) {
    super(message);
  }
}
