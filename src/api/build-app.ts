import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { loadContent } from '../content/index.js';
import {
  cancelChannelEvent,
  closeEventSignup,
  joinChannelEvent,
  openChannelEvent,
  removeEventParticipant,
} from '../engine/channel-event-signup.js';
import type { EngineDeps } from '../engine/engine-deps.js';
import { LobbyService } from '../engine/lobby-service.js';
import { UserDirectory } from '../engine/user-directory.js';
import { ViewerCache } from '../ephemeral/viewer-cache.js';
import type { Runtime } from '../runtime.js';
import { broadcastsEnabled } from '../twitch/broadcasts-enabled.js';
import type { ApiContext } from './api-context.js';
import { guardRoutes } from './auth/guard.js';
import { NewTokenLimit } from './auth/new-token-limit.js';
import { TwitchTokenVerifier } from './auth/twitch-jwt.js';
import { ChannelEventViews } from './channel-event-view.js';
import { ChannelNotices } from './channel-notices.js';
import { registerErrorHandling, replyToClientError, replyWithProblem } from './error-handler.js';
import { registerHealthRoutes } from './health-routes.js';
import { metricsPlacement } from './metrics-listener.js';
import { registerHttpMetrics, registerMetricsRoute } from './metrics-route.js';
import { PlayerNames } from './player-names.js';
import { RateLimits } from './rate-limits.js';
import { registerRequestLog } from './request-log.js';
import { registerBitsRoutes } from './routes/bits-routes.js';
import { registerChannelRoutes } from './routes/channel-routes.js';
import { registerDevTokenRoute } from './routes/dev-token-route.js';
import { registerEventRoutes } from './routes/event-routes.js';
import { registerLobbyRoutes } from './routes/lobby-routes.js';
import { registerMissionDecisionRoutes } from './routes/mission-decision-routes.js';
import { registerMissionRoutes } from './routes/mission-routes.js';
import { registerOverlayEventRoute, registerOverlaySecretRoutes } from './routes/overlay-routes.js';
import { registerPollRoute } from './routes/poll-route.js';
import { registerStashRoutes } from './routes/stash-routes.js';
import { registerSurvivorRoutes } from './routes/survivor-routes.js';
import { registerSecurityHeaders } from './security-headers.js';
import { registerWebRoutes } from './web-routes.js';
import { zodSchemaController } from './zod-compilers.js';

/** How often each API instance looks for survivors left in vanished lobbies, in ms. */
const LOBBY_SWEEP_MS = 30_000;

export interface BuildAppOptions {
  /** @default Date.now */
  clock?: () => number;
  /** Sweep vanished lobbies in the background. @default true */
  sweepLobbies?: boolean;
}

/** A request id from the load balancer is kept only if it is short and plain; else we make our own. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** How often Node looks for requests and headers past their timeouts, in ms. Node's default is 30 s. */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
}

function allowedOrigins(runtime: Runtime): (string | RegExp)[] {
  const origins: (string | RegExp)[] = [`https://${runtime.config.TWITCH_CLIENT_ID}.ext-twitch.tv`];
  // The local play page (and the front end's dev server) only where development tokens are on.
  if (runtime.config.HOLDOUT_DEV_TOKENS) origins.push(/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/);
  return origins;
}

export function apiContextFor(runtime: Runtime, options: BuildAppOptions = {}): ApiContext {
  const clock = options.clock ?? Date.now;
  const content = loadContent();
  const engineDeps: EngineDeps = {
    db: runtime.db,
    store: runtime.store,
    content,
    tickIntervalMs: runtime.config.TICK_INTERVAL_MS,
    clock,
    logger: runtime.logger.child({ component: 'api' }),
    announcer: runtime.announcer,
  };
  return {
    config: runtime.config,
    logger: runtime.logger,
    db: runtime.db,
    store: runtime.store,
    content,
    lobbies: runtime.store.lobbies,
    viewerCache: new ViewerCache(runtime.store),
    tokens: new TwitchTokenVerifier(runtime.config.TWITCH_EXTENSION_SECRET, clock),
    newTokens: new NewTokenLimit(
      runtime.config.RATE_LIMIT_NEW_TOKENS_PER_IP,
      runtime.config.RATE_LIMIT_WINDOW_MS,
      clock,
    ),
    users: new UserDirectory(runtime.db, runtime.store),
    playerNames: new PlayerNames(runtime.db, runtime.store, clock),
    rateLimits: new RateLimits(runtime.store, runtime.config),
    engine: engineDeps,
    events: {
      open: (input) => openChannelEvent(engineDeps, input),
      join: (input) => joinChannelEvent(engineDeps, input),
      removeParticipant: (input) => removeEventParticipant(engineDeps, input),
      closeSignup: (input) => closeEventSignup(engineDeps, input),
      cancel: (input) => cancelChannelEvent(engineDeps, input),
    },
    notices: new ChannelNotices(
      broadcastsEnabled(runtime.config) ? runtime.store.broadcasts : null,
      runtime.logger.child({ component: 'notices' }),
      clock,
    ),
    clock,
    announcer: runtime.announcer,
  };
}

