import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Roster,
  type SurvivorView,
  serializeRoster,
  splitRoster,
} from '../../src/engine/viewer-roster.js';

const id = fc.bigInt({ min: 1n, max: 10n ** 17n }).map(String);
// Names as hostile as JSON allows: quotes, backslashes, the field name itself, any code point.
const hostileText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.constantFrom(',"survivors":', '"]}', '\\', ',"survivors":[]}'),
);
const survivor = fc
  .record({ id, name: hostileText, lobbyId: fc.option(hostileText) })
  .map((s) => ({ ...s, missionId: null }) as unknown as SurvivorView);
const roster: fc.Arbitrary<Roster> = fc.record({
  userId: id,
  survivors: fc.array(survivor, { maxLength: 4 }),
  lobbyId: fc.option(hostileText),
  missionIds: fc.array(id, { maxLength: 4 }),
  builtAt: fc.nat(),
});

describe('the cached roster layout', () => {
  it('splits back into the same head and survivors, whatever the names hold', () => {
    fc.assert(
      fc.property(roster, (r) => {
        const json = serializeRoster(r);
        expect(JSON.parse(json)).toEqual(r);
        const { survivors, ...head } = r;
        const split = splitRoster(json);
        expect(split.head).toEqual(head);
        expect(JSON.parse(split.survivorsJson)).toEqual(survivors);
      }),
    );
  });

  it('starts with missionIds, where read-viewer-state.lua looks for them', () => {
    fc.assert(
      fc.property(roster, (r) => {
        const json = serializeRoster(r);
        expect(json.startsWith(`{"missionIds":${JSON.stringify(r.missionIds)},`)).toBe(true);
      }),
    );
  });

  it('reads a roster cached by an earlier release, in another field order, in full', () => {
    fc.assert(
      fc.property(roster, (r) => {
        const { survivors, ...head } = r;
        const older = JSON.stringify({
          missionIds: r.missionIds,
          userId: r.userId,
          survivors,
          lobbyId: r.lobbyId,
          builtAt: r.builtAt,
        });
        const split = splitRoster(older);
        expect(split.head).toEqual(head);
        expect(JSON.parse(split.survivorsJson)).toEqual(survivors);
      }),
    );
  });
});
