import { isDecisionTick } from './choice-point.js';
import type { Content } from './content-types.js';
import { MISSION_LENGTH_SCALE, type MissionLength, scaledMissionLength } from './mission-length.js';
import type { MissionState } from './mission-state.js';
import { sceneTags } from './narrate-mission.js';
import { retreatBelowPolicy } from './player-policy.js';
import { deriveSeed } from './rng.js';
import { RETREAT_ENCOUNTER_ID, retreatTick, simulateTick, type TickLog } from './simulate-tick.js';
import { MAX_PARTY_SIZE, startMission } from './start-mission.js';
import { createSurvivor } from './survivor.js';
import { lintLine, repetition } from './text-lint.js';

/*
 * Plays missions at every location, difficulty, party size and mission length and runs the text
 * lint over every rendered line: what `holdout simulate --lines` prints and the text property
 * test asserts.
 */

/**
 * Missions per location × difficulty × party size × mission length when nobody says: 3,360
 * missions of the shipped content, the sample the text test asserts the targets on.
 */
export const DEFAULT_LINE_RUNS = 8;
/** Every mission length a broadcaster may choose: long missions tell the most lines, so repeat most. */
export const LINE_SCAN_LENGTHS = Object.keys(MISSION_LENGTH_SCALE) as MissionLength[];

export interface LineScanOptions {
  /** Missions per location × difficulty × party size × mission length. */
  runs: number;
  seed: string;
  /** Share of the party's health below which the simulated players retreat. @default 0.3 */
  retreatBelow?: number;
  /** Examples kept per defect rule. @default 3 */
  examples?: number;
}

export interface LineScanReport {
  contentVersion: string;
  missions: number;
  lines: number;
  /** Defects by lint rule. */
  defects: Record<string, number>;
  examples: Record<string, string[]>;
  /** Lines equal to an earlier line of their mission, over all lines. */
  repeatShare: number;
  /** The worst single mission's share of repeated lines. */
  worstRepeatShare: number;
  /** Missions whose share of repeated lines reaches MAX_MISSION_REPEAT_SHARE. */
  overRepeat: number;
  /** The first few of them, as `seed location dN xSize length: repeats/lines`, to replay one. */
  overRepeatExamples: string[];
  /** Lines equal to the line right before them. */
  selfFollows: number;
  /** Distinct lines over all lines. */
  distinctShare: number;
}

/** The text target of issue 15: within one mission, fewer than this share of lines repeat an earlier one. */
export const MAX_MISSION_REPEAT_SHARE = 0.05;

// Names of different lengths, one with a space, so that the lint sees realistic subjects.
const SCAN_NAMES = ['Ash', 'Beatrix Quill', 'Cy', 'Delphine'];

/** One mission's logs, played with the retreat policy (and its choices at choice points). */
export function playLogged(state: MissionState, content: Content, retreatBelow: number): TickLog[] {
  const logs: TickLog[] = [];
  const policy = retreatBelowPolicy(retreatBelow);
  let s = state;
  while (s.status === 'active') {
    const stance = isDecisionTick(s.tick + 1, content.rules) ? policy.choose(s, content) : undefined;
    const step = policy.retreat(s)
      ? retreatTick(s, content)
      : simulateTick(s, content, stance === undefined ? {} : { stance });
    logs.push(step.log);
    s = step.state;
  }
  return logs;
}

interface ScanCase {
  location: string;
  difficulty: number;
  size: number;
  length: MissionLength;
  seed: string;
}

/** Every location × difficulty × party size × mission length, `runs` times, each with its own seed. */
function* scanCases(content: Content, runs: number, seed: string): Generator<ScanCase> {
  let index = 0;
  for (const location of Object.keys(content.locations)) {
    for (const level of content.difficulties) {
      for (let size = 1; size <= MAX_PARTY_SIZE; size++) {
        for (const length of LINE_SCAN_LENGTHS) {
          for (let run = 0; run < runs; run++) {
            yield {
              location,
              difficulty: level.level,
              size,
              length,
              seed: deriveSeed(seed, 'lines', index++),
            };
          }
        }
      }
    }
  }
}

export function scanLines(content: Content, options: LineScanOptions): LineScanReport {
  const report: LineScanReport = {
    contentVersion: content.version,
    missions: 0,
    lines: 0,
    defects: {},
    examples: {},
    repeatShare: 0,
    worstRepeatShare: 0,
    overRepeat: 0,
    overRepeatExamples: [],
    selfFollows: 0,
    distinctShare: 0,
  };
  const keep = options.examples ?? 3;
  const distinct = new Set<string>();
  let repeats = 0;
  for (const { location, difficulty, size, length, seed } of scanCases(content, options.runs, options.seed)) {
    const party = SCAN_NAMES.slice(0, size).map((name, i) =>
      createSurvivor({ id: `s${i}`, name, seed: `${seed}:${i}` }),
    );
    const start = startMission({ party, location, difficulty, seed }, content);
    // As the engine starts a mission on a channel with this length setting.
    const state = { ...start, length: scaledMissionLength(start.length, length) };
    const scene = sceneTags(state, content);
    const names = party.map((p) => p.name);
    const logs = playLogged(state, content, options.retreatBelow ?? 0.3);
    for (const log of logs) {
      const defects = lintLine(log.text, {
        tags: scene,
        partySize: size,
        names,
        retreat: log.encounterId === RETREAT_ENCOUNTER_ID,
        effects: log.effects,
        items: content.items,
      });
      for (const rule of defects) {
        report.defects[rule] = (report.defects[rule] ?? 0) + 1;
        const list = report.examples[rule] ?? [];
        report.examples[rule] = list;
        if (list.length < keep) list.push(`${location} ${state.modifiers.join('/')}: ${log.text}`);
      }
      distinct.add(log.text);
    }
    const r = repetition(logs.map((l) => l.text));
    repeats += r.repeats;
    report.selfFollows += r.selfFollows;
    report.worstRepeatShare = Math.max(report.worstRepeatShare, r.repeats / logs.length);
    if (r.repeats / logs.length >= MAX_MISSION_REPEAT_SHARE) {
      report.overRepeat++;
      if (report.overRepeatExamples.length < keep) {
        report.overRepeatExamples.push(
          `seed ${seed} ${location} d${difficulty} x${size} ${length}: ${r.repeats}/${logs.length}`,
        );
      }
    }
    report.missions++;
    report.lines += logs.length;
  }
  report.repeatShare = report.lines > 0 ? repeats / report.lines : 0;
  report.distinctShare = report.lines > 0 ? distinct.size / report.lines : 0;
  return report;
}
