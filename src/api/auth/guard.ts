import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiContext } from '../api-context.js';
import { BroadcasterOnlyError, LoginRequiredError, MissingTokenError } from '../problem-errors.js';
import type { Budget } from '../rate-limits.js';
import type { Viewer } from './twitch-jwt.js';

/** Who may call a route: any viewer with a token, a logged-in player, or the channel's broadcaster. */
export type Access = 'viewer' | 'player' | 'broadcaster';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The rate-limit bucket's name, e.g. `survivors.create`. */
    endpoint?: string;
    budget?: Budget;
    access?: Access;
    /** The handler counts the call itself, inside its own store round trip (the poll; see RateLimits). */
    countsOwnCalls?: boolean;
  }
  interface FastifyRequest {
    viewer: Viewer | null;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9_.~+/=-]{1,4096})$/;

/** The verified caller of a guarded route (the guard has run: never null there). */
export function viewerOf(request: FastifyRequest): Viewer {
  if (!request.viewer) throw new MissingTokenError();
  return request.viewer;
}

/**
 * Authenticates every route of `scope` from the Twitch token, checks its access level, then counts
 * it against the caller's rate limit — all before the body is even parsed.
 */
export function guardRoutes(scope: FastifyInstance, ctx: ApiContext): void {
  scope.decorateRequest('viewer', null);
  scope.addHook('onRequest', async (request): Promise<void> => {
    const header = request.headers.authorization;
    if (!header) throw new MissingTokenError();
    const match = BEARER.exec(header);
    if (!match) throw new MissingTokenError();
    const viewer = ctx.tokens.verifiedBefore(match[1]!) ?? (await ctx.tokens.verify(match[1]!));
    request.viewer = viewer;
    const {
      access = 'player',
      budget = 'write',
      endpoint = request.routeOptions.url ?? 'unknown',
      countsOwnCalls = false,
    } = request.routeOptions.config;
    if (access !== 'viewer' && !viewer.loggedIn) throw new LoginRequiredError();
    if (access === 'broadcaster' && viewer.role !== 'broadcaster') throw new BroadcasterOnlyError();
    if (!countsOwnCalls) await ctx.rateLimits.consume(viewer.opaqueUserId, endpoint, budget);
  });
}
