import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ActiveMissionRecord,
  parseActiveMissionRecord,
} from '../../src/engine/active-mission-record.js';
import type { EngineDeps } from '../../src/engine/engine-deps.js';
import { ChoiceClosedError } from '../../src/engine/engine-errors.js';
import { castChoice } from '../../src/engine/mission-choice.js';
import { repairMissionLogs } from '../../src/engine/mission-log-repair.js';
import { OutboxFlusher } from '../../src/engine/outbox-flusher.js';
import { reconcile } from '../../src/engine/reconciler.js';
import { startMission } from '../../src/engine/start-mission.js';
import { DEFAULT_TICK_WORKER_OPTIONS, TickWorker } from '../../src/engine/tick-worker.js';
import type { EphemeralStore } from '../../src/ephemeral/ephemeral-store.js';
import { simulateTick, type TickEffect } from '../../src/game/index.js';
import { runHoldout } from '../support/holdout-process.js';
import { auditMissionLogs } from '../support/mission-log-invariants.js';
import { eventually } from '../support/services.js';
import { createUsersWithSurvivors } from '../support/survivor-fixtures.js';
import { type EngineFixture, engineBackends } from './engine-backends.js';

const TICK_MS = 1_000;
/** The choice that opens after tick 8 applies at tick 10 (rules.json: choiceEvery 8, choiceWindow 2). */
const DECIDES_AT = 10;

/*
 * The viewers' choices reach the tick that applies them, exactly once: cast through the engine's service
 * (what POST /v1/missions/:id/choice calls), read and closed by the worker, logged in the tick's effects,
 * reproduced by replay --verify, and the same after a crash, a re-run, or a rebuild from Postgres.
 */
