import { useState } from 'preact/hooks';
import { xpForLevel } from '../../game/progression.js';
import type { Catalog, LiveMission, Survivor } from '../api/api-types.js';
import type { PanelStore } from './panel-store.js';
import { SurvivorPurchases } from './stash-view.js';
import { Bar, clock } from './ui.js';

const STATE_WORDS: Record<Survivor['state'], string> = {
  idle: 'Idle',
  in_lobby: 'In a lobby',
  on_mission: 'On a mission',
  recovering: 'Recovering',
  dead: 'Fallen',
};

function StateBadge({ survivor, mission, now }: { survivor: Survivor; mission?: LiveMission; now: number }) {
  let detail = '';
  if (survivor.state === 'recovering' && survivor.stateUntil) detail = ` ${clock(survivor.stateUntil - now)}`;
  if (survivor.state === 'on_mission' && mission) detail = ` ${mission.tick}/${mission.length}`;
  return (
    <span class={`badge state-${survivor.state}`} data-testid="state">
      {survivor.state === 'dead' && survivor.retired ? 'Retired' : STATE_WORDS[survivor.state]}
      {detail}
    </span>
  );
}

function PerkSlots({ survivor, store }: { survivor: Survivor; store: PanelStore }) {
  const [choosing, setChoosing] = useState(false);
  const catalog = store.catalog;
  const idle = survivor.state === 'idle';
  const free = Math.max(0, survivor.perkSlots - survivor.perks.length);
  const perkName = (id: string) => catalog?.perks.find((p) => p.id === id)?.name ?? id;
  // Offers are binding: a survivor takes only a perk it was offered.
  const choices = (catalog?.perks ?? []).filter(
    (p) => survivor.perkOffers.includes(p.id) && !survivor.perks.includes(p.id),
  );

  if (choosing && catalog) {
    return (
      <PerkChooser
        survivor={survivor}
        choices={choices}
        onClose={() => setChoosing(false)}
        onEquip={(perkId) =>
          void store.act(() => store.api.equip(survivor.id, perkId)).then(() => setChoosing(false))
        }
      />
    );
  }
  return (
    <ul class="perks" aria-label={`${survivor.name}'s perk slots`}>
      {survivor.perks.map((id) => (
        <li key={id}>
          <span class="perk" title={catalog?.perks.find((p) => p.id === id)?.description}>
            {perkName(id)}
            {idle && (
              <button
                type="button"
                class="perk-x"
                aria-label={`Unequip ${perkName(id)}`}
                onClick={() => void store.act(() => store.api.unequip(survivor.id, id))}
              >
                ×
              </button>
            )}
          </span>
        </li>
      ))}
      {Array.from({ length: free }, (_, i) => (
        <li key={`free-${i}`}>
          <button
            type="button"
            class="perk perk-empty"
            disabled={!idle || !store.loggedIn}
            onClick={() => setChoosing(true)}
            title={idle ? 'Equip a perk' : 'Perks change only while idle'}
          >
            + perk
            {survivor.perkOffers.length > 0 && i === 0 && (
              <span
                class="offer"
                title="A survivor takes only a perk it was offered: offers come when a slot opens, and supplies buy new ones"
                data-testid="offer-hint"
              >
                {' '}
                ★{'\u00a0'}offered
              </span>
            )}
          </button>
        </li>
      ))}
    </ul>
  );
}

function PerkChooser({
  survivor,
  choices,
  onEquip,
  onClose,
}: {
  survivor: Survivor;
  choices: Catalog['perks'];
  onEquip: (perkId: string) => void;
  onClose: () => void;
}) {
  const [perkId, setPerkId] = useState(choices[0]?.id ?? '');
  const chosen = choices.find((p) => p.id === perkId);
  return (
    <form
      class="perk-chooser"
      onSubmit={(e) => {
        e.preventDefault();
        if (perkId) onEquip(perkId);
      }}
    >
      <select
        aria-label={`Perk for ${survivor.name}`}
        value={perkId}
        onChange={(e) => setPerkId(e.currentTarget.value)}
        // biome-ignore lint/a11y/noAutofocus: the chooser opens on the viewer's click; focus follows it.
        autoFocus
      >
        {choices.map((p) => (
          <option key={p.id} value={p.id}>
            ★ {p.name}
          </option>
        ))}
      </select>
      <button type="submit" class="primary small" disabled={!perkId}>
        Equip
      </button>
      <button type="button" class="small" onClick={onClose}>
        Cancel
      </button>
      {choices.length > 0 && (
        <p class="perk-about" data-testid="offer-legend">
          ★ offered to {survivor.name}: a survivor takes only a perk it was offered.
        </p>
      )}
      <p class="perk-about">
        {chosen?.description ?? 'No perk offered: new offers come when a slot opens, or for supplies.'}
      </p>
    </form>
  );
}

export function SurvivorCard({
  survivor,
  store,
  now,
  onWatch,
  onSend,
}: {
  survivor: Survivor;
  store: PanelStore;
  now: number;
  onWatch: (missionId: string) => void;
  onSend: (survivorId: string) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const mission = store.poll?.missions.find((m) => m.id === survivor.missionId);
  const floor = xpForLevel(survivor.level);
  const next = xpForLevel(survivor.level + 1);
  const { grit, wits, agility } = survivor.attributes;
  return (
    <article
      class={`card survivor state-${survivor.state}`}
      aria-label={survivor.name}
      data-testid="survivor"
    >
      <header class="card-head">
        <h3>{survivor.name}</h3>
        <span class="level">
          Lv{'\u00a0'}
          {survivor.level}
        </span>
        <StateBadge survivor={survivor} mission={mission} now={now} />
      </header>
      <div class="card-body">
        <div class="bars">
          <Bar label="HP" kind="health" value={survivor.health} max={survivor.maxHealth} />
          <Bar label="ST" kind="stamina" value={survivor.stamina} max={survivor.maxStamina} />
          <Bar
            label="XP"
            kind="xp"
            value={survivor.xp - floor}
            max={next - floor}
            text={next > floor ? `${survivor.xp}/${next}` : `${survivor.xp}`}
          />
        </div>
        <dl class="attrs">
          <dt title="Grit">GRT</dt>
          <dd>{grit}</dd>
          <dt title="Wits">WIT</dt>
          <dd>{wits}</dd>
          <dt title="Agility">AGI</dt>
          <dd>{agility}</dd>
        </dl>
      </div>
      <PerkSlots survivor={survivor} store={store} />
      {confirming ? (
        <div class="card-actions">
          <span class="confirm">Retire {survivor.name} for good?</span>
          <button
            type="button"
            class="danger small"
            onClick={() =>
              void store.act(() => store.api.retire(survivor.id)).then(() => setConfirming(false))
            }
          >
            Retire
          </button>
          <button type="button" class="small" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </div>
      ) : (
        <div class="card-actions">
          {survivor.state === 'idle' && (
            <>
              <button
                type="button"
                class="primary small"
                disabled={!store.loggedIn}
                onClick={() => onSend(survivor.id)}
              >
                Send out
              </button>
              <button
                type="button"
                class="small"
                disabled={!store.loggedIn}
                onClick={() => setConfirming(true)}
              >
                Retire
              </button>
            </>
          )}
          <SurvivorPurchases store={store} survivor={survivor} now={now} />
          {survivor.missionId && survivor.state !== 'in_lobby' && (
            <button type="button" class="small" onClick={() => onWatch(survivor.missionId!)}>
              {survivor.state === 'on_mission' ? 'Watch' : 'Last mission'}
            </button>
          )}
        </div>
      )}
    </article>
  );
}
