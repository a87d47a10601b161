/** Twitch answered with an error that retrying the same request will not fix (4xx other than 429). */
export class HelixError extends Error {
  override readonly name = 'HelixError';
  constructor(
    readonly status: number,
    readonly path: string,
    message: string,
  ) {
    super(`Twitch answered ${status} to ${path}: ${message}`);
  }
}

/** Twitch refused the request for its rate limit; try again at `retryAt` (ms since the epoch). */
export class HelixRateLimitedError extends Error {
  override readonly name = 'HelixRateLimitedError';
  constructor(
    readonly path: string,
    readonly retryAt: number,
  ) {
    super(`Twitch rate-limited ${path} until ${new Date(retryAt).toISOString()}`);
  }
}

/** Twitch could not be reached or kept failing (network errors, 5xx) after the retries. */
export class HelixUnavailableError extends Error {
  override readonly name = 'HelixUnavailableError';
  constructor(
    readonly path: string,
    readonly lastProblem: string,
  ) {
    super(`Twitch is unavailable for ${path}: ${lastProblem}`);
  }
}

/** The feature needs configuration that is missing (an owner id, a client secret). */
export class TwitchNotConfiguredError extends Error {
  override readonly name = 'TwitchNotConfiguredError';
}