describe.each(engineBackends)('choices inside a mission on $name', { timeout: 120_000 }, (backend) => {
  let fixture: EngineFixture;
  let deps: EngineDeps;
  let clock: number;
  beforeEach(async () => {
    fixture = await backend.open(TICK_MS);
    clock = Date.now();
    // A pinned clock: each tick is due when the test says so, not when the machine gets round to it.
    deps = { ...fixture.deps, clock: () => clock };
  });
  afterEach(async () => {
    await fixture.dispose();
  });

  const store = () => fixture.deps.store;
  const record = async (id: string): Promise<ActiveMissionRecord> =>
    parseActiveMissionRecord((await store().getActiveMission(id))!);

  /** Runs the mission's ticks until it has run `tick` of them (each due in turn on the pinned clock). */
  async function tickUntil(worker: TickWorker, id: string, tick: number): Promise<void> {
    while ((await record(id)).tick < tick) {
      clock += TICK_MS;
      await worker.runBatch();
    }
  }

  async function runToEnd(worker: TickWorker, id: string): Promise<void> {
    const flusher = new OutboxFlusher({ ...deps, store: store() });
    for (let i = 0; i < 200; i++) {
      clock += TICK_MS;
      await worker.runBatch();
      await flusher.flushBatch();
      const { rows } = await fixture.db.query<{ status: string }>(
        'SELECT status FROM missions WHERE id = $1',
        [id],
      );
      if (rows[0]?.status !== 'active') return;
    }
    throw new Error(`mission ${id} did not end`);
  }

  async function loggedEffects(id: string, tick: number): Promise<TickEffect[]> {
    const { rows } = await fixture.db.query<{ effects: TickEffect[] }>(
      'SELECT effects FROM mission_logs WHERE mission_id = $1 AND tick_index = $2',
      [id, tick],
    );
    return rows[0]!.effects;
  }

  async function start(members: Awaited<ReturnType<typeof createUsersWithSurvivors>>) {
    const { missionId } = await startMission(deps, {
      channelId: 'c1',
      kind: members.length > 1 ? 'group' : 'solo',
      location: 'maple-row-suburbs',
      difficulty: 1,
      length: 'standard',
      members,
      fromState: 'idle',
    });
    return missionId;
  }

  it("applies a solo viewer's choice at its tick, logs it as the tick's input, and replays it", async () => {
    const [viewer] = await createUsersWithSurvivors(fixture.db, 1);
    const missionId = await start([viewer!]);
    const worker = new TickWorker(deps);
    await tickUntil(worker, missionId, 7);
    await expect(castChoice(deps, { missionId, userId: viewer!.userId, stance: 'sneak' })).rejects.toThrow(
      ChoiceClosedError,
    );
    await tickUntil(worker, missionId, 8);
    const view = await castChoice(deps, { missionId, userId: viewer!.userId, stance: 'sneak' });
    expect(view).toMatchObject({ decidesAt: DECIDES_AT, current: 'push', leading: 'sneak', mine: 'sneak' });
    expect(view.votes).toEqual({ sneak: 1 });
    expect(view.closesAt).toBe((await record(missionId)).startedAt + DECIDES_AT * TICK_MS);

    await tickUntil(worker, missionId, DECIDES_AT - 1);
    const before = (await record(missionId)).state;
    expect(before.status).toBe('active');
    await tickUntil(worker, missionId, DECIDES_AT);
    const after = await record(missionId);
    // What the game does with the choice, and without it: the committed tick is the first.
    const chosen = simulateTick(before, deps.content, { stance: 'sneak' });
    const unchosen = simulateTick(before, deps.content, {});
    expect(after.state).toEqual(chosen.state);
    expect(after.state.stance).toBe('sneak');
    expect(chosen.log.effects).not.toEqual(unchosen.log.effects);
    // The vote is closed: a late vote is refused, as is one once the tick moved on.
    await expect(castChoice(deps, { missionId, userId: viewer!.userId, stance: 'rest' })).rejects.toThrow(
      ChoiceClosedError,
    );

    await runToEnd(worker, missionId);
    expect(await loggedEffects(missionId, DECIDES_AT)).toContainEqual({ t: 'stance', s: 'sneak' });
    const audit = await auditMissionLogs(fixture.db, deps.content);
    expect(audit.problems).toEqual([]);

    // The decision tick's row is lost: the log repair re-derives it with the stance the lines after it
    // show (its input went with the row), not the default, and the mission still replays.
    await fixture.db.query('DELETE FROM mission_logs WHERE mission_id = $1 AND tick_index = $2', [
      missionId,
      DECIDES_AT,
    ]);
    const repaired = await repairMissionLogs(deps, { endedWithinMs: 3_600_000, settleMs: 0, limit: 10 });
    expect(repaired.unrepairable).toEqual([]);
    expect(repaired.repaired).toEqual([{ missionId, ticks: [DECIDES_AT] }]);
    expect(await loggedEffects(missionId, DECIDES_AT)).toContainEqual({ t: 'stance', s: 'sneak' });
    expect((await auditMissionLogs(fixture.db, deps.content)).problems).toEqual([]);
    const url = (fixture.db as { url?: string }).url;
    if (url) {
      const verified = await runHoldout(['replay', missionId, '--verify'], { DATABASE_URL: url });
      expect(verified.output).toMatch(/logged ticks match the replay/);
      expect(verified.code).toBe(0);
    }
  });

  it('runs a tick again after a crash with the votes it read, refusing votes cast after, and rebuilds it from the log', async () => {
    const [first, second] = await createUsersWithSurvivors(fixture.db, 2);
    const missionId = await start([first!, second!]);
    const fastLocks = { ...DEFAULT_TICK_WORKER_OPTIONS, lockTtlMs: 200 };
    const worker = new TickWorker(deps, fastLocks);
    await tickUntil(worker, missionId, DECIDES_AT - 1);
    expect((await castChoice(deps, { missionId, userId: first!.userId, stance: 'sneak' })).leading).toBe(
      'sneak',
    );

    // A worker that reads the votes and dies before its commit lands.
    const crashing: EphemeralStore = new Proxy(store(), {
      get(target, property) {
        if (property === 'commitTicks') return () => Promise.reject(new Error('killed before the commit'));
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const doomed = new TickWorker({ ...deps, store: crashing }, fastLocks);
    clock += TICK_MS;
    await expect(doomed.runBatch()).rejects.toThrow('killed before the commit');
    expect((await record(missionId)).tick).toBe(DECIDES_AT - 1);

    // The second viewer's vote comes after the dead worker read the votes: refused, so it cannot make a
    // tie (which would keep 'push') and give the re-run another input than the one already decided.
    await expect(castChoice(deps, { missionId, userId: second!.userId, stance: 'rest' })).rejects.toThrow(
      ChoiceClosedError,
    );
    // Another worker takes the mission once the dead one's lock lapses, and runs the tick with the same votes.
    await eventually(
      async () => {
        clock += 250;
        return (await worker.runBatch()).committed === 1;
      },
      'the lapsed lock to let another worker run the tick',
      10_000,
      50,
    );
    const rerun = await record(missionId);
    expect(rerun.tick).toBe(DECIDES_AT);
    expect(rerun.state.stance).toBe('sneak');

    // Redis loses everything (votes included): the rebuild folds the logged input back in.
    const flusher = new OutboxFlusher({ ...deps, store: store() });
    await eventually(
      async () => (await flusher.flushBatch()) === 0 && (await store().outboxDepth()) === 0,
      'flush',
    );
    await fixture.loseRedisData();
    const reconciled = await reconcile({ ...deps, store: store() });
    expect(reconciled.rebuilt).toEqual([missionId]);
    expect((await record(missionId)).state.stance).toBe('sneak');
    const after = new TickWorker({ ...deps, store: store() });
    await runToEnd(after, missionId);
    expect(await loggedEffects(missionId, DECIDES_AT)).toContainEqual({ t: 'stance', s: 'sneak' });
    const audit = await auditMissionLogs(fixture.db, deps.content);
    expect(audit.problems).toEqual([]);
  });
});
