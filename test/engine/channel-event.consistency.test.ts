import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ChannelEventResult,
  durableEventProgress,
  getChannelEvent,
} from '../../src/durable/channel-events.js';
import { joinChannelEvent, openChannelEvent } from '../../src/engine/channel-event-signup.js';
import { DEFAULT_ENGINE_OPTIONS, type RunningEngine, startEngine } from '../../src/engine/engine.js';
import { startMission } from '../../src/engine/start-mission.js';
import { auditMissionLogs, auditSurvivorStates } from '../support/mission-log-invariants.js';
import { eventually } from '../support/services.js';
import { createUsersWithSurvivors } from '../support/survivor-fixtures.js';
import { type EngineFixture, engineBackends } from './engine-backends.js';

const TICK_MS = 40;
const FAST = {
  ...DEFAULT_ENGINE_OPTIONS,
  worker: { ...DEFAULT_ENGINE_OPTIONS.worker, pollIntervalMs: 10, lockTtlMs: 1_000 },
  redisLossCheckMs: 50,
  eventKeeperIntervalMs: 20,
};
const PARTICIPANTS = 40;

async function closeSignup(fixture: EngineFixture, eventId: string): Promise<void> {
  await fixture.db.query('UPDATE channel_events SET signup_ends_at = now() WHERE id = $1', [eventId]);
}

async function eventStatus(fixture: EngineFixture, eventId: string): Promise<string> {
  return (await getChannelEvent(fixture.db, eventId))!.status;
}

describe.each(engineBackends)('a channel event on $name', ({ open }) => {
  let fixture: EngineFixture;
  let engine: RunningEngine | undefined;
  beforeEach(async (test) => {
    // Slower ticks where Redis is lost mid-event, so that the loss lands while the event runs.
    fixture = await open(test.task.name.includes('loses') ? 4 * TICK_MS : TICK_MS);
  });
  afterEach(async () => {
    await engine?.stop();
    engine = undefined;
    await fixture.dispose();
  });

  async function runEvent(kind: 'horde_night' | 'boss_raid', difficulty: number, loseRedisMidway: boolean) {
    const members = await createUsersWithSurvivors(fixture.db, PARTICIPANTS);
    const event = await openChannelEvent(fixture.deps, {
      channelId: 'c1',
      kind,
      location: 'flooded-mall',
      difficulty,
      openedBy: 'broadcaster-1',
    });
    for (const m of members)
      await joinChannelEvent(fixture.deps, { channelId: 'c1', eventId: event.id, ...m });
    // One participant sends the survivor elsewhere before the start: it stays home.
    const busy = members[0]!;
    await startMission(fixture.deps, {
      channelId: 'c1',
      kind: 'solo',
      location: 'flooded-mall',
      difficulty: 1,
      members: [busy],
      fromState: 'idle',
    });
    await closeSignup(fixture, event.id);
    engine = await startEngine(fixture.deps, FAST);
    await eventually(async () => (await eventStatus(fixture, event.id)) === 'running', 'the event to start');
    if (loseRedisMidway) {
      await eventually(async () => {
        const { total } = await durableEventProgress(fixture.db, event.id);
        return total > 0;
      }, 'some progress to be durable');
      await engine.stop();
      await fixture.loseRedisData();
      engine = await startEngine(fixture.deps, FAST);
    }
    await eventually(
      async () => !['signup', 'running'].includes(await eventStatus(fixture, event.id)),
      'the event to end',
      90_000,
      100,
    );
    return { event: (await getChannelEvent(fixture.db, event.id))!, busy };
  }

  async function expectConsistent(eventId: string, result: ChannelEventResult) {
    const durable = await durableEventProgress(fixture.db, eventId);
    expect(result.progress).toBe(durable.total);
    expect(result.live).toBe(durable.total);
    const { rows } = await fixture.db.query<{ reward: { contribution: number } }>(
      'SELECT reward FROM event_participants WHERE event_id = $1 AND mission_id IS NOT NULL',
      [eventId],
    );
    expect(rows.reduce((sum, r) => sum + r.reward.contribution, 0)).toBe(durable.total);
    // Every event mission: each tick once, equal to its replay from the event's seed (goal included).
    const audit = await auditMissionLogs(fixture.db, fixture.deps.content, false);
    expect(audit.problems).toEqual([]);
    expect(await auditSurvivorStates(fixture.db)).toEqual([]);
  }

  it('counts every participant tick once toward the goal, ends early when it is reached, and rewards each viewer', async () => {
    const { event, busy } = await runEvent('horde_night', 1, false);
    expect(event.status).toBe('succeeded');
    expect(event.goalReachedAt).not.toBeNull();
    expect(event.result!.participants).toBe(PARTICIPANTS - 1);
    await expectConsistent(event.id, event.result!);
    const { rows } = await fixture.db.query<{ user_id: string; mission_id: string | null; reward: unknown }>(
      'SELECT user_id::text, mission_id::text, reward FROM event_participants WHERE event_id = $1',
      [event.id],
    );
    expect(rows.find((r) => r.user_id === busy.userId)).toMatchObject({ mission_id: null, reward: null });
    // The goal was reached before time ran out: the missions ended early with an event_end tick.
    const { rows: ends } = await fixture.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM mission_logs l JOIN missions m ON m.id = l.mission_id
        WHERE m.event_id = $1 AND l.encounter_id = 'event_end'`,
      [event.id],
    );
    expect(ends[0]!.n).toBeGreaterThan(0);
  });

  it('keeps the meter equal to the durable log when Redis loses its data mid-event', async () => {
    const { event } = await runEvent('boss_raid', 3, true);
    expect(['succeeded', 'failed']).toContain(event.status);
    await expectConsistent(event.id, event.result!);
  });
});
