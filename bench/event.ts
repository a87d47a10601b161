/**
 * A channel event at scale (issue 16): BENCH_EVENT_PARTICIPANTS (10,000) viewers of one channel in one
 * event while BENCH_EVENT_MISSIONS (20,000) ordinary solo missions tick beside it, every 5 s, through
 * `holdout worker` processes (BENCH_EVENT_WORKERS, 1) on a fresh database and a throwaway redis-server.
 * The event's sign-up closes once the ordinary missions tick steadily; the workers' event keeper
 * launches it, the ticks run, the keeper finishes it. Reported: the launch, tick lateness of event and
 * ordinary ticks while the event ran, and the shared goal's consistency (sum of the logged goal effects
 * = the result's progress = the live meter at the end = the sum of the participants' rewards; every
 * event tick logged once).
 *
 *   npm run bench:event
 *   BENCH_EVENT_PARTICIPANTS=1000 BENCH_EVENT_MISSIONS=2000 BENCH_WRITE_DOCS=false npm run bench:event
 *
 * Writes its section of docs/benchmarks.md (between the bench:event markers) unless BENCH_WRITE_DOCS=false.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { durableEventProgress, getChannelEvent } from '../src/durable/channel-events.js';
import { openChannelEvent } from '../src/engine/channel-event-signup.js';
import { RedisStore } from '../src/ephemeral/redis-store.js';
import { createSurvivor } from '../src/game/index.js';
import { openBenchWorld } from './tick-engine/bench-world.js';
import { HoldoutSystem } from './tick-engine/holdout-system.js';
import { seedMissions, type Workload } from './tick-engine/workload.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MARKER_START = '<!-- bench:event:start -->';
const MARKER_END = '<!-- bench:event:end -->';
const participants = Number(process.env.BENCH_EVENT_PARTICIPANTS ?? 10_000);
const missions = Number(process.env.BENCH_EVENT_MISSIONS ?? 20_000);
const workers = Number(process.env.BENCH_EVENT_WORKERS ?? 1);
const writeDocs = process.env.BENCH_WRITE_DOCS !== 'false';
const INTERVAL_MS = 5_000;
/** Time for the workers to start and the ordinary missions to tick steadily before the sign-up closes. */
const WARM_UP_MS = 15_000;
/** How long after the sign-up closes the event must have ended: its 24 ticks, plus a generous margin. */
const EVENT_DEADLINE_MS = Number(process.env.BENCH_EVENT_DEADLINE_S ?? 900) * 1000;
const CHANNEL = 'bench-event';

const say = (line: string) => process.stderr.write(`${line}\n`);
const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;
const num = (n: number) => n.toLocaleString('en-US');

interface Lateness {
  ticks: number;
  p50: number;
  p99: number;
  max: number;
}

