import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

/**
 * One log line per request, written when the reply is sent (Fastify's own two lines, "incoming
 * request" and "request completed", are turned off in buildApp). In production it is an info line for
 * the log pipeline: method, URL, status, time, request id. Elsewhere it is a debug line, so a developer's
 * terminal stays quiet at the default LOG_LEVEL=info and shows `GET /v1/me 200 3.1 ms` at debug.
 * Routes that set a quieter logLevel (the poll, probes, /metrics) are not logged at all.
 */
export function registerRequestLog(app: FastifyInstance, config: Pick<Config, 'NODE_ENV'>): void {
  const production = config.NODE_ENV === 'production';
  const level = production ? 'info' : 'debug';
  // Callback style, as the other per-request hooks: no promise per request.
  app.addHook('onResponse', (request, reply, done) => {
    // The route's logLevel (the poll, probes: warn) is the request logger's level.
    const log = request.log as FastifyBaseLogger & { isLevelEnabled(level: string): boolean };
    if (log.isLevelEnabled(level)) {
      const ms = Math.round(reply.elapsedTime * 10) / 10;
      const line = `${request.method} ${request.url} ${reply.statusCode} ${ms} ms`;
      log[level](
        { req: { method: request.method, url: request.url }, res: { statusCode: reply.statusCode }, ms },
        production ? 'request completed' : line,
      );
    }
    done();
  });
}
