import { simulateCell } from './balance-matrix.js';
import type { Content } from './content-types.js';
import { playerPolicy } from './player-policy.js';

/*
 * Each location's odds per difficulty, as the mission picker shows them: the simulator's matrix
 * for a fresh solo survivor under the default policy, on a fixed seed, so every server with the
 * same content shows the same figures. Computed once per content, on the first catalog request,
 * one cell at a time with a yield between cells, so it never holds the event loop for long.
 */

/** Solo missions simulated per location × difficulty: coarse (about ±10 points), but cheap. */
export const ODDS_RUNS = 24;
/** The fixed seed of the odds' missions. */
export const ODDS_SEED = '15';

export interface DifficultyOdds {
  difficulty: number;
  /** Share of solo missions that held out to the end. */
  success: number;
  /** Share of solo survivors who died. */
  death: number;
}

const byContent = new WeakMap<Content, Promise<Map<string, DifficultyOdds[]>>>();

const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const hundredths = (x: number) => Math.round(x * 100) / 100;

async function simulateOdds(content: Content): Promise<Map<string, DifficultyOdds[]>> {
  const policy = playerPolicy('default');
  const odds = new Map<string, DifficultyOdds[]>();
  for (const location of Object.keys(content.locations)) {
    const rows: DifficultyOdds[] = [];
    for (const { level } of content.difficulties) {
      await yieldTurn();
      const cell = simulateCell(
        content,
        { location, difficulty: level, partySize: 1 },
        ODDS_RUNS,
        ODDS_SEED,
        {},
        policy,
      );
      rows.push({
        difficulty: level,
        success: hundredths(cell.successRate),
        death: hundredths(cell.deathRate),
      });
    }
    odds.set(location, rows);
  }
  return odds;
}

/** The odds of every location (by id) per difficulty; memoized per content. */
export function pickerOdds(content: Content): Promise<Map<string, DifficultyOdds[]>> {
  let odds = byContent.get(content);
  if (!odds) {
    odds = simulateOdds(content);
    byContent.set(content, odds);
  }
  return odds;
}
