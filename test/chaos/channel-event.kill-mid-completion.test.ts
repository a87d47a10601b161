import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { durableEventProgress, getChannelEvent } from '../../src/durable/channel-events.js';
import { openChannelEvent } from '../../src/engine/channel-event-signup.js';
import { eventually } from '../support/services.js';
import { createUsersWithSurvivors } from '../support/survivor-fixtures.js';
import {
  CHAOS_SETUP_TIMEOUT_MS,
  CHAOS_TEST_TIMEOUT_MS,
  type ChaosRun,
  CONDITION_MS,
  openChaosRun,
} from './engine-chaos-harness.js';

/** Enough participants that their ends come in batches, several missions to a completion transaction. */
const PARTICIPANTS = 200;
/** How long each completion waits in each window: ample time to kill the worker there. */
const PAUSE_ENV = { HOLDOUT_FAULT_COMPLETION_DELAY_MS: '2000' };

describe("a worker killed while it completes a channel event's missions", () => {
  let run: ChaosRun;
  beforeAll(async () => {
    run = await openChaosRun({ workers: 1 });
  }, CHAOS_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await run?.dispose();
  }, CHAOS_SETUP_TIMEOUT_MS);

  it(
    'completes every mission once, before and after the commit, and the goal, the log and the rewards agree',
    async () => {
      const { db, cluster, deps } = run;
      const members = await createUsersWithSurvivors(db, PARTICIPANTS, 'event');
      const event = await openChannelEvent(deps, {
        channelId: 'chaos',
        kind: 'horde_night',
        location: 'flooded-mall',
        difficulty: 1,
        openedBy: 'broadcaster',
      });
      await db.query(
        `INSERT INTO event_participants (event_id, user_id, survivor_id)
         SELECT $1, u, s FROM unnest($2::bigint[], $3::bigint[]) AS p(u, s)`,
        [event.id, members.map((m) => m.userId), members.map((m) => m.survivorId)],
      );
      await cluster.start(0, PAUSE_ENV);
      await db.query('UPDATE channel_events SET signup_ends_at = now() WHERE id = $1', [event.id]);

      // 1. Killed inside a completion transaction: it rolls back, and another flusher completes them.
      await cluster.workers[0]!.waitFor(/completion paused before its commit/, CONDITION_MS);
      expect(await cluster.kill(0, 'SIGKILL')).toBeNull();
      // 2. Killed after a completion committed, before its final rows were acknowledged: the rows
      //    are taken over and their completion must change nothing the second time.
      await cluster.start(0, PAUSE_ENV);
      await cluster.workers[0]!.waitFor(/completion paused after its commit/, CONDITION_MS);
      const { rows: committed } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM missions WHERE event_id = $1 AND status <> 'active'`,
        [event.id],
      );
      expect(await cluster.kill(0, 'SIGKILL')).toBeNull();
      expect(committed[0]!.n).toBeGreaterThan(0);
      await cluster.start(0);
      try {
        await eventually(
          async () => !['signup', 'running'].includes((await getChannelEvent(db, event.id))!.status),
          'the event to end',
          CHAOS_TEST_TIMEOUT_MS / 2,
          250,
        );
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${cluster.output().slice(-4_000)}`);
      }

      const ended = (await getChannelEvent(db, event.id))!;
      const durable = (await durableEventProgress(db, event.id)).total;
      expect(ended.result!.progress).toBe(durable);
      expect(ended.result!.live).toBe(durable);
      const { rows: rewards } = await db.query<{ sum: number }>(
        `SELECT coalesce(sum((reward ->> 'contribution')::int), 0)::int AS sum FROM event_participants
          WHERE event_id = $1`,
        [event.id],
      );
      expect(rewards[0]!.sum).toBe(durable);
      // Every mission completed, each once: its loot reached its viewer's stash exactly once.
      const { rows: missions } = await db.query<{ status: string; result: unknown }>(
        'SELECT status, result FROM missions WHERE event_id = $1',
        [event.id],
      );
      expect(missions).toHaveLength(PARTICIPANTS);
      expect(missions.filter((m) => m.status === 'active' || m.result === null)).toEqual([]);
      const { rows: stashes } = await db.query<{ user_id: string; expected: number; held: number }>(
        `SELECT p.user_id::text, sum((m.result ->> 'supplies')::int)::int AS expected,
                coalesce((SELECT supplies FROM stashes s WHERE s.user_id = p.user_id), 0) AS held
           FROM mission_participants p JOIN missions m ON m.id = p.mission_id
          WHERE m.event_id = $1 GROUP BY p.user_id`,
        [event.id],
      );
      expect(stashes.filter((s) => s.expected !== s.held)).toEqual([]);
      const audit = await run.audit();
      expect(audit.problems).toEqual([]);
      expect(audit.survivorProblems).toEqual([]);
      console.info(
        `event kill-mid-completion: ${PARTICIPANTS} missions, ${committed[0]!.n} committed before the second kill, progress ${durable}/${ended.result!.goal}, ${ended.status}`,
      );
    },
    CHAOS_TEST_TIMEOUT_MS,
  );
});
