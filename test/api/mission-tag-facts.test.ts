import { describe, expect, it } from 'vitest';
import { MissionTagFactsCache, tagFactsOf } from '../../src/api/mission-tag-facts.js';
import { loadContent } from '../../src/content/index.js';
import {
  type ActiveMissionRecord,
  advanceRecord,
  parseActiveMissionRecord,
  serializeRecord,
} from '../../src/engine/active-mission-record.js';
import { createSurvivor, simulateTick, startMission } from '../../src/game/index.js';

/*
 * The poll decides its 304 from facts of its mission records that this process remembers by the
 * records' exact JSON: the same bytes are decoded once, changed bytes always again.
 */

const content = loadContent();
const TICK_MS = 5_000;

function groupRecord(id: string, users: string[]): ActiveMissionRecord {
  const party = users.map((u, i) => createSurvivor({ id: `${id}${i}`, name: `S${i}`, seed: `${id}:${u}` }));
  const state = startMission({ party, location: 'maple-row-suburbs', difficulty: 1, seed: id }, content);
  return {
    tick: 0,
    id,
    channelId: '1',
    kind: users.length > 1 ? 'group' : 'solo',
    startedAt: 0,
    intervalMs: TICK_MS,
    nextTickAt: TICK_MS,
    members: users.map((userId, i) => ({ userId, survivorId: party[i]!.id })),
    state,
    recent: [],
  };
}

function ticked(record: ActiveMissionRecord, ticks: number): ActiveMissionRecord {
  let r = record;
  for (let i = 0; i < ticks; i++) {
    const { state, log } = simulateTick(r.state, content);
    r = advanceRecord(r, state, log, (r.tick + 1) * TICK_MS);
  }
  return r;
}

describe('the mission tag facts a poll decides its 304 by', () => {
  it('decodes a record once while its bytes stay the same, and again as soon as they change', () => {
    const cache = new MissionTagFactsCache(content.rules);
    const record = groupRecord('11', ['7', '8']);
    const json = serializeRecord(record);
    const first = cache.factsOf(['11'], [json]);
    expect(first.decoded).toEqual([parseActiveMissionRecord(json)]);
    expect(first.facts).toEqual([
      { id: '11', kind: 'group', userIds: ['7', '8'], choiceDecidesAt: null, retreatVoteOpen: true },
    ]);
    // A copy of the same bytes, as a new reply from Redis brings them: not decoded.
    const again = cache.factsOf(['11'], [`${json} `.trimEnd()]);
    expect(again.decoded).toEqual([undefined]);
    expect(again.facts).toEqual(first.facts);

    const atChoice = serializeRecord(ticked(record, content.rules.choiceEvery));
    const changed = cache.factsOf(['11'], [atChoice]);
    expect(changed.decoded[0]).toBeDefined();
    expect(changed.facts[0]!.choiceDecidesAt).toBe(content.rules.choiceEvery + content.rules.choiceWindow);
    expect(changed.facts).toEqual([tagFactsOf(parseActiveMissionRecord(atChoice), content.rules)]);
    // The older version is no longer what the cache holds for the mission.
    expect(cache.factsOf(['11'], [json]).decoded[0]).toBeDefined();
  });

  it('skips missions without a record and keeps the facts in the order of the records found', () => {
    const cache = new MissionTagFactsCache(content.rules);
    const solo = serializeRecord(groupRecord('21', ['9']));
    const group = serializeRecord(groupRecord('22', ['9', '10']));
    const { facts } = cache.factsOf(['20', '21', '22'], [null, solo, group]);
    expect(facts.map((f) => [f.id, f.kind, f.retreatVoteOpen])).toEqual([
      ['21', 'solo', false],
      ['22', 'group', true],
    ]);
  });

  it('keeps at most its capacity, forgetting the mission seen longest ago', () => {
    const cache = new MissionTagFactsCache(content.rules, 2);
    const jsons = ['31', '32', '33'].map((id) => serializeRecord(groupRecord(id, ['1'])));
    cache.factsOf(['31', '32'], [jsons[0]!, jsons[1]!]);
    cache.factsOf(['31'], [jsons[0]!]);
    cache.factsOf(['33'], [jsons[2]!]);
    expect(cache.factsOf(['31'], [jsons[0]!]).decoded).toEqual([undefined]);
    expect(cache.factsOf(['32'], [jsons[1]!]).decoded[0]).toBeDefined();
  });
});
