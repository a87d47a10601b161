import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isPostgresUnavailable } from '../durable/postgres-outage.js';
import { EngineError } from '../engine/engine-errors.js';
import { isRedisUnavailable } from '../ephemeral/redis-outage.js';
import { RateLimitedLog } from '../rate-limited-log.js';
import {
  ApiError,
  type FieldProblem,
  RouteNotFoundError,
  type StoreName,
  StoreUnavailableError,
  ValidationError,
} from './problem-errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * HTTP status of every typed error the game rules (GameRuleError) and the engine services raise,
 * by their stable `code`. The one place where those failures meet HTTP.
 */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  // game rules
  invalid_name: 400,
  unknown_perk: 400,
  unknown_location: 400,
  unknown_item: 400,
  too_many_items: 400,
  invalid_difficulty: 400,
  duplicate_survivor: 400,
  illegal_transition: 409,
  survivor_busy: 409,
  survivor_dead: 409,
  perk_locked: 409,
  perk_slots_full: 409,
  perk_already_equipped: 409,
  perk_not_equipped: 409,
  perk_not_offered: 409,
  not_recovering: 409,
  not_revivable: 409,
  no_free_perk_slot: 409,
  party_size: 409,
  mission_not_active: 409,
  mission_active: 409,
  unknown_stance: 400,
  // engine services
  survivor_not_found: 404,
  mission_not_found: 404,
  not_your_mission: 403,
  mission_ended: 409,
  mission_busy: 409,
  item_not_in_stash: 409,
  choice_closed: 409,
  not_enough_supplies: 409,
  difficulty_not_allowed: 403,
  // lobbies
  group_missions_disabled: 403,
  lobby_expired: 410,
  lobby_full: 409,
  lobby_not_open: 409,
  lobby_not_ready: 409,
  not_in_lobby: 403,
  already_in_lobby: 409,
  wrong_channel: 403,
  lobby_busy: 409,
  // channel events
  unknown_event_kind: 400,
  event_not_found: 404,
  event_already_open: 409,
  event_signup_closed: 409,
  event_full: 409,
  not_participating: 404,
};

/** Game-rule errors whose cause is one request field. */
const FIELD_BY_CODE: Readonly<Record<string, string>> = {
  invalid_name: 'body.name',
  unknown_perk: 'body.perkId',
  unknown_location: 'body.location',
  unknown_item: 'body.carry',
  too_many_items: 'body.carry',
  invalid_difficulty: 'body.difficulty',
  unknown_event_kind: 'body.kind',
  unknown_stance: 'body.stance',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  [member: string]: unknown;
}

export function problem(
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
): Problem {
  return {
    type: `urn:holdout:problem:${code}`,
    title: code.replaceAll('_', ' '),
    status,
    code,
    detail,
    ...extra,
  };
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  // Sent as a string: the routes' response serializers describe successes only.
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

function fieldProblems(error: FastifyError): FieldProblem[] {
  const where = error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'request');
  return (error.validation ?? []).flatMap((issue) => {
    const path = issue.instancePath.split('/').filter(Boolean).join('.');
    const field = path ? `${where}.${path}` : where;
    const keys = (issue.params as { keys?: string[] }).keys;
    if (issue.keyword === 'unrecognized_keys' && keys) {
      return keys.map((key) => ({ field: `${field}.${key}`, message: 'unknown field' }));
    }
    return [{ field, message: issue.message ?? 'is not valid' }];
  });
}

/** Fastify's own 4xx errors (body parsing, content type) by their error code. */
const FASTIFY_PROBLEMS: Readonly<Record<string, [number, string, string]>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body_too_large', 'The request body is too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'Send the body as application/json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'malformed_body', 'Content-Length does not match the body'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed_json', 'The JSON body is empty'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed_json', 'The body is not valid JSON'],
  FST_ERR_BAD_URL: [400, 'malformed_url', 'The URL is not valid (a broken %-escape?)'],
  FST_ERR_MAX_PARAM_LENGTH: [414, 'uri_too_long', 'A path segment of the URL is too long'],
  FST_ERR_ASYNC_CONSTRAINT: [400, 'bad_request', 'The request does not match any route constraint'],
};

/** The store whose outage `error` is, if it is one: the one place driver errors meet HTTP. */
export function unavailableStore(error: unknown): StoreName | null {
  // Redis first: ioredis never hands a raw socket error to a command, pg does.
  if (isRedisUnavailable(error)) return 'redis';
  if (isPostgresUnavailable(error)) return 'postgres';
  return null;
}

/** Maps any error thrown by a route or a hook to a problem document. */
export function toProblem(error: unknown): Problem {
  if (error instanceof ApiError) return problem(error.status, error.code, error.message, error.extra);
  const store = unavailableStore(error);
  if (store) return toProblem(new StoreUnavailableError(store));
  const fastifyError = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fastifyError)) {
    const invalid = new ValidationError(fieldProblems(fastifyError));
    return problem(invalid.status, invalid.code, invalid.message, invalid.extra);
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    const status = STATUS_BY_CODE[code];
    if (status !== undefined) {
      const field = FIELD_BY_CODE[code];
      const extra = error instanceof EngineError ? error.extra : {};
      return problem(status, code, (error as Error).message, { ...(field ? { field } : {}), ...extra });
    }
    const known = FASTIFY_PROBLEMS[code];
    if (known) return problem(known[0], known[1], known[2]);
    if (error instanceof SyntaxError || code === 'FST_ERR_CTP_INVALID_JSON') {
      return problem(400, 'malformed_json', 'The body is not valid JSON');
    }
  }
  if (error instanceof SyntaxError && (fastifyError.statusCode ?? 500) === 400) {
    return problem(400, 'malformed_json', 'The body is not valid JSON');
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return problem(status, 'bad_request', fastifyError.message);
  }
  return problem(500, 'internal_error', 'Something went wrong on our side; it has been logged');
}

/** An outage fails every request that needs the store: one line per store and 30 s, with a count. */
const outageLog = new RateLimitedLog();

/** Replies to any error of a request: its problem document, logged once when it is ours (5xx). */
export function replyWithProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body = toProblem(error);
  if (body.status === 503 && body.code.endsWith('_unavailable')) {
    outageLog.write(body.code, (suppressed) =>
      request.log.warn({ err: error, code: body.code, suppressed }, 'request failed: a store is unavailable'),
    );
  } else if (body.status >= 500) request.log.error({ err: error }, 'request failed');
  // Rate limits and outages both say when to come back.
  if (typeof body.retryAfter === 'number') reply.header('retry-after', String(body.retryAfter));
  return sendProblem(reply, body);
}

/** Node's own refusals, before any request exists (bad request line, headers too large, timeout). */
const CLIENT_ERRORS: Readonly<Record<string, [number, string, string]>> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'The request was not received in time'],
  HPE_HEADER_OVERFLOW: [431, 'headers_too_large', 'The request headers are too large'],
};

/**
 * The 'clientError' handler of the HTTP server: what Node would send as a bare 400, as a problem
 * document, then the connection is closed (the request could not be read, so it cannot be kept).
 */
export function replyToClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail] = CLIENT_ERRORS[error.code ?? ''] ?? [
    400,
    'malformed_request',
    'The request could not be read as HTTP',
  ];
  const body = JSON.stringify(problem(status, code, detail));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(replyWithProblem);
  app.setNotFoundHandler((request, reply) => {
    const notFound = new RouteNotFoundError(request.method, request.url);
    return sendProblem(reply, problem(notFound.status, notFound.code, notFound.message));
  });
}
