import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Runtime } from '../runtime.js';
import { registerHealthRoutes } from './health-routes.js';

/** The HTTP application of one process, on the stores of `runtime`. */
export async function buildApp(runtime: Runtime): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = runtime.logger.child({ component: 'http' });
  const app: FastifyInstance = Fastify({ loggerInstance: logger });
  registerHealthRoutes(app, runtime);
  return app;
}
