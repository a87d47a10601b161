/*
 * What ending a recovery now costs. A module of its own with no imports, so that the panel shows the
 * very price the API charges without bundling the rest of the rules.
 */

/** Recovery is priced by the started minute still to rest, in ms. */
export const PRICED_MINUTE_MS = 60_000;

/** `recoverPerMinute` supplies for every started minute between `now` and `stateUntil` (ms epochs). */
export function recoveryPrice(stateUntil: number, now: number, recoverPerMinute: number): number {
  return Math.ceil(Math.max(0, stateUntil - now) / PRICED_MINUTE_MS) * recoverPerMinute;
}
