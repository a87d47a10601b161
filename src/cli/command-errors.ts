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
 * The address a listen() failed to bind because something else holds it, and the variables that chose
 * it (`setting` on the error, else PORT and HOST), or undefined.
 */
function busyAddress(error: unknown): { address: string; setting: string } | undefined {
  const failure = error as { code?: unknown; address?: unknown; port?: unknown; setting?: unknown } | null;
  if (failure?.code !== 'EADDRINUSE') return undefined;
  const host = typeof failure.address === 'string' ? failure.address : 'the address';
  const address =
    typeof failure.port === 'number' ? `${host.includes(':') ? `[${host}]` : host}:${failure.port}` : host;
  return { address, setting: typeof failure.setting === 'string' ? failure.setting : 'PORT (or HOST)' };
}

/** Refuses a running command as `action` refuses one at start: the message alone, exit code 2. */
export function exitRefused(refusal: ConfigError | UsageError): never {
  process.stderr.write(`holdout: ${refusal.message}\n`);
  process.exit(EXIT_USAGE);
}

/**
 * Wraps a command's action: errors a user can fix (configuration, arguments, a port already taken)
 * print one clear line and exit 2; anything else prints its stack (it is a bug or an outage worth
 * reading) and exits 1.
 */
export function action<Args extends unknown[]>(
  run: (...args: Args) => Promise<void>,
): (...args: Args) => Promise<void> {
  return async (...args: Args) => {
    try {
      await run(...args);
    } catch (error) {
      if (error instanceof ConfigError || error instanceof UsageError) exitRefused(error);
      const busy = busyAddress(error);
      if (busy) {
        process.stderr.write(
          `holdout: ${busy.address} is already in use by another process: stop it, or set ${busy.setting} to a free one\n`,
        );
        process.exit(EXIT_USAGE);
      }
      process.stderr.write(
        `holdout: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(EXIT_FAILURE);
    }
  };
}
