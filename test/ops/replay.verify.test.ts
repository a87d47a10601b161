import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_OPTIONS, startEngine } from '../../src/engine/engine.js';
import { startMission } from '../../src/engine/start-mission.js';
import { type EngineFixture, engineBackends } from '../engine/engine-backends.js';
import { runHoldout } from '../support/holdout-process.js';
import { eventually } from '../support/services.js';
import { createUsersWithSurvivors } from '../support/survivor-fixtures.js';

const postgresAndRedis = engineBackends.find((backend) => backend.name === 'Postgres + Redis')!;

describe('holdout replay', () => {
  let fixture: EngineFixture & { db: { url?: string } };
  let missionId: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    fixture = await postgresAndRedis.open(20);
    env = { DATABASE_URL: (fixture.db as { url?: string }).url };
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
    await eventually(async () => {
      const { rows } = await fixture.db.query<{ status: string }>(
        'SELECT status FROM missions WHERE id = $1',
        [missionId],
      );
      return rows[0]?.status !== 'active';
    }, 'the mission to end');
    await engine.stop();
  });
  afterAll(async () => {
    await fixture?.dispose();
  });

  it("prints a mission's durable log", async () => {
    const { code, output } = await runHoldout(['replay', missionId], env);
    expect(code).toBe(0);
    expect(output).toMatch(new RegExp(`mission ${missionId} · solo · flooded-mall · difficulty 2`));
    expect(output).toMatch(/^\s+1 {2}\S+/m);
  });

  it('verifies a finished mission clean against a re-run from its seed', async () => {
    const { code, output } = await runHoldout(['replay', missionId, '--verify'], env);
    expect(output).toMatch(/logged ticks match the replay/);
    expect(code).toBe(0);
  });

  it('reports a tampered log row at the right tick and exits 1', async () => {
    await fixture.db.query(
      `UPDATE mission_logs SET text = 'Nothing happened, honestly.' WHERE mission_id = $1 AND tick_index = 4`,
      [missionId],
    );
    const { code, output } = await runHoldout(['replay', missionId, '--verify', '--json'], env);
    expect(code).toBe(1);
    const report = JSON.parse(output.trim().split('\n').pop()!) as {
      firstDifference: { tick: number; field: string; actual: string };
    };
    expect(report.firstDifference).toMatchObject({
      tick: 4,
      field: 'text',
      actual: 'Nothing happened, honestly.',
    });
  });

  it('refuses an unknown or malformed mission id with exit code 2', async () => {
    expect((await runHoldout(['replay', '999999'], env)).code).toBe(2);
    const malformed = await runHoldout(['replay', '1; DROP TABLE missions'], env);
    expect(malformed.code).toBe(2);
    expect(malformed.output).toMatch(/expected a mission id/);
  });
});
