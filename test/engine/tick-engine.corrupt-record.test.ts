import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseActiveMissionRecord } from '../../src/engine/active-mission-record.js';
import { reconcile } from '../../src/engine/reconciler.js';
import { startMission } from '../../src/engine/start-mission.js';
import { TickWorker } from '../../src/engine/tick-worker.js';
import { testAccess } from '../support/ephemeral-test-access.js';
import { createUsersWithSurvivors } from '../support/survivor-fixtures.js';
import { type EngineFixture, engineBackends } from './engine-backends.js';

// PGlite's first open took up to 40 s on a loaded machine.
describe.each(engineBackends)('a corrupt mission record on $name', { timeout: 120_000 }, ({ open }) => {
  let fixture: EngineFixture;
  beforeEach(async () => {
    fixture = await open(25);
  });
  afterEach(async () => {
    await fixture.dispose();
  });

  for (const [what, corrupt] of [
    ['unparsable', '{"tick":3,'],
    ['schema-invalid', '{"tick":"three","id":7}'],
  ] as const) {
    it(`is quarantined when ${what}, not retried forever, and rebuilt from Postgres by the reconciler`, async () => {
      const { store } = fixture;
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
      await testAccess(store).setActiveMission(missionId, corrupt);
      await testAccess(store).scheduleMission(missionId, 0);
      const worker = new TickWorker(fixture.deps);
      const report = await worker.runBatch();
      expect(report).toMatchObject({ claimed: 1, committed: 0 });
      // Moved aside: no longer due, no longer a record, kept for a post-mortem, lock released.
      expect(await testAccess(store).dueAt(missionId)).toBeNull();
      expect(await store.getActiveMission(missionId)).toBeNull();
      expect(await store.getValue(store.keys.quarantinedMission(missionId))).toBe(corrupt);
      expect(await store.getValue(store.keys.tickLock(missionId))).toBeNull();
      expect((await worker.runBatch()).claimed).toBe(0);

      const reconciled = await reconcile(fixture.deps);
      expect(reconciled.rebuilt).toEqual([missionId]);
      const rebuilt = parseActiveMissionRecord((await store.getActiveMission(missionId))!);
      expect(rebuilt).toMatchObject({ id: missionId, tick: 0 });
      expect(await testAccess(store).dueAt(missionId)).not.toBeNull();
    });
  }
});
