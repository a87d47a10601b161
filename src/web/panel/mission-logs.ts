import type { FullLogLine, LogLine } from '../api/api-types.js';

/** Lines kept per mission in the panel; older ones are in the mission's full log. */
export const LOG_LINES_KEPT = 200;

/** Adds `incoming` to `lines`: in tick order, each tick once, the newest LOG_LINES_KEPT. */
export function mergeLogLines(lines: readonly LogLine[], incoming: readonly LogLine[]): LogLine[] {
  if (incoming.length === 0) return lines as LogLine[];
  const byTick = new Map<number, LogLine>();
  for (const line of lines) byTick.set(line.tick, line);
  for (const line of incoming) byTick.set(line.tick, line);
  return [...byTick.values()].sort((a, b) => a.tick - b.tick).slice(-LOG_LINES_KEPT);
}

/**
 * True when the log lacks a line of some tick from 1 to `throughTick` (the mission's tick), within the
 * newest LOG_LINES_KEPT: a panel opened mid-mission, or one that missed more lines than the record
 * keeps while the full log (written by the flusher, a moment behind) did not have them yet. A hole
 * may be anywhere, not only before the first line.
 */
export function hasGap(lines: readonly LogLine[], throughTick: number): boolean {
  const from = Math.max(1, throughTick - LOG_LINES_KEPT + 1);
  const shown = new Set(lines.map((line) => line.tick));
  for (let tick = from; tick <= throughTick; tick++) if (!shown.has(tick)) return true;
  return false;
}

/** A line of the full log (Postgres) as the panel shows it: the same tags and key moment as a live line. */
export function shownLogLine(line: FullLogLine): LogLine {
  const shown: LogLine = { tick: line.tick, text: line.text, at: line.scheduledAt };
  if (line.tags) shown.tags = line.tags;
  if (line.mark) shown.mark = line.mark;
  if (line.choice) shown.choice = line.choice;
  return shown;
}
