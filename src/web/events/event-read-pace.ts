import type { ChannelEvent } from '../api/api-types.js';

/**
 * How often a view reads the channel's event without broadcasts, in ms: often while one signs up or
 * runs, rarely otherwise (the server reads a channel's event once a second however many ask).
 */
export const EVENT_POLL_OPEN_MS = 2_000;
export const EVENT_POLL_IDLE_MS = 10_000;

/**
 * With Extension PubSub broadcasts every change of the event is announced (`"event": true`: opened,
 * joined, started, a milestone, ended), and the view reads it within a second of the notice. While none
 * is open, this timed read only covers a lost notice: every 5 minutes on average, spread per viewer over
 * 2.5–7.5 minutes so that a channel's viewers do not read together (0.2 requests a viewer-minute).
 */
export const EVENT_SAFETY_READ_MS = 300_000;
/**
 * With broadcasts, while one signs up: a join, the start and a cancel are announced and the countdown
 * runs on the view's clock, so the timed read only bounds a lost start notice (the sign-up lasts minutes).
 */
export const EVENT_SIGNUP_PUSH_MS = 30_000;
/**
 * With broadcasts, while one runs: its progress moves with its participants' ticks (every 5 s) and only
 * its milestones are announced, so the meter reads at the tick pace, not faster.
 */
export const EVENT_RUNNING_PUSH_MS = 5_000;

/** The same spread of the safety read for every viewer's delay: 0.5–1.5 times the interval. */
const spreadOf = (ms: number, random: () => number) => ms * (0.5 + random());

/**
 * How long until the view reads the channel's event again, after a read that found `event` (or failed:
 * `undefined`). `safetyMs` replaces EVENT_SAFETY_READ_MS (a test's short one).
 */
export function nextEventReadMs(
  event: ChannelEvent | null | undefined,
  push: boolean,
  random: () => number = Math.random,
  safetyMs: number = EVENT_SAFETY_READ_MS,
): number {
  const status = event?.status;
  if (!push) return status === 'signup' || status === 'running' ? EVENT_POLL_OPEN_MS : EVENT_POLL_IDLE_MS;
  if (status === 'running') return EVENT_RUNNING_PUSH_MS;
  // A failed read with broadcasts: try again at the sign-up pace, not at once and not minutes later.
  if (status === 'signup' || event === undefined) return EVENT_SIGNUP_PUSH_MS;
  return spreadOf(safetyMs, random);
}
