import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_OPTIONS, startEngine } from '../../src/engine/engine.js';
import { startMission } from '../../src/engine/start-mission.js';
import { type EngineFixture, engineBackends } from '../engine/engine-backends.js';
import { runHoldout } from '../support/holdout-process.js';
import { eventually, TEST_REDIS_URL, uniqueName } from '../support/services.js';
import { createUsersWithSurvivors } from '../support/survivor-fixtures.js';

const postgresAndRedis = engineBackends.find((backend) => backend.name === 'Postgres + Redis')!;

// Each holdout process takes 15-20 s to start on a loaded 2-core machine (measured): timeouts allow for it.
describe('holdout reconcile on a mission log with a gap', () => {
  let fixture: EngineFixture;
  let missionId: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    fixture = await postgresAndRedis.open(20);
    env = {
      DATABASE_URL: (fixture.db as { url?: string }).url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: `${uniqueName('reconcile-cli')}:`,
    };
    const [member] = await createUsersWithSurvivors(fixture.db, 1);
    ({ missionId } = await startMission(fixture.deps, {
      channelId: 'c1',
      kind: 'solo',
      location: 'flooded-mall',
      difficulty: 2,
      length: 'short',
      members: [member!],
      fromState: 'idle',
    }));
    const engine = await startEngine(fixture.deps, {
      ...DEFAULT_ENGINE_OPTIONS,
      worker: { ...DEFAULT_ENGINE_OPTIONS.worker, pollIntervalMs: 10 },
    });
    await eventually(
      async () => {
        const { rows } = await fixture.db.query<{ status: string }>(
          'SELECT status FROM missions WHERE id = $1',
          [missionId],
        );
        return rows[0]?.status !== 'active';
      },
      'the mission to end',
      60_000,
    );
    await engine.stop();
  }, 120_000);
  afterAll(async () => {
    await fixture?.dispose();
  });

  it('re-derives the missing ticks, says so, and replay --verify passes afterwards', async () => {
    // The state issue 12 found: a mission completed with ticks missing from its durable log.
    await fixture.db.query('DELETE FROM mission_logs WHERE mission_id = $1 AND tick_index IN (3, 5)', [
      missionId,
    ]);
    const before = await runHoldout(['replay', missionId, '--verify'], env);
    expect(before.output).toMatch(/differs from its replay at tick 3/);
    expect(before.code).toBe(1);

    const reconciled = await runHoldout(['reconcile'], env);
    expect(reconciled.output).toContain(
      `repaired 1 mission log(s) with a gap, 2 tick(s) re-derived: ${missionId}`,
    );
    expect(reconciled.code).toBe(0);

    const after = await runHoldout(['replay', missionId, '--verify'], env);
    expect(after.output).toMatch(/logged ticks match the replay/);
    expect(after.code).toBe(0);
    const again = await runHoldout(['reconcile', '--json'], env);
    expect(JSON.parse(again.output.trim().split('\n').pop()!)).toMatchObject({
      repaired: [],
      unrepairable: [],
    });
  }, 120_000);

  it('exits 1 and names the mission when its log contradicts its replay', async () => {
    await fixture.db.query(
      `UPDATE mission_logs SET text = 'Nothing happened, honestly.' WHERE mission_id = $1 AND tick_index = 2`,
      [missionId],
    );
    await fixture.db.query('DELETE FROM mission_logs WHERE mission_id = $1 AND tick_index = 4', [missionId]);
    const reconciled = await runHoldout(['reconcile'], env);
    expect(reconciled.output).toContain(
      `mission ${missionId}: the log differs from its replay at tick 2 (text)`,
    );
    expect(reconciled.code).toBe(1);
  }, 180_000);

  it('refuses a look-back that is not a number of hours', async () => {
    const refused = await runHoldout(['reconcile', '--lookback-hours', 'lots'], env);
    expect(refused.output).toMatch(/--lookback-hours expects a number of hours/);
    expect(refused.code).toBe(2);
  }, 60_000);
});