/** The HTTP application of one process, on the stores of `runtime`. */
export async function buildApp(runtime: Runtime, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = runtime.logger.child({ component: 'http' });
  const { config } = runtime;
  const app: FastifyInstance = Fastify({
    loggerInstance: logger,
    // Every route validates and serializes with its zod schemas.
    schemaController: zodSchemaController,
    // One line per request instead of two, written by registerRequestLog.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.API_BODY_LIMIT_BYTES,
    // A request id from the load balancer is kept, so one request can be followed across services.
    requestIdHeader: false,
    genReqId: requestIdOf,
    // request.ip (the per-address token budget) is the client's only behind that many trusted proxies.
    trustProxy: config.TRUST_PROXY_HOPS > 0 ? (_address, hop) => hop < config.TRUST_PROXY_HOPS : false,
    // A viewer's half-sent request must not hold a connection for minutes (Node's default is 300 s).
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    http: {
      headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    // Every error is a problem document: the URL errors Fastify answers before routing,
    frameworkErrors: replyWithProblem,
    // and what Node refuses before a request exists.
    clientErrorHandler: replyToClientError,
  });
  // Set on arrival, so that error replies carry it too; callback style: no promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  const ctx = apiContextFor(runtime, options);
  const lobbies = new LobbyService(ctx);
  const eventViews = new ChannelEventViews(ctx);

  registerErrorHandling(app);
  registerRequestLog(app, config);
  await registerSecurityHeaders(app);
  // JSON only; an empty body is no body (curl -X POST without -d), not an error.
  app.removeContentTypeParser('text/plain');
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    return parseJson(request, body as string, done);
  });

  await app.register(cors, {
    origin: allowedOrigins(runtime),
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'If-None-Match'],
    exposedHeaders: ['ETag', 'Retry-After'],
    maxAge: 600,
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Holdout API',
        version: '1',
        description:
          'The API of the Holdout Twitch extension. Authenticate with the extension token from ' +
          'Twitch.ext.onAuthorized as "Authorization: Bearer <token>". Every error is ' +
          'application/problem+json with a stable `code`.',
      },
      components: {
        securitySchemes: { twitch: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
      security: [{ twitch: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerHealthRoutes(app, runtime);
  registerHttpMetrics(app, runtime.registry);
  // Elsewhere, /metrics has a listener of its own or none (metrics-listener.ts): never the public port.
  if (metricsPlacement(config) === 'api-port') registerMetricsRoute(app, runtime.registry);
  if (config.HOLDOUT_DEV_TOKENS && config.NODE_ENV !== 'production') {
    registerDevTokenRoute(app, ctx);
  }
  await app.register(async (v1) => {
    guardRoutes(v1, ctx);
    registerSurvivorRoutes(v1, ctx);
    registerMissionRoutes(v1, ctx);
    registerMissionDecisionRoutes(v1, ctx);
    registerLobbyRoutes(v1, ctx, lobbies);
    registerChannelRoutes(v1, ctx);
    registerEventRoutes(v1, ctx, eventViews);
    registerOverlaySecretRoutes(v1, ctx);
    registerPollRoute(v1, ctx, lobbies);
    registerBitsRoutes(v1, ctx);
    registerStashRoutes(v1, ctx);
  });
  registerOverlayEventRoute(app, ctx, eventViews);
  await registerWebRoutes(app, config);

  if (options.sweepLobbies ?? true) {
    const sweeper = setInterval(() => {
      lobbies.sweep().catch((error) => logger.warn({ err: error }, 'lobby sweep failed'));
    }, LOBBY_SWEEP_MS);
    sweeper.unref();
    app.addHook('onClose', async () => clearInterval(sweeper));
  }
  return app;
}
