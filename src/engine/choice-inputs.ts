import type { ChoiceRef } from '../ephemeral/mission-votes.js';
import { isDecisionTick, type TickInput, tallyStance } from '../game/index.js';
import type { ActiveMissionRecord } from './active-mission-record.js';
import type { EngineDeps } from './engine-deps.js';

/*
 * The viewers' choices reach a tick here. When a mission's next tick is the one its open choice applies
 * at, the worker closes that choice's vote and tallies it (one round trip for the whole batch), and the
 * tick logs the stance it used (its `stance` effect). Exactly once: a vote closed here takes no more
 * votes, so a tick run again (its commit refused, its worker killed) reads the same votes back and runs
 * with the same input; once committed, the input is in the log, which replay, the log repair and a
 * rebuild read, never the votes.
 */

/** The input of each mission's next tick, by mission id; missions without a choice due are left out. */
export async function tickInputsFor(
  deps: Pick<EngineDeps, 'store' | 'content'>,
  records: readonly (ActiveMissionRecord | Error | null)[],
): Promise<Map<string, TickInput>> {
  const due: { record: ActiveMissionRecord; choice: ChoiceRef }[] = [];
  for (const record of records) {
    if (!record || record instanceof Error || record.state.status !== 'active') continue;
    const decidesAt = record.tick + 1;
    if (!isDecisionTick(decidesAt, deps.content.rules)) continue;
    due.push({ record, choice: { missionId: record.id, decidesAt } });
  }
  const inputs = new Map<string, TickInput>();
  if (due.length === 0) return inputs;
  const votes = await deps.store.votes.closeChoiceVotes(due.map((d) => d.choice));
  due.forEach(({ record }, i) => {
    const cast = Object.values(votes[i] ?? {});
    if (cast.length > 0) {
      inputs.set(record.id, { stance: tallyStance(cast, record.state.stance, deps.content) });
    }
  });
  return inputs;
}
