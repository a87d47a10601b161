import { type ActiveMissionRecord, parseActiveMissionRecord } from '../engine/active-mission-record.js';
import { openChoice, type Rules } from '../game/index.js';

/**
 * What a poll's entity tag needs of a mission record besides its bytes: whose names the poll shows
 * and which votes it reads. A pure function of the record's JSON (and the content's rules).
 */
export interface MissionTagFacts {
  id: string;
  kind: 'solo' | 'group';
  /** The members' internal user ids. */
  userIds: string[];
  /** The tick the open choice point applies at; null while none is open. */
  choiceDecidesAt: number | null;
  /** A group mission still running: its party may be voting to retreat. */
  retreatVoteOpen: boolean;
}

export function tagFactsOf(record: ActiveMissionRecord, rules: Rules): MissionTagFacts {
  return {
    id: record.id,
    kind: record.kind,
    userIds: record.members.map((m) => m.userId),
    choiceDecidesAt: openChoice(record.state, rules)?.decidesAt ?? null,
    retreatVoteOpen: record.kind === 'group' && record.state.status === 'active',
  };
}

/**
 * Mission records kept by this process, by mission id, so that each version is decoded once. A
 * record is about 1 kB; this many keep a few MB. A busier process decodes the ones that fell out again.
 * @default 10000
 */
const DEFAULT_RECORDS_KEPT = 10_000;

/**
 * The tag facts of the mission records this process saw last, keyed by their exact JSON: a poll whose
 * missions did not change since this process last decoded them (a 304) decodes
 * nothing. Each mission keeps only its latest version; the least recently seen go first. Facts are a
 * function of the JSON alone, so a hit is exact whichever mission id it is filed under.
 */
export class MissionTagFactsCache {
  private readonly seen = new Map<string, { json: string; facts: MissionTagFacts }>();

  constructor(
    private readonly rules: Rules,
    private readonly capacity = DEFAULT_RECORDS_KEPT,
  ) {}

  /**
   * The facts of the records found (`jsons[i]` is mission `missionIds[i]`'s record, null when it has
   * none), and the records decoded to learn them (undefined where the facts were known): a 200 uses
   * those instead of decoding them again.
   */
  factsOf(
    missionIds: readonly string[],
    jsons: readonly (string | null)[],
  ): { facts: MissionTagFacts[]; decoded: (ActiveMissionRecord | undefined)[] } {
    const facts: MissionTagFacts[] = [];
    const decoded: (ActiveMissionRecord | undefined)[] = [];
    for (const [i, json] of jsons.entries()) {
      if (json === null) continue;
      const id = missionIds[i] ?? '';
      const entry = this.seen.get(id);
      if (entry?.json === json) {
        this.touch(id, entry);
        facts.push(entry.facts);
        decoded.push(undefined);
        continue;
      }
      const record = parseActiveMissionRecord(json);
      const fresh = tagFactsOf(record, this.rules);
      this.touch(id, { json, facts: fresh });
      if (this.seen.size > this.capacity) this.seen.delete(this.seen.keys().next().value!);
      facts.push(fresh);
      decoded.push(record);
    }
    return { facts, decoded };
  }

  /** Files `entry` under `id`, last in the eviction order. */
  private touch(id: string, entry: { json: string; facts: MissionTagFacts }): void {
    this.seen.delete(id);
    this.seen.set(id, entry);
  }
}
