import { randomUUID } from 'node:crypto';
import { isDurableId } from '../durable/durable-id.js';
import { missionStatus } from '../durable/missions.js';
import { retreatTick } from '../game/index.js';
import { advanceRecord, parseActiveMissionRecord, serializeRecord } from './active-mission-record.js';
import { type EngineDeps, now } from './engine-deps.js';
import {
  MissionBusyError,
  MissionEndedError,
  MissionNotFoundError,
  NotYourMissionError,
} from './engine-errors.js';
import { logRowFor } from './log-row.js';

/** How long the retreat holds the mission's tick lock, in ms: one tick's work, with margin. */
const RETREAT_LOCK_TTL_MS = 2_000;
/** A worker holds a mission's lock for milliseconds; wait for it this many times. */
const LOCK_ATTEMPTS = 40;
const LOCK_RETRY_MS = 25;

async function acquireTickLock(deps: EngineDeps, missionId: string, token: string): Promise<boolean> {
  for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
    if (await deps.store.acquireLock(deps.store.keys.tickLock(missionId), token, RETREAT_LOCK_TTL_MS))
      return true;
    await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
  }
  return false;
}

/** Why a mission Redis does not hold cannot be acted on: unknown, ended, or about to be rebuilt. */
export async function explainMissing(deps: EngineDeps, missionId: string): Promise<never> {
  const status = await missionStatus(deps.db, missionId);
  if (status === null) throw new MissionNotFoundError(missionId);
  if (status !== 'active') throw new MissionEndedError(missionId);
  // Active in Postgres but not in Redis: the reconciler is about to rebuild it.
  throw new MissionBusyError(missionId);
}

/**
 * A viewer calls their party home. The retreat is a tick of its own, committed under the mission's
 * tick lock with the same fencing as a worker's tick, so it can never interleave with one.
 */
export async function retreatMission(
  deps: EngineDeps,
  input: { missionId: string; userId: string },
): Promise<void> {
  const { missionId, userId } = input;
  if (!isDurableId(missionId)) throw new MissionNotFoundError(missionId);
  const token = randomUUID();
  if (!(await acquireTickLock(deps, missionId, token))) throw new MissionBusyError(missionId);
  let committed = false;
  try {
    const json = await deps.store.getActiveMission(missionId);
    if (json === null) return await explainMissing(deps, missionId);
    const record = parseActiveMissionRecord(json);
    if (!record.members.some((member) => member.userId === userId)) throw new NotYourMissionError(missionId);
    if (record.state.status !== 'active') throw new MissionEndedError(missionId);
    const { state, log } = retreatTick(record.state, deps.content);
    const tickedAt = now(deps);
    const next = advanceRecord(record, state, log, tickedAt);
    const [outcome] = await deps.store.commitTicks([
      {
        missionId,
        token,
        expectedTick: record.tick,
        recordJson: serializeRecord(next),
        nextTickAt: null,
        // A retreat is not on the mission's schedule: it is due when the viewer calls it, so its row's
        // scheduled time is now (the slot of tick N+1 lies in the future). Fixed here, in the outbox
        // row, so a retried flush still lands on one key.
        outboxRow: JSON.stringify(logRowFor(missionId, log, tickedAt, tickedAt, state)),
      },
    ]);
    committed = outcome === 'committed';
    if (!committed) throw new MissionBusyError(missionId);
  } finally {
    if (!committed) await deps.store.releaseLock(deps.store.keys.tickLock(missionId), token);
  }
}
