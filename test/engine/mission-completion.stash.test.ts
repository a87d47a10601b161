import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONTENT_DIR, loadContent } from '../../src/content/index.js';
import { channelLeaderboard } from '../../src/durable/mission-history.js';
import { readStash, type Stash } from '../../src/durable/stash.js';
import type { ActiveMissionRecord, MissionMember } from '../../src/engine/active-mission-record.js';
import { completeMission } from '../../src/engine/complete-mission.js';
import { DEFAULT_ENGINE_OPTIONS, type RunningEngine, startEngine } from '../../src/engine/engine.js';
import { startMission } from '../../src/engine/start-mission.js';
import type { Attributes, MissionResult } from '../../src/game/index.js';
import { eventually } from '../support/services.js';
import { createUsersWithSurvivors } from '../support/survivor-fixtures.js';
import { type EngineFixture, engineBackends } from './engine-backends.js';

const TICK_MS = 25;
const FAST = {
  ...DEFAULT_ENGINE_OPTIONS,
  worker: { ...DEFAULT_ENGINE_OPTIONS.worker, pollIntervalMs: 10, lockTtlMs: 1_000 },
  redisLossCheckMs: 50,
};
/** Just under level 2 (150 XP): any XP at all levels the survivor up, and level 2 grows an attribute. */
const XP_BEFORE_LEVEL_TWO = 149;

// The shipped content with items found far more often, so that every run brings items home.
const contentDir = mkdtempSync(join(tmpdir(), 'holdout-loot-content-'));
cpSync(DEFAULT_CONTENT_DIR, contentDir, { recursive: true });
const rules = JSON.parse(readFileSync(join(contentDir, 'rules.json'), 'utf8'));
writeFileSync(join(contentDir, 'rules.json'), JSON.stringify({ ...rules, lootChance: 0.3 }));
const lootyContent = loadContent(contentDir);
afterAll(() => rmSync(contentDir, { recursive: true, force: true }));

function sumOf(results: MissionResult[]): Stash {
  const stash: Stash = { supplies: 0, items: {} };
  for (const r of results) {
    stash.supplies += r.supplies;
    for (const id of r.items) stash.items[id] = (stash.items[id] ?? 0) + 1;
  }
  return stash;
}

const total = (a: Attributes) => a.grit + a.wits + a.agility;

describe.each(engineBackends)('completing missions on $name', ({ open }) => {
  let fixture: EngineFixture;
  let engine: RunningEngine | undefined;
  beforeEach(async () => {
    fixture = await open(TICK_MS);
    fixture.deps.content = lootyContent;
  });
  afterEach(async () => {
    await engine?.stop();
    engine = undefined;
    await fixture.dispose();
  });

  it('puts each mission’s loot in every member’s stash exactly once, and stores grown attributes', async () => {
    const members = await createUsersWithSurvivors(fixture.db, 8);
    await fixture.db.query('UPDATE survivors SET xp = $1', [XP_BEFORE_LEVEL_TWO]);
    const { rows: before } = await fixture.db.query<{ id: string; attributes: Attributes }>(
      'SELECT id::text, attributes FROM survivors',
    );
    // Two solo missions and two groups of three.
    const parties: MissionMember[][] = [
      [members[0]!],
      [members[1]!],
      [members[2]!, members[3]!, members[4]!],
      [members[5]!, members[6]!, members[7]!],
    ];
    const missionIds: string[] = [];
    for (const party of parties) {
      const started = await startMission(fixture.deps, {
        channelId: 'c1',
        kind: party.length === 1 ? 'solo' : 'group',
        location: 'maple-row-suburbs',
        difficulty: 2,
        length: 'short',
        members: party,
        fromState: 'idle',
      });
      missionIds.push(started.missionId);
    }
    engine = await startEngine(fixture.deps, FAST);
    await eventually(
      async () => {
        const { rows } = await fixture.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM missions WHERE status = 'active'`,
        );
        return rows[0]!.n === 0;
      },
      'every mission to end',
      60_000,
      100,
    );
    await engine.stop();
    engine = undefined;

    const results = new Map<string, MissionResult>();
    for (const id of missionIds) {
      const { rows } = await fixture.db.query<{ result: MissionResult }>(
        'SELECT result FROM missions WHERE id = $1',
        [id],
      );
      results.set(id, rows[0]!.result);
    }
    // The run must bring home something worth checking, or the test could not fail.
    const all = sumOf([...results.values()]);
    expect(all.supplies).toBeGreaterThan(0);
    expect(Object.keys(all.items).length).toBeGreaterThan(0);

    const expectStashes = async () => {
      for (const [i, party] of parties.entries()) {
        const result = results.get(missionIds[i]!)!;
        for (const member of party) {
          expect(await readStash(fixture.db, member.userId)).toEqual(sumOf([result]));
        }
      }
    };
    await expectStashes();

    // A completion run again, twice at once, with the final state (a retried outbox entry) changes nothing.
    for (const id of missionIds) {
      const record = JSON.parse((await fixture.store.getActiveMission(id))!) as ActiveMissionRecord;
      const again = await Promise.all([
        completeMission(fixture.deps, id, record.state),
        completeMission(fixture.deps, id, record.state),
      ]);
      expect(again).toEqual([null, null]);
    }
    await expectStashes();

    // Attribute growth and the maxima it gives are stored, so the next mission starts with them.
    const { rows: after } = await fixture.db.query<{
      id: string;
      attributes: Attributes;
      max_health: number;
      max_stamina: number;
      level: number;
    }>('SELECT id::text, attributes, max_health, max_stamina, level FROM survivors');
    let grown = 0;
    for (const row of after) {
      const outcome = [...results.values()].flatMap((r) => r.survivors).find((o) => o.survivorId === row.id)!;
      expect(row.attributes).toEqual(outcome.attributes);
      expect(row.max_health).toBe(outcome.maxHealth);
      expect(row.max_stamina).toBe(outcome.maxStamina);
      const was = before.find((b) => b.id === row.id)!.attributes;
      if (total(row.attributes) > total(was)) grown++;
    }
    expect(grown).toBeGreaterThan(0);

    // Group loot counts on every member's leaderboard record, as solo loot does.
    const board = await channelLeaderboard(fixture.db, 'c1', 20);
    for (const [i, party] of parties.entries()) {
      const result = results.get(missionIds[i]!)!;
      for (const member of party) {
        expect(board.find((e) => e.survivorId === member.survivorId)).toMatchObject({
          supplies: result.supplies,
          loot: result.lootValue,
        });
      }
    }
    const groupSupplies = [2, 3].map((i) => results.get(missionIds[i]!)!.supplies);
    expect(Math.max(...groupSupplies)).toBeGreaterThan(0);
  });
});
