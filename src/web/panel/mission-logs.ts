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

/** The ticks missing before the first line kept (1-based ticks): true when the log has a hole. */
export function hasGap(lines: readonly LogLine[]): boolean {
  const first = lines[0];
  return first !== undefined && first.tick > 1 && lines.length < LOG_LINES_KEPT;
}

/** A line of the full log (Postgres) as the panel shows it: the same tags and key moment as a live line. */
export function shownLogLine(line: FullLogLine): LogLine {
  const shown: LogLine = { tick: line.tick, text: line.text, at: line.scheduledAt };
  if (line.tags) shown.tags = line.tags;
  if (line.mark) shown.mark = line.mark;
  if (line.choice) shown.choice = line.choice;
  return shown;
}
