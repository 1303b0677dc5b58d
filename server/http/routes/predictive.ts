import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';
import { authorize, fail } from '../route-helpers.ts';
import type { PredictiveService } from '../../predictive/service.ts';

// Predictive scoring (admin token), shapes in shared/contracts/marketing.ts:
//   GET  /v1/predictive        -> PredictiveStatus
//   POST /v1/predictive/train  -> 202 PredictiveStatus (the run goes on in a worker) | 409 while one runs

const ADMIN = ['admin'] as const;

export function predictiveRoutes(app: FastifyInstance, ctx: ServerContext, service: PredictiveService): void {
  app.get('/v1/predictive', async (req, reply) => {
    if (!(await authorize(req, reply, ctx.keys, ADMIN))) return reply;
    return service.status();
  });

  app.post('/v1/predictive/train', async (req, reply) => {
    if (!(await authorize(req, reply, ctx.keys, ADMIN))) return reply;
    if (!service.train()) return fail(reply, 409, 'a training run is already going; see GET /v1/predictive');
    return reply.code(202).send(await service.status());
  });
}
