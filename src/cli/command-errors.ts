import { ConfigError } from '../config.js';

/** Exit code for a command refused because of what it was given (config, arguments). */
export const EXIT_USAGE = 2;
/** Exit code for a command that failed while it ran. */
export const EXIT_FAILURE = 1;

/** A refusal the user can fix; printed as its message alone, without a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Wraps a command's action: errors a user can fix print one clear message and exit 2; anything
 * else prints its stack (it is a bug or an outage worth reading) and exits 1.
 */
export function action<Args extends unknown[]>(
  run: (...args: Args) => Promise<void>,
): (...args: Args) => Promise<void> {
  return async (...args: Args) => {
    try {
      await run(...args);
    } catch (error) {
      if (error instanceof ConfigError || error instanceof UsageError) {
        process.stderr.write(`holdout: ${error.message}\n`);
        process.exit(EXIT_USAGE);
      }
      process.stderr.write(
        `holdout: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(EXIT_FAILURE);
    }
  };
}
