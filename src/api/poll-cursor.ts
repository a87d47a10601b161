import { z } from 'zod';

/*
 * The poll's cursor: `missionId:tick` pairs, for each mission the last tick whose line the client has.
 * The client sends back the cursor of its last applied poll and receives only newer lines.
 */

export const cursorSchema = z
  .string()
  .regex(/^([1-9][0-9]{0,17}:[0-9]{1,7}(,[1-9][0-9]{0,17}:[0-9]{1,7}){0,15})?$/, {
    error: 'expected the cursor of the previous poll',
  });

/** mission id → the last tick the client has. */
export function parseCursor(cursor: string | undefined): Map<string, number> {
  const ticks = new Map<string, number>();
  if (!cursor) return ticks;
  for (const pair of cursor.split(',')) {
    const [id, tick] = pair.split(':');
    ticks.set(id!, Number(tick));
  }
  return ticks;
}

/** The cursor of a poll that shows these missions at these ticks. */
export function cursorOf(missions: readonly { id: string; tick: number }[]): string {
  return missions.map((m) => `${m.id}:${m.tick}`).join(',');
}
