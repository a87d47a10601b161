import { randomUUID } from 'node:crypto';
import { announce } from '../channel-announcer.js';
import { eventsDueToLaunch, markGoalReached } from '../durable/event-runs.js';
import { type RunningChannelEvent, runningChannelEvents } from '../durable/running-channel-events.js';
import { EVENT_ENDING } from './channel-event-status.js';
import { type EngineDeps, now } from './engine-deps.js';
import { finishChannelEvent } from './finish-channel-event.js';
import { launchChannelEvent } from './launch-channel-event.js';

/** How long one keeper pass may hold its job lock, in ms (a launch of 10,000 takes seconds). */
const KEEPER_LOCK_TTL_MS = 60_000;
/** Progress notices go out when the goal crosses these fractions (the start and the goal have their own). */
const MILESTONES = [0.25, 0.5, 0.75] as const;

export interface KeeperReport {
  skipped: boolean;
  launched: string[];
  goalsReached: string[];
  finished: string[];
}

/**
 * Moves channel events along their lifecycle, one instance at a time under a job lock: launches
 * those whose sign-up has closed, marks the goal reached when the live meter gets there (durably
 * first, then in the meter, which makes the event's missions end at their next tick), announces
 * milestones, and finishes an event once none of its missions is active any more. Every step is
 * idempotent and guarded in Postgres, so a keeper that dies mid-pass is simply followed by another.
 */
export class EventKeeper {
  /** The last milestone announced per event (announcements are a courtesy: a failover may repeat one). */
  private readonly announced = new Map<string, number>();

  constructor(private readonly deps: EngineDeps) {}

  async runOnce(): Promise<KeeperReport> {
    const { store } = this.deps;
    const report: KeeperReport = { skipped: false, launched: [], goalsReached: [], finished: [] };
    const key = store.keys.jobLock('event-keeper');
    const token = randomUUID();
    if (!(await store.acquireLock(key, token, KEEPER_LOCK_TTL_MS))) return { ...report, skipped: true };
    try {
      await this.launchDue(report);
      await this.watchRunning(report);
    } finally {
      await store.releaseLock(key, token);
    }
    return report;
  }

  private async launchDue(report: KeeperReport): Promise<void> {
    for (const id of await eventsDueToLaunch(this.deps.db, now(this.deps)))
      if (await launchChannelEvent(this.deps, id)) report.launched.push(id);
  }

  private async watchRunning(report: KeeperReport): Promise<void> {
    const { db, store } = this.deps;
    const rows = await runningChannelEvents(db);
    for (const event of rows) {
      // No meter: Redis lost it and the reconciler rebuilds it; nothing to decide on until then (the
      // finish records the meter beside the durable sum, so that a drift between them shows).
      const board = await store.readEventBoard(event.id, 0);
      if (!board) continue;
      if (event.active === 0) {
        if (await finishChannelEvent(this.deps, event.id)) report.finished.push(event.id);
        this.announced.delete(event.id);
        continue;
      }
      if (!event.goal_reached && board.progress >= event.goal) {
        if (await markGoalReached(db, event.id, now(this.deps))) report.goalsReached.push(event.id);
        event.goal_reached = true;
      }
      // Set on every pass while the goal stands reached: a meter rebuilt meanwhile says 'running' no longer.
      if (event.goal_reached && board.status !== EVENT_ENDING)
        await store.setEventStatus(event.id, EVENT_ENDING);
      this.announceMilestone(event, board.progress);
    }
  }

  private announceMilestone(event: RunningChannelEvent, progress: number): void {
    const announcer = this.deps.announcer;
    const fraction = progress / event.goal;
    const reached = fraction >= 1 ? 1 : (MILESTONES.filter((m) => fraction >= m).at(-1) ?? 0);
    if (reached <= (this.announced.get(event.id) ?? 0)) return;
    this.announced.set(event.id, reached);
    if (!announcer) return;
    announce(this.deps.logger, () =>
      announcer.eventProgress({
        channelId: event.channel_id,
        eventId: event.id,
        kind: event.kind,
        location: event.location,
        difficulty: event.difficulty,
        progress,
        goal: event.goal,
        participants: event.participants,
        endsAt: event.started_at.getTime() + (event.length_ticks + 1) * event.tick_interval_ms,
      }),
    );
  }
}
