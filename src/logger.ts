import { type Logger, pino } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout (pino); one logger per process, children per component. */
export function createLogger(level: string, name = 'holdout'): Logger {
  return pino({ name, level });
}
