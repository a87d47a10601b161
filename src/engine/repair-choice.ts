import { isDeepStrictEqual } from 'node:util';
import type { ChannelEventKind } from '../game/channel-event.js';
import {
  type Content,
  isDecisionTick,
  type MissionState,
  stanceOptions,
  type TickLog,
} from '../game/index.js';
import { type DurableLogLine, replayTick } from './replay-mission.js';

/*
 * A missing row of a decision tick takes its input with it: the stance the viewers chose is logged
 * only there. The ticks after it still show what was chosen (their encounters and lines follow from
 * the stance), so the log repair tries each stance and keeps the one whose replay reproduces the
 * logged lines up to the next choice point. Without any logged line to tell, the stance held stays
 * (the default a tick without votes takes).
 */

/** A stand-in for a missing decision tick's row that carries only its input: replayTick reads it back. */
function withStance(tick: number, stance: string): DurableLogLine {
  return { tick_index: tick, encounter_id: '', text: '', seed: '', effects: [{ t: 'stance', s: stance }] };
}

/** The input row a missing tick is re-derived with: a decision tick's inferred stance; else none. */
export function missingTickInput(
  state: MissionState,
  tick: number,
  byTick: ReadonlyMap<number, DurableLogLine>,
  top: number,
  content: Content,
  eventKind: ChannelEventKind | null,
): DurableLogLine | undefined {
  if (!isDecisionTick(tick, content.rules)) return undefined;
  const candidates = [state.stance, ...stanceOptions(content).filter((s) => s !== state.stance)];
  for (const stance of candidates) {
    if (reproduces(state, tick, stance, byTick, top, content, eventKind)) return withStance(tick, stance);
  }
  return withStance(tick, state.stance);
}

/** The logged row and the replayed tick agree: encounter, text and, where logged, every effect (XP shows the stance). */
function sameTick(line: DurableLogLine, log: TickLog): boolean {
  if (line.encounter_id !== log.encounterId || line.text !== log.text) return false;
  // Deep equality, not JSON text: jsonb hands the effects back with their keys reordered.
  return line.effects === undefined || isDeepStrictEqual(line.effects, log.effects);
}

/** True when choosing `stance` at `tick` leads to the logged lines after it, up to the next choice point. */
function reproduces(
  from: MissionState,
  tick: number,
  stance: string,
  byTick: ReadonlyMap<number, DurableLogLine>,
  top: number,
  content: Content,
  eventKind: ChannelEventKind | null,
): boolean {
  let state = replayTick(from, withStance(tick, stance), content, eventKind).state;
  let seen = 0;
  for (let t = tick + 1; t <= top && state.status === 'active'; t++) {
    if (isDecisionTick(t, content.rules)) break;
    const line = byTick.get(t);
    const step = replayTick(state, line, content, eventKind);
    if (line) {
      if (!sameTick(line, step.log)) return false;
      seen++;
    }
    state = step.state;
  }
  // No logged line to tell by: only the stance held counts as reproducing (the first candidate).
  return seen > 0 || stance === from.stance;
}
