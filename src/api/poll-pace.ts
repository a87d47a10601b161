/*
 * When a panel polls again (the poll's nextPollAt): just after the next tick of its missions, sooner
 * while a mission's result is on its way or a lobby fills, and with some jitter so that viewers do not
 * poll in lockstep.
 */

/** Poll this long after a tick is due, so that the tick has landed, in ms. */
const AFTER_TICK_MS = 300;
/** Random spread added to nextPollAt so that viewers do not poll in lockstep, in ms. */
const POLL_JITTER_MS = 400;
/** With no mission running: how often to poll, in ms (faster while waiting in a lobby). */
export const IDLE_POLL_MS = 5_000;
const LOBBY_POLL_MS = 2_000;
/** A mission that ended waits for its result (XP, supplies home): poll again this soon, in ms. */
const SETTLING_POLL_MS = 500;

/** When the viewer of these missions (and lobby, if any) polls next, in ms since the epoch. */
export function nextPollAt(
  missions: readonly { status: string; nextTickAt: number | null; result: unknown }[],
  inLobby: boolean,
  now: number,
): number {
  const nextTicks = missions.map((m) => m.nextTickAt).filter((t): t is number => t !== null);
  // An ended mission without its result yet (a retreat, a last tick) shows its result box soon
  // after, not an idle poll later.
  const settling = missions.some((m) => m.status !== 'active' && m.result === null);
  const base = settling
    ? now + SETTLING_POLL_MS
    : nextTicks.length > 0
      ? Math.max(now, Math.min(...nextTicks)) + AFTER_TICK_MS
      : now + (inLobby ? LOBBY_POLL_MS : IDLE_POLL_MS);
  return Math.round(base + Math.random() * POLL_JITTER_MS);
}
