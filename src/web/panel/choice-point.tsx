import type { Catalog, LiveMission, OpenChoice, RetreatVote } from '../api/api-types.js';
import type { PanelStore } from './panel-store.js';

/** What a group's retreat vote needs, with the rules' window when the catalog says it. */
function retreatVoteHint(catalog: Catalog | null): string {
  const ms = catalog?.retreatVoteWindowMs;
  const within = ms === undefined ? '' : `, within ${Math.round(ms / 1000)} s`;
  return `The party falls back when more than half of it votes to${within}`;
}

/** A stance's name and what it does, from the catalog (its id when the catalog lacks it). */
export function stanceOf(catalog: Catalog | null, id: string): { name: string; description: string } {
  const stance = catalog?.stances?.find((s) => s.id === id);
  return stance ?? { name: id, description: '' };
}

function closesText(ms: number): string {
  return ms > 0 ? `closes in ${Math.ceil(ms / 1000)} s` : 'closing…';
}

/**
 * The choice point open in a live mission: one button per stance with what it does and its votes, the
 * time left, and what happens with no vote (the current stance stays; a tie keeps it too).
 */
export function ChoicePointView({
  store,
  mission,
  choice,
  now,
}: {
  store: PanelStore;
  mission: LiveMission;
  choice: OpenChoice;
  now: number;
}) {
  const group = mission.kind === 'group';
  const current = stanceOf(store.catalog, choice.current).name;
  const leading = stanceOf(store.catalog, choice.leading).name;
  return (
    <section class="choice-point" data-testid="choice-point" aria-label="Choose how to go on">
      <header class="choice-head">
        <strong>{group ? 'Vote: how to go on?' : 'How to go on?'}</strong>
        <span class="muted nowrap" data-testid="choice-timer">
          {closesText(choice.closesAt - now)}
        </span>
      </header>
      <div class="choice-options">
        {choice.options.map((id) => {
          const stance = stanceOf(store.catalog, id);
          const votes = choice.votes[id] ?? 0;
          return (
            <button
              type="button"
              key={id}
              class="choice-option"
              data-stance={id}
              aria-pressed={choice.mine === id}
              disabled={store.busy}
              title={stance.description}
              onClick={() => void store.act(() => store.api.choose(mission.id, id))}
            >
              <span class="choice-name">
                {stance.name}
                {votes > 0 && (
                  <span class="choice-votes" data-testid="choice-votes">
                    {' '}
                    · {votes}
                  </span>
                )}
              </span>
              <span class="choice-effect">{stance.description}</span>
            </button>
          );
        })}
      </div>
      <p class="choice-rule muted" data-testid="choice-rule">
        {group
          ? `Most votes wins; a tie or no vote keeps ${current}. Now: ${leading}.`
          : `No choice keeps ${current}. Now: ${leading}.`}
      </p>
    </section>
  );
}

/** The retreat button: solo it calls the survivor home; in a group it is a vote, with the count so far. */
export function RetreatButton({
  store,
  mission,
  vote,
}: {
  store: PanelStore;
  mission: LiveMission;
  vote: RetreatVote | null | undefined;
}) {
  const label = !vote
    ? 'Retreat'
    : vote.mine
      ? `Retreat voted (${vote.votes}/${vote.needed})`
      : `Vote to retreat (${vote.votes}/${vote.needed})`;
  return (
    <button
      type="button"
      class="danger"
      data-testid="retreat"
      disabled={store.busy || vote?.mine === true}
      title={vote ? retreatVoteHint(store.catalog) : undefined}
      onClick={() => void store.act(() => store.api.retreat(mission.id))}
    >
      {label}
    </button>
  );
}
