import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Runtime } from '../runtime.js';
import { registerHealthRoutes } from './health-routes.js';
import { registerMetricsRoute } from './metrics-route.js';
import { zodSchemaController } from './zod-compilers.js';

/**
 * Where `holdout api` and `serve` answer `GET /metrics`:
 * - `own-port`: METRICS_PORT is set: on a listener of its own, bound on METRICS_HOST; the API port
 *   answers 404 (in any NODE_ENV, so development runs the production layout when asked to);
 * - `api-port`: development and test without METRICS_PORT: on the API port, one port to curl;
 * - `off`: production without METRICS_PORT: nowhere, because the API port is public (the series
 *   include route names and refusal counts an attacker should not read).
 */
export type MetricsPlacement = 'own-port' | 'api-port' | 'off';

export function metricsPlacement(config: Pick<Config, 'METRICS_PORT' | 'NODE_ENV'>): MetricsPlacement {
  if (config.METRICS_PORT !== undefined) return 'own-port';
  return config.NODE_ENV === 'production' ? 'off' : 'api-port';
}

export interface MetricsListener {
  app: FastifyInstance;
  /** http://host:port of the listener. */
  address: string;
}

/**
 * A listener that serves only the process's `/metrics` (with `health`, also `/healthz` and `/readyz`:
 * a worker has no other port to probe), bound on METRICS_HOST; everything else answers 404.
 */
export async function listenForMetrics(
  runtime: Runtime,
  port: number,
  options: {
    health: boolean /** The variable that chose `port`, named if it is taken. */;
    portVariable: string;
  },
): Promise<MetricsListener> {
  const app = Fastify({ schemaController: zodSchemaController });
  registerMetricsRoute(app, runtime.registry);
  if (options.health) registerHealthRoutes(app, runtime);
  try {
    const address = await app.listen({ host: runtime.config.METRICS_HOST, port });
    return { app, address };
  } catch (error) {
    await app.close();
    // The CLI's busy-port line names what to change (it says PORT otherwise).
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      Object.assign(error as object, { setting: `${options.portVariable} (or METRICS_HOST)` });
    }
    throw error;
  }
}

/**
 * Starts the metrics listener of `api` or `serve` where `metricsPlacement` says it has its own port;
 * null otherwise (and a warning where production serves no metrics at all).
 */
export async function listenForApiMetrics(runtime: Runtime): Promise<MetricsListener | null> {
  const { config, logger } = runtime;
  const placement = metricsPlacement(config);
  if (placement === 'off') {
    logger.warn(
      'metrics are not served: set METRICS_PORT (production keeps /metrics off the public API port)',
    );
  }
  if (placement !== 'own-port' || config.METRICS_PORT === undefined) return null;
  return listenForMetrics(runtime, config.METRICS_PORT, { health: false, portVariable: 'METRICS_PORT' });
}
