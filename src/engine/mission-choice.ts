import { isDurableId } from '../durable/durable-id.js';
import type { ChoiceVotes } from '../ephemeral/mission-votes.js';
import { assertStance, type Content, openChoice, stanceOptions, tallyStance } from '../game/index.js';
import { type ActiveMissionRecord, parseActiveMissionRecord, scheduledAt } from './active-mission-record.js';
import type { EngineDeps } from './engine-deps.js';
import {
  ChoiceClosedError,
  MissionEndedError,
  MissionNotFoundError,
  NotYourMissionError,
} from './engine-errors.js';
import { explainMissing } from './retreat-mission.js';

/** An open choice point as a viewer sees it: what is on offer, until when, and how the vote stands. */
export interface ChoiceView {
  /** The tick the choice applies at. */
  decidesAt: number;
  /** When that tick is due (ms since the epoch): the vote closes then. */
  closesAt: number;
  /** The stance the party holds now: it stays if nobody votes, or on a tie. */
  current: string;
  options: string[];
  /** Votes per stance, counted. */
  votes: Record<string, number>;
  /** What the stance would be if the vote closed now (the same rule the tick applies). */
  leading: string;
  /** The viewer's own vote, or null. */
  mine: string | null;
}

/** The choice open in a mission, as `userId` sees it with `votes`; null when none is open. */
export function choiceView(
  record: ActiveMissionRecord,
  votes: ChoiceVotes,
  userId: string | null,
  content: Content,
): ChoiceView | null {
  const open = openChoice(record.state, content.rules);
  if (!open || votes.closed) return null;
  const counts: Record<string, number> = {};
  for (const stance of Object.values(votes.votes)) counts[stance] = (counts[stance] ?? 0) + 1;
  return {
    decidesAt: open.decidesAt,
    closesAt: scheduledAt(record, open.decidesAt),
    current: record.state.stance,
    options: stanceOptions(content),
    votes: counts,
    leading: tallyStance(Object.values(votes.votes), record.state.stance, content),
    mine: (userId !== null && votes.votes[userId]) || null,
  };
}

/**
 * A participant votes at the mission's open choice point (solo, the vote is the choice). Only while the
 * choice is open: before the tick that applies it closes the vote (choice-inputs.ts); after, 409.
 */
export async function castChoice(
  deps: EngineDeps,
  input: { missionId: string; userId: string; stance: string },
): Promise<ChoiceView> {
  const { missionId, userId } = input;
  if (!isDurableId(missionId)) throw new MissionNotFoundError(missionId);
  const stance = assertStance(input.stance, deps.content);
  const json = await deps.store.getActiveMission(missionId);
  if (json === null) return await explainMissing(deps, missionId);
  const record = parseActiveMissionRecord(json);
  if (!record.members.some((member) => member.userId === userId)) throw new NotYourMissionError(missionId);
  if (record.state.status !== 'active') throw new MissionEndedError(missionId);
  const open = openChoice(record.state, deps.content.rules);
  if (!open) throw new ChoiceClosedError(missionId);
  const choice = { missionId, decidesAt: open.decidesAt };
  if (!(await deps.store.votes.castChoiceVote(choice, userId, stance)))
    throw new ChoiceClosedError(missionId);
  const [votes] = await deps.store.votes.readChoiceVotes([choice]);
  // Closed between the two calls: the vote was cast in time and counted; show the tally it joined.
  const view = choiceView(record, { votes: votes!.votes, closed: false }, userId, deps.content);
  return view!;
}
