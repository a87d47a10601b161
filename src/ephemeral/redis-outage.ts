/** ioredis' messages for a command that could not reach Redis (it sets no code on them). */
const CLIENT_MESSAGES = [
  'Connection is closed.',
  "Stream isn't writeable",
  'Command timed out',
  'Reached the max retries per request limit',
];

/** Redis replies of a server that is there but cannot serve: loading, failing over, read-only replica. */
const REPLY_PREFIXES = ['LOADING ', 'MASTERDOWN ', 'READONLY ', 'TRYAGAIN '];

/**
 * Whether `error`, thrown by a Redis command, means Redis cannot be reached or cannot serve right now
 * (an outage, not a fault of the command). The API answers such errors 503 `redis_unavailable`.
 */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // ioredis fails a command this way after its retries while disconnected (maxRetriesPerRequest).
  if (error.name === 'MaxRetriesPerRequestError') return true;
  return (
    CLIENT_MESSAGES.some((message) => error.message.startsWith(message)) ||
    REPLY_PREFIXES.some((prefix) => error.message.startsWith(prefix))
  );
}
