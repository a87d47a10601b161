import { durableEventProgress } from '../durable/channel-events.js';
import { runningEventGoals } from '../durable/event-runs.js';
import { EVENT_ENDING, EVENT_RUNNING } from './channel-event-status.js';
import type { EngineDeps } from './engine-deps.js';

/**
 * Rebuilds the live meter of every running event Redis lacks (a flush, a restart, a launch that died
 * before writing it) from the durable truth: the goal effects its missions logged. Ticks committed in
 * Redis but lost with it before reaching Postgres are re-run by the engine, identically, and count
 * again on the rebuilt meter, so the meter and the log end up equal. Returns the events rebuilt.
 */
export async function rebuildEventBoards(deps: EngineDeps): Promise<string[]> {
  const rows = await runningEventGoals(deps.db);
  if (rows.length === 0) return [];
  const statuses = await deps.store.eventStatuses(rows.map((r) => r.id));
  const rebuilt: string[] = [];
  for (const [i, event] of rows.entries()) {
    if (statuses[i] !== null) continue;
    const { total, byUser } = await durableEventProgress(deps.db, event.id);
    const restored = await deps.store.restoreEventBoard(event.id, {
      progress: total,
      goal: event.goal,
      status: event.goal_reached ? EVENT_ENDING : EVENT_RUNNING,
      top: [...byUser].map(([userId, contribution]) => ({ userId, contribution })),
      highlights: [],
    });
    if (restored) rebuilt.push(event.id);
  }
  if (rebuilt.length > 0)
    deps.logger?.warn({ events: rebuilt }, 'rebuilt channel event meters from Postgres');
  return rebuilt;
}
