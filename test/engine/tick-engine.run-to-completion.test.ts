import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_OPTIONS, type RunningEngine, startEngine } from '../../src/engine/engine.js';
import { reconcile } from '../../src/engine/reconciler.js';
import { retreatMission } from '../../src/engine/retreat-mission.js';
import { startMission } from '../../src/engine/start-mission.js';
import { testAccess } from '../support/ephemeral-test-access.js';
import { auditMissionLogs, auditSurvivorStates } from '../support/mission-log-invariants.js';
import { eventually } from '../support/services.js';
import { createUsersWithSurvivors } from '../support/survivor-fixtures.js';
import { type EngineFixture, engineBackends } from './engine-backends.js';

const TICK_MS = 25;
const FAST = {
  ...DEFAULT_ENGINE_OPTIONS,
  worker: { ...DEFAULT_ENGINE_OPTIONS.worker, pollIntervalMs: 10, lockTtlMs: 1_000 },
  redisLossCheckMs: 50,
};

async function activeMissions(fixture: EngineFixture): Promise<number> {
  const { rows } = await fixture.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM missions WHERE status = 'active'`,
  );
  return rows[0]!.n;
}

describe.each(engineBackends)('the tick engine on $name', ({ open }) => {
  let fixture: EngineFixture;
  let engine: RunningEngine | undefined;
  beforeEach(async () => {
    fixture = await open(TICK_MS);
  });
  afterEach(async () => {
    await engine?.stop();
    engine = undefined;
    await fixture.dispose();
  });

  it('runs solo and group missions to the end, every tick logged once and equal to a reference run', async () => {
    const members = await createUsersWithSurvivors(fixture.db, 14);
    for (const member of members.slice(0, 8)) {
      await startMission(fixture.deps, {
        channelId: 'c1',
        kind: 'solo',
        location: 'flooded-mall',
        difficulty: 1 + (Number(member.survivorId) % 5),
        length: 'short',
        members: [member],
        fromState: 'idle',
      });
    }
    await startMission(fixture.deps, {
      channelId: 'c1',
      kind: 'group',
      location: 'flooded-mall',
      difficulty: 3,
      length: 'short',
      members: members.slice(8, 11),
      fromState: 'idle',
    });
    await startMission(fixture.deps, {
      channelId: 'c1',
      kind: 'group',
      location: 'flooded-mall',
      difficulty: 5,
      length: 'short',
      members: members.slice(11, 14),
      fromState: 'idle',
    });
    engine = await startEngine(fixture.deps, FAST);
    await eventually(async () => (await activeMissions(fixture)) === 0, 'every mission to end', 60_000, 100);
    const audit = await auditMissionLogs(fixture.db, fixture.deps.content);
    expect(audit.problems).toEqual([]);
    expect(audit.missions).toBe(10);
    expect(audit.ended).toBe(10);
    expect(await auditSurvivorStates(fixture.db)).toEqual([]);
    const { rows } = await fixture.db.query<{ state: string }>(`SELECT DISTINCT state FROM survivors`);
    for (const row of rows) expect(['idle', 'recovering', 'dead']).toContain(row.state);
  });

  it('puts a survivor on at most one mission, however many starts race for it', async () => {
    const [member] = await createUsersWithSurvivors(fixture.db, 1);
    const starts = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        startMission(fixture.deps, {
          channelId: 'c1',
          kind: 'solo',
          location: 'flooded-mall',
          difficulty: 1,
          members: [member!],
          fromState: 'idle',
        }),
      ),
    );
    expect(starts.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    for (const failed of starts.filter((s) => s.status === 'rejected')) {
      expect((failed as PromiseRejectedResult).reason).toMatchObject({ code: 'survivor_busy' });
    }
  });

  it('ends a mission early on retreat, logging the retreat as its last tick', async () => {
    const [member] = await createUsersWithSurvivors(fixture.db, 1);
    const { missionId } = await startMission(fixture.deps, {
      channelId: 'c1',
      kind: 'solo',
      location: 'flooded-mall',
      difficulty: 1,
      length: 'long',
      members: [member!],
      fromState: 'idle',
    });
    engine = await startEngine(fixture.deps, FAST);
    await eventually(
      async () => JSON.parse((await fixture.store.getActiveMission(missionId)) ?? '{"tick":0}').tick >= 2,
      'two ticks',
    );
    await expect(retreatMission(fixture.deps, { missionId, userId: 'someone-else' })).rejects.toMatchObject({
      code: 'not_your_mission',
    });
    await retreatMission(fixture.deps, { missionId, userId: member!.userId });
    await eventually(async () => (await activeMissions(fixture)) === 0, 'the mission to end');
    const { rows } = await fixture.db.query<{ status: string }>('SELECT status FROM missions WHERE id = $1', [
      missionId,
    ]);
    expect(rows[0]!.status).toBe('retreated');
    const { rows: last } = await fixture.db.query<{
      encounter_id: string;
      scheduled_at: Date;
      ticked_at: Date;
    }>(
      `SELECT encounter_id, scheduled_at, ticked_at FROM mission_logs
        WHERE mission_id = $1 ORDER BY tick_index DESC LIMIT 1`,
      [missionId],
    );
    expect(last[0]!.encounter_id).toBe('retreat');
    // A retreat is scheduled when the viewer calls it, not at the next tick's future slot.
    expect(last[0]!.scheduled_at.getTime()).toBe(last[0]!.ticked_at.getTime());
    await expect(retreatMission(fixture.deps, { missionId, userId: member!.userId })).rejects.toMatchObject({
      code: 'mission_ended',
    });
    expect((await auditMissionLogs(fixture.db, fixture.deps.content)).problems).toEqual([]);
  });

  it('resumes missions from Postgres after Redis loses its data, re-running lost ticks identically', async () => {
    const members = await createUsersWithSurvivors(fixture.db, 6);
    for (const member of members) {
      await startMission(fixture.deps, {
        channelId: 'c1',
        kind: 'solo',
        location: 'flooded-mall',
        difficulty: 2,
        length: 'short',
        members: [member],
        fromState: 'idle',
      });
    }
    engine = await startEngine(fixture.deps, FAST);
    await eventually(async () => {
      const { rows } = await fixture.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mission_logs');
      return rows[0]!.n >= 12;
    }, 'some ticks to be durable');
    await engine.stop();
    await fixture.loseRedisData();
    engine = await startEngine(fixture.deps, FAST);
    await eventually(async () => (await activeMissions(fixture)) === 0, 'every mission to end', 60_000, 100);
    expect((await auditMissionLogs(fixture.db, fixture.deps.content)).problems).toEqual([]);
  });

  it('finishes a start that died between its Postgres and Redis halves', async () => {
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
    await fixture.loseRedisData();
    const report = await reconcile(fixture.deps);
    expect(report.rebuilt).toEqual([missionId]);
    expect(await testAccess(fixture.store).dueAt(missionId)).not.toBeNull();
    expect((await reconcile(fixture.deps)).rebuilt).toEqual([]);
  });
});
