import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
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
const BEARER_PREFIX = 'Bearer ';

/** A token seen for the first time: its header is checked in full, and the caller's address counted, before the token is verified. */
async function verifyHeader(ctx: ApiContext, header: string, address: string): Promise<Viewer> {
  const match = BEARER.exec(header);
  if (!match) throw new MissingTokenError();
  ctx.newTokens.take(address);
  return ctx.tokens.verify(match[1]!);
}

/** The body of a write route that takes none: nothing, or an empty object (what some clients send). */
export const noBody = z.strictObject({}).nullish().describe('no body');

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const isWrite = (method: string | string[]): boolean =>
  [method].flat().some((m) => WRITE_METHODS.has(m.toUpperCase()));

/** The verified caller of a guarded route (the guard has run: never null there). */
export function viewerOf(request: FastifyRequest): Viewer {
  if (!request.viewer) throw new MissingTokenError();
  return request.viewer;
}

/** What a route asks of its callers, from its config (read once, when the route is added). */
interface RouteRule {
  access: Access;
  budget: Budget;
  endpoint: string;
  countsOwnCalls: boolean;
}

/**
 * Authenticates every route of `scope` from the Twitch token, checks its access level, then counts
 * it against the caller's rate limit — all before the body is even parsed. A write route without a
 * body schema is given one that accepts no body.
 */
export function guardRoutes(scope: FastifyInstance, ctx: ApiContext): void {
  scope.decorateRequest('viewer', null);
  // Each route gets its own guard with its rule bound, rather than one hook that rebuilds
  // request.routeOptions (a fresh object on every read) on every request.
  scope.addHook('onRoute', (route) => {
    const {
      access = 'player',
      budget = 'write',
      endpoint = route.url,
      countsOwnCalls = false,
    } = route.config ?? {};
    const guard = guardFor(ctx, { access, budget, endpoint, countsOwnCalls });
    route.onRequest = [guard, ...[route.onRequest ?? []].flat()];
    // Every write route validates its body: one that declares none gets "no body", so a field sent
    // to it (`{"confirm": false}`) is refused rather than silently ignored.
    if (isWrite(route.method) && !route.schema?.body) route.schema = { ...route.schema, body: noBody };
  });
}

function guardFor(ctx: ApiContext, rule: RouteRule) {
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization;
    if (!header) throw new MissingTokenError();
    // A token verified before is looked up as it stands; only a new one needs the full header check.
    const known = header.startsWith(BEARER_PREFIX)
      ? ctx.tokens.verifiedBefore(header.slice(BEARER_PREFIX.length))
      : null;
    const viewer = known ?? (await verifyHeader(ctx, header, request.ip));
    request.viewer = viewer;
    if (rule.access !== 'viewer' && !viewer.loggedIn) throw new LoginRequiredError();
    if (rule.access === 'broadcaster' && viewer.role !== 'broadcaster') throw new BroadcasterOnlyError();
    if (!rule.countsOwnCalls) await ctx.rateLimits.consume(viewer.opaqueUserId, rule.endpoint, rule.budget);
  };
}
