import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMissionRows } from '../../src/durable/missions.js';
import { wakeRecoveredSurvivors } from '../../src/durable/survivors.js';
import type { MissionMember } from '../../src/engine/active-mission-record.js';
import { joinChannelEvent, openChannelEvent } from '../../src/engine/channel-event-signup.js';
import { launchChannelEvent } from '../../src/engine/launch-channel-event.js';
import { startMission } from '../../src/engine/start-mission.js';
import { createUsersWithSurvivors } from '../support/survivor-fixtures.js';
import { type EngineFixture, engineBackends } from './engine-backends.js';

/** A survivor that came home hurt and tired and whose recovery ended a minute ago. */
async function recoveredHurt(fixture: EngineFixture, member: MissionMember): Promise<void> {
  await fixture.db.query(
    `UPDATE survivors SET state = 'recovering', state_until = now() - interval '1 minute', health = 1, stamina = 1
      WHERE id = $1`,
    [member.survivorId],
  );
}

async function maxima(fixture: EngineFixture, member: MissionMember) {
  const { rows } = await fixture.db.query<{ max_health: number; max_stamina: number }>(
    'SELECT max_health, max_stamina FROM survivors WHERE id = $1',
    [member.survivorId],
  );
  const row = rows[0]!;
  expect(row.max_health).toBeGreaterThan(1);
  return { health: row.max_health, stamina: row.max_stamina };
}

async function startingHealth(fixture: EngineFixture, missionId: string) {
  const [mission] = await loadMissionRows(fixture.db, [missionId]);
  const [survivor] = mission!.start_snapshot.party;
  return { health: survivor!.health, stamina: survivor!.stamina };
}

describe.each(engineBackends)('a survivor whose recovery is over, on $name', ({ open }) => {
  let fixture: EngineFixture;
  beforeEach(async () => {
    fixture = await open(1_000);
  });
  afterEach(async () => {
    await fixture.dispose();
  });

  it('wakes up idle with full health and stamina when the viewer is next seen', async () => {
    const [member] = await createUsersWithSurvivors(fixture.db, 1, 'wake');
    await recoveredHurt(fixture, member!);
    expect(await wakeRecoveredSurvivors(fixture.db, member!.userId, Date.now())).toBe(1);
    const { rows } = await fixture.db.query<{ state: string; health: number; stamina: number }>(
      'SELECT state, health, stamina FROM survivors WHERE id = $1',
      [member!.survivorId],
    );
    expect(rows[0]).toEqual({ state: 'idle', ...(await maxima(fixture, member!)) });
  });

  it('starts a solo mission with full health and stamina, not the health it came home with', async () => {
    const [member] = await createUsersWithSurvivors(fixture.db, 1, 'solo');
    await recoveredHurt(fixture, member!);
    const { missionId } = await startMission(fixture.deps, {
      channelId: 'c1',
      kind: 'solo',
      location: 'flooded-mall',
      difficulty: 1,
      members: [member!],
      fromState: 'idle',
    });
    expect(await startingHealth(fixture, missionId)).toEqual(await maxima(fixture, member!));
  });

  it("goes on a channel event's mission with full health and stamina", async () => {
    const [member] = await createUsersWithSurvivors(fixture.db, 1, 'event');
    const event = await openChannelEvent(fixture.deps, {
      channelId: 'c1',
      kind: 'horde_night',
      location: 'flooded-mall',
      difficulty: 1,
      openedBy: 'broadcaster-1',
    });
    await joinChannelEvent(fixture.deps, { channelId: 'c1', eventId: event.id, ...member! });
    await recoveredHurt(fixture, member!);
    await fixture.db.query('UPDATE channel_events SET signup_ends_at = now() WHERE id = $1', [event.id]);
    expect(await launchChannelEvent(fixture.deps, event.id)).toBe(true);
    const { rows } = await fixture.db.query<{ mission_id: string }>(
      'SELECT mission_id::text FROM event_participants WHERE event_id = $1',
      [event.id],
    );
    expect(await startingHealth(fixture, rows[0]!.mission_id)).toEqual(await maxima(fixture, member!));
  });
});
