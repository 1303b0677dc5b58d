import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';
import { ADMIN, roleGroup } from '../auth.ts';
import { fail } from '../fail.ts';
import type { PredictiveService } from '../../predictive/service.ts';

// Predictive scoring (admin token), shapes in shared/contracts/marketing.ts:
//   GET  /v1/predictive        -> PredictiveStatus
//   POST /v1/predictive/train  -> 202 PredictiveStatus (the run goes on in a worker) | 409 while one runs

export function predictiveRoutes(app: FastifyInstance, ctx: ServerContext, service: PredictiveService): void {
  roleGroup(app, ctx.keys, ADMIN, (admin) => {
    admin.get('/v1/predictive', async () => service.status());

    admin.post('/v1/predictive/train', async (_req, reply) => {
      if (!service.train()) return fail(reply, 409, 'a training run is already going; see GET /v1/predictive');
      return reply.code(202).send(await service.status());
    });
  });
}
