import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertLogRows } from '../../src/durable/mission-logs.js';
import { parseActiveMissionRecord } from '../../src/engine/active-mission-record.js';
import { completeMission, MissionLogIncompleteError } from '../../src/engine/complete-mission.js';
import { parseLogRow } from '../../src/engine/log-row.js';
import { OutboxFlusher } from '../../src/engine/outbox-flusher.js';
import { DEFAULT_RECONCILE_OPTIONS, reconcile } from '../../src/engine/reconciler.js';
import { startMission } from '../../src/engine/start-mission.js';
import { TickWorker } from '../../src/engine/tick-worker.js';
import { auditMissionLogs, auditSurvivorStates } from '../support/mission-log-invariants.js';
import { eventually } from '../support/services.js';
import { createUsersWithSurvivors } from '../support/survivor-fixtures.js';
import { type EngineFixture, engineBackends } from './engine-backends.js';

const TICK_MS = 10;
const HOUR_MS = 3_600_000;
/** Every gap counts at once, as `holdout reconcile` has it. */
const NOW = { ...DEFAULT_RECONCILE_OPTIONS, repairSettleMs: 0 };
/** PGlite on a loaded 2-core machine took up to 35 s for one of these; generous margin. */
const TEST_TIMEOUT_MS = 120_000;

