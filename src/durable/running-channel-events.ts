import type { ChannelEventKind } from '../game/channel-event.js';
import type { Queryable } from './database.js';

/** A running channel event as its keeper watches it: its goal, its schedule, and how many missions are left. */
export interface RunningChannelEvent {
  id: string;
  channel_id: string;
  kind: ChannelEventKind;
  location: string;
  difficulty: number;
  goal: number;
  goal_reached: boolean;
  started_at: Date;
  length_ticks: number;
  tick_interval_ms: number;
  /** Participants that went on a mission. */
  participants: number;
  /** Of their missions, those still active. */
  active: number;
}

/** Every running channel event, in id order. */
export async function runningChannelEvents(db: Queryable): Promise<RunningChannelEvent[]> {
  const { rows } = await db.query<RunningChannelEvent>(
    `SELECT e.id::text, e.channel_id, e.kind, e.location, e.difficulty, e.goal,
            e.goal_reached_at IS NOT NULL AS goal_reached, e.started_at, e.length_ticks, e.tick_interval_ms,
            (SELECT count(*)::int FROM event_participants p WHERE p.event_id = e.id AND p.mission_id IS NOT NULL)
              AS participants,
            (SELECT count(*)::int FROM missions m WHERE m.event_id = e.id AND m.status = 'active') AS active
       FROM channel_events e WHERE e.status = 'running' ORDER BY e.id`,
  );
  return rows;
}