async function main(): Promise<void> {
  const world = await openBenchWorld();
  const store = new RedisStore({ url: world.redisServer.url });
  const system = new HoldoutSystem(workers);
  let started = false;
  try {
    const seededAt = Date.now();
    const workload: Workload = {
      missions,
      intervalMs: INTERVAL_MS,
      firstTickAt: seededAt + 3_600_000,
      durationMs: 0,
    };
    say(`seeding ${num(missions)} missions and ${num(participants)} participants…`);
    await seedMissions(world.db, world.content, workload);
    const template = createSurvivor({ id: '0', name: 'Raider', seed: 'bench-event' });
    await world.db.query(
      `INSERT INTO users (opaque_user_id) SELECT 'bench-event-' || g FROM generate_series(1, $1::int) AS g`,
      [participants],
    );
    await world.db.query(
      `INSERT INTO survivors (user_id, name, attributes, health, max_health, stamina, max_stamina, level, xp,
                              perk_slots, perks, state)
       SELECT u.id, 'Raider ' || substr(u.opaque_user_id, 13), $1::jsonb -> 'attributes', $2, $2, $3, $3, 1, 0,
              $4, '{}', 'idle'
         FROM users u WHERE u.opaque_user_id LIKE 'bench-event-%'`,
      [JSON.stringify(template), template.maxHealth, template.maxStamina, template.perkSlots],
    );
    const deps = { db: world.db, store, content: world.content, tickIntervalMs: INTERVAL_MS };
    const event = await openChannelEvent(deps, {
      channelId: CHANNEL,
      kind: 'horde_night',
      location: 'maple-row-suburbs',
      difficulty: 1,
      signupSeconds: 600,
      openedBy: 'bench',
    });
    await world.db.query(
      `INSERT INTO event_participants (event_id, user_id, survivor_id)
       SELECT $1, s.user_id, s.id FROM survivors s JOIN users u ON u.id = s.user_id
        WHERE u.opaque_user_id LIKE 'bench-event-%'`,
      [event.id],
    );
    // The ordinary missions' first ticks fall once the workers are up; the sign-up closes a warm-up later.
    const firstTickAt = Date.now() + 10_000;
    await world.db.query(`UPDATE missions SET started_at = started_at - make_interval(secs => $1 / 1000.0)`, [
      seededAt + 3_600_000 - firstTickAt,
    ]);
    const signupEndsAt = firstTickAt + WARM_UP_MS;
    await world.db.query(
      'UPDATE channel_events SET signup_ends_at = to_timestamp($2::float8 / 1000) WHERE id = $1',
      [event.id, signupEndsAt],
    );
    await world.db.query('VACUUM ANALYZE');
    await system.prepare(world);
    say(`seeded in ${((Date.now() - seededAt) / 1000).toFixed(1)} s; starting ${system.label}…`);
    await system.start(world);
    started = true;

    const deadline = signupEndsAt + EVENT_DEADLINE_MS;
    let ended = await getChannelEvent(world.db, event.id);
    let saidAt = 0;
    while (ended && ['signup', 'running'].includes(ended.status)) {
      if (Date.now() > deadline) throw new Error(`the event did not end in time:\n${system.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      ended = await getChannelEvent(world.db, event.id);
      if (Date.now() - saidAt >= 10_000) {
        saidAt = Date.now();
        const { rows } = await world.db.query<{ active: number; done: number; logged: number }>(
          `SELECT count(*) FILTER (WHERE status = 'active')::int AS active, count(*) FILTER (WHERE status <> 'active')::int AS done,
                  (SELECT count(*)::int FROM mission_logs l JOIN missions m2 ON m2.id = l.mission_id WHERE m2.event_id = $1) AS logged
             FROM missions WHERE event_id = $1`,
          [event.id],
        );
        const board = await store.readEventBoard(event.id, 0);
        say(
          `  ${ended?.status}: event missions active ${rows[0]?.active}, ended ${rows[0]?.done}, ticks logged ${rows[0]?.logged}, meter ${board?.progress ?? '-'}/${board?.goal ?? '-'} ${board?.status ?? ''}`,
        );
      }
    }
    say(`event ${ended?.status}; stopping the workers and auditing…`);
    // What the workers said (warnings and errors only, at LOG_LEVEL warn): a slow run's first clue.
    say(system.output().split('\n').slice(-40).join('\n'));
    started = false;
    await system.stop(world);
    const report = await measure(world.db, event.id);
    const section = markdown(report, new Date(seededAt));
    process.stdout.write(`${section}\n`);
    if (writeDocs) writeSection(section);
    if (!report.consistent) process.exitCode = 1;
  } finally {
    // Never leave a worker behind (one outlives a failed run otherwise, ticking against nothing).
    if (started)
      await system.stop(world).catch((error: unknown) => say(`could not stop the workers: ${error}`));
    await store.close();
    await world.dispose();
  }
}

async function lateness(
  db: Awaited<ReturnType<typeof openBenchWorld>>['db'],
  eventMissions: boolean,
  from: Date,
  to: Date,
) {
  const { rows } = await db.query<Lateness>(
    `SELECT count(*)::int AS ticks,
            coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY d), 0)::float8 AS p50,
            coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY d), 0)::float8 AS p99,
            coalesce(max(d), 0)::float8 AS max
       FROM (SELECT extract(epoch FROM l.ticked_at - l.scheduled_at) * 1000 AS d
               FROM mission_logs l JOIN missions m ON m.id = l.mission_id
              WHERE (m.event_id IS NOT NULL) = $1 AND l.scheduled_at >= $2 AND l.scheduled_at < $3) t`,
    [eventMissions, from, to],
  );
  return rows[0]!;
}

async function measure(db: Awaited<ReturnType<typeof openBenchWorld>>['db'], eventId: string) {
  const event = (await getChannelEvent(db, eventId))!;
  const from = new Date(event.startedAt!);
  const to = new Date(event.endedAt!);
  const { rows: launched } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM missions WHERE event_id = $1',
    [eventId],
  );
  const { rows: logged } = await db.query<{
    rows: number;
    distinct_ticks: number;
    gaps: number;
    rewards: number;
  }>(
    `SELECT (SELECT count(*)::int FROM mission_logs l JOIN missions m ON m.id = l.mission_id WHERE m.event_id = $1) AS rows,
            (SELECT count(DISTINCT (l.mission_id, l.tick_index))::int FROM mission_logs l JOIN missions m ON m.id = l.mission_id
              WHERE m.event_id = $1) AS distinct_ticks,
            (SELECT count(*)::int FROM (SELECT m.id FROM missions m JOIN mission_logs l ON l.mission_id = m.id
              WHERE m.event_id = $1 GROUP BY m.id HAVING count(*) <> max(l.tick_index)) g) AS gaps,
            (SELECT coalesce(sum((reward ->> 'contribution')::int), 0)::int FROM event_participants WHERE event_id = $1) AS rewards`,
    [eventId],
  );
  const durable = (await durableEventProgress(db, eventId)).total;
  const log = logged[0]!;
  const result = event.result!;
  const consistent =
    result.progress === durable &&
    result.live === durable &&
    log.rewards === durable &&
    log.rows === log.distinct_ticks &&
    log.gaps === 0;
  return {
    event,
    launchMs: event.startedAt! - event.signupEndsAt,
    launched: launched[0]!.n,
    durable,
    log,
    consistent,
    eventTicks: await lateness(db, true, from, to),
    ordinaryTicks: await lateness(db, false, from, to),
  };
}

function markdown(r: Awaited<ReturnType<typeof measure>>, startedAt: Date): string {
  const res = r.event.result!;
  const row = (label: string, l: Lateness) =>
    `| ${label} | ${num(l.ticks)} | ${ms(l.p50)} | ${ms(l.p99)} | ${ms(l.max)} |`;
  return [
    `Measured ${startedAt.toISOString()} on ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Postgres and Redis on the same machine (load average at the end: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(', ')}).`,
    '',
    `Command: \`${process.env.BENCH_COMMAND ?? 'npm run bench:event'}\` — ${num(participants)} participants in one channel's horde night beside ${num(missions)} ordinary missions, ticking every 5 s, ${workers} \`holdout worker\` process${workers > 1 ? 'es' : ''}.`,
    '',
    `- Launch (sign-up closed → event running, ${num(r.launched)} missions created in one transaction and written to Redis): ${ms(r.launchMs)}.`,
    `- Result: ${res.outcome}, goal ${num(res.goal)}, progress ${num(res.progress)}, ${num(res.participants)} participants; ended ${ms(r.event.endedAt! - r.event.startedAt!)} after the launch.`,
    r.event.goalReachedAt
      ? `- Wind-down (goal reached → event ended: every event mission's \`event_end\` tick, its completion, then the event's finish): ${ms(r.event.endedAt! - r.event.goalReachedAt)}; the goal was reached ${ms(r.event.goalReachedAt - r.event.startedAt!)} after the launch.`
      : '- The goal was not reached: the missions ran their full length.',
    `- Goal consistency: sum of the logged goal effects ${num(r.durable)} = result ${num(res.progress)} = live meter at the end ${num(res.live ?? -1)} = sum of the rewards ${num(r.log.rewards)}: **${r.consistent ? 'yes' : 'NO'}**. Event ticks logged ${num(r.log.rows)}, distinct ${num(r.log.distinct_ticks)}, missions with a gap ${r.log.gaps}.`,
    '',
    'Tick lateness (ticked − scheduled) while the event ran:',
    '',
    '| ticks | count | p50 | p99 | max |',
    '|---|---:|---:|---:|---:|',
    row('event missions', r.eventTicks),
    row('ordinary missions beside it', r.ordinaryTicks),
  ].join('\n');
}

function writeSection(section: string): void {
  const docPath = join(ROOT, 'docs', 'benchmarks.md');
  const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '# Benchmarks\n';
  const block = `${MARKER_START}\n${section}\n${MARKER_END}`;
  const at = doc.indexOf(MARKER_START);
  const next =
    at === -1
      ? `${doc.trimEnd()}\n\n## A channel event at scale (\`npm run bench:event\`)\n\n${block}\n`
      : `${doc.slice(0, at)}${block}${doc.slice(doc.indexOf(MARKER_END) + MARKER_END.length)}`;
  writeFileSync(docPath, next);
}

await main();
