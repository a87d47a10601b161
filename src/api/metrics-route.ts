import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';

/** Request latency buckets in seconds: polls answer in about a millisecond; writes touch Postgres. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * HTTP series of `app` into `registry`: latency by route, method and status; rate-limit refusals by
 * endpoint. Registered once per registry (prom-client refuses a series name twice).
 */
export function registerHttpMetrics(app: FastifyInstance, registry: Registry): void {
  const registers = [registry];
  const latency = new Histogram({
    name: 'holdout_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route template, method and status code',
    labelNames: ['route', 'method', 'status'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const refusals = new Counter({
    name: 'holdout_rate_limit_refusals_total',
    help: 'Requests answered 429 because a viewer spent an endpoint budget',
    labelNames: ['endpoint'],
    registers,
  });

  // Callback style: every request passes here, and an async hook would cost a promise each.
  app.addHook('onResponse', (request, reply, done) => {
    // Route templates, not raw URLs: bounded label values whatever a client sends. (routeOptions is
    // built anew on each read.)
    const options = request.routeOptions;
    const route = options.url ?? 'unmatched';
    if (route !== '/metrics') {
      latency.observe(
        { route, method: request.method, status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
      if (reply.statusCode === 429) refusals.inc({ endpoint: options.config.endpoint ?? route });
    }
    done();
  });
}

/** `GET /metrics`: every series of the process in Prometheus' text format. */
export function registerMetricsRoute(app: FastifyInstance, registry: Registry): void {
  app.get('/metrics', { schema: { hide: true }, logLevel: 'warn' }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