describe.each(engineBackends)('a mission log with a gap, on $name', ({ open }) => {
  let fixture: EngineFixture;
  beforeEach(async () => {
    fixture = await open(TICK_MS);
  });
  afterEach(async () => {
    await fixture.dispose();
  });

  async function status(missionId: string): Promise<string> {
    const { rows } = await fixture.db.query<{ status: string }>('SELECT status FROM missions WHERE id = $1', [
      missionId,
    ]);
    return rows[0]!.status;
  }

  async function loggedTicks(missionId: string): Promise<number[]> {
    const { rows } = await fixture.db.query<{ tick_index: number }>(
      'SELECT tick_index FROM mission_logs WHERE mission_id = $1 ORDER BY tick_index',
      [missionId],
    );
    return rows.map((row) => row.tick_index);
  }

  /** A short solo mission ticked to its end in Redis only: every row is still in the outbox. */
  async function missionTickedInRedis(): Promise<{ missionId: string; ticks: number }> {
    const [member] = await createUsersWithSurvivors(fixture.db, 1);
    const { missionId } = await startMission(fixture.deps, {
      channelId: 'c1',
      kind: 'solo',
      location: 'flooded-mall',
      difficulty: 1,
      length: 'short',
      members: [member!],
      fromState: 'idle',
    });
    const worker = new TickWorker(fixture.deps, {
      pollIntervalMs: 5,
      batchSize: 10,
      lockTtlMs: 5_000,
      outboxMaxDepth: 1_000,
    });
    const record = await eventually(
      async () => {
        await worker.runBatch();
        const json = await fixture.store.getActiveMission(missionId);
        const parsed = json ? parseActiveMissionRecord(json) : null;
        return parsed?.state.status !== 'active' ? parsed : null;
      },
      'the mission to tick to its end in Redis',
      20_000,
      5,
    );
    expect(await fixture.store.outboxDepth()).toBe(record.tick);
    return { missionId, ticks: record.tick };
  }

  /** Tick 1's outbox entry, read by a flusher that then died: pending, unacknowledged, unwritten. */
  async function firstTickHeldByADeadFlusher() {
    const [held] = await fixture.store.readOutbox('flusher-that-died', 1);
    expect(parseLogRow(held!.row).tick).toBe(1);
    return held!;
  }

  it(
    'does not complete a mission whose final row lands before an earlier tick, then completes it when that tick lands',
    async () => {
      const { missionId, ticks } = await missionTickedInRedis();
      const held = await firstTickHeldByADeadFlusher();
      const flusher = new OutboxFlusher(fixture.deps, { batchSize: 1_000, reclaimIdleMs: 60_000 });
      expect(await flusher.flushBatch()).toBe(ticks - 2);
      expect(await loggedTicks(missionId)).toHaveLength(ticks - 1);
      expect(await status(missionId)).toBe('active');
      expect(flusher.deferredCompletions).toBe(1);
      const record = parseActiveMissionRecord((await fixture.store.getActiveMission(missionId))!);
      await expect(completeMission(fixture.deps, missionId, record.state)).rejects.toBeInstanceOf(
        MissionLogIncompleteError,
      );
      // The engine's reconciler leaves a fresh gap to the flushers (the tick may be about to land).
      expect((await reconcile(fixture.deps)).repaired).toEqual([]);
      expect(await status(missionId)).toBe('active');

      // Another flusher writes the missing tick; this one's retry then completes the mission.
      await insertLogRows(fixture.db, [held.row]);
      await fixture.store.ackOutbox([held.id]);
      await eventually(async () => {
        await flusher.flushBatch();
        return (await status(missionId)) !== 'active';
      }, 'the deferred completion to run');
      expect(flusher.deferredCompletions).toBe(0);
      expect(await fixture.store.outboxDepth()).toBe(0);
      expect((await auditMissionLogs(fixture.db, fixture.deps.content)).problems).toEqual([]);
      expect(await auditSurvivorStates(fixture.db)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'completes it once a live flusher takes over the dead one’s entry',
    async () => {
      const { missionId } = await missionTickedInRedis();
      await firstTickHeldByADeadFlusher();
      const first = new OutboxFlusher(fixture.deps, { batchSize: 1_000, reclaimIdleMs: 60_000 });
      await first.flushBatch();
      expect(await status(missionId)).toBe('active');
      const taker = new OutboxFlusher(fixture.deps, { batchSize: 1_000, reclaimIdleMs: 50 });
      await eventually(async () => {
        await taker.flushBatch();
        return (await status(missionId)) !== 'active';
      }, 'the dead flusher’s entry to be taken over and the mission completed');
      await eventually(async () => {
        await first.flushBatch();
        return first.deferredCompletions === 0 && (await fixture.store.outboxDepth()) === 0;
      }, 'the deferred entry to be acknowledged');
      expect((await auditMissionLogs(fixture.db, fixture.deps.content)).problems).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'repairs the gap from the seed when Redis lost the missing tick, then completes the mission',
    async () => {
      const { missionId, ticks } = await missionTickedInRedis();
      await firstTickHeldByADeadFlusher();
      await new OutboxFlusher(fixture.deps, { batchSize: 1_000, reclaimIdleMs: 60_000 }).flushBatch();
      await fixture.loseRedisData();
      const report = await reconcile(fixture.deps, NOW);
      expect(report.repaired).toEqual([{ missionId, ticks: [1] }]);
      expect(report.completed).toEqual([missionId]);
      expect(report.unrepairable).toEqual([]);
      expect(await loggedTicks(missionId)).toEqual(Array.from({ length: ticks }, (_, i) => i + 1));
      expect(await status(missionId)).not.toBe('active');
      expect((await auditMissionLogs(fixture.db, fixture.deps.content)).problems).toEqual([]);
      expect(await auditSurvivorStates(fixture.db)).toEqual([]);
      // A second pass finds nothing left to do.
      expect((await reconcile(fixture.deps, NOW)).repaired).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'repairs an ended mission completed with a gap, within the look-back window only',
    async () => {
      const { missionId, ticks } = await missionTickedInRedis();
      await new OutboxFlusher(fixture.deps, { batchSize: 1_000, reclaimIdleMs: 60_000 }).flushBatch();
      expect(await status(missionId)).not.toBe('active');
      // As a completion before completions waited for a complete log could leave it.
      await fixture.db.query('DELETE FROM mission_logs WHERE mission_id = $1 AND tick_index IN (2, 3)', [
        missionId,
      ]);
      await fixture.db.query(`UPDATE missions SET ended_at = now() - interval '2 hours' WHERE id = $1`, [
        missionId,
      ]);
      expect((await reconcile(fixture.deps, NOW)).repaired).toEqual([]);
      const report = await reconcile(fixture.deps, { ...NOW, repairEndedWithinMs: 3 * HOUR_MS });
      expect(report.repaired).toEqual([{ missionId, ticks: [2, 3] }]);
      expect(report.completed).toEqual([]);
      expect(await loggedTicks(missionId)).toHaveLength(ticks);
      expect((await auditMissionLogs(fixture.db, fixture.deps.content)).problems).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'writes nothing for a log that contradicts its replay, and reports it',
    async () => {
      const { missionId } = await missionTickedInRedis();
      await new OutboxFlusher(fixture.deps, { batchSize: 1_000, reclaimIdleMs: 60_000 }).flushBatch();
      await fixture.db.query(
        `UPDATE mission_logs SET text = 'Nothing happened, honestly.' WHERE mission_id = $1 AND tick_index = 2`,
        [missionId],
      );
      await fixture.db.query('DELETE FROM mission_logs WHERE mission_id = $1 AND tick_index = 3', [
        missionId,
      ]);
      const report = await reconcile(fixture.deps, NOW);
      expect(report.repaired).toEqual([]);
      expect(report.unrepairable).toEqual([{ missionId, reason: expect.stringMatching(/tick 2 \(text\)/) }]);
      expect(await loggedTicks(missionId)).not.toContain(3);
    },
    TEST_TIMEOUT_MS,
  );
});
