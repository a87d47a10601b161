import { useState } from 'preact/hooks';
import { CarryPicker } from './carry-picker.js';
import { type Choice, defaultChoice, MissionChoice } from './mission-choice.js';
import type { PanelStore } from './panel-store.js';
import { GuestInvite } from './roster-view.js';

/** A solo mission: which idle survivor, where, how hard. */
export function MissionPicker({
  store,
  survivorId,
  onStarted,
  onGroup,
}: {
  store: PanelStore;
  survivorId: string | null;
  onStarted: (missionId: string) => void;
  onGroup: () => void;
}) {
  const { catalog } = store;
  const idle = (store.poll?.survivors ?? []).filter((s) => s.state === 'idle');
  const [picked, setPicked] = useState<string | null>(survivorId);
  const [choice, setChoice] = useState<Choice | null>(null);
  const [carry, setCarry] = useState<string[]>([]);
  if (!catalog) return <p class="muted">Loading the map…</p>;
  const current = choice ?? defaultChoice(catalog);
  const survivor = idle.find((s) => s.id === picked) ?? idle[0];

  return (
    <form
      class="picker"
      onSubmit={(e) => {
        e.preventDefault();
        if (!survivor) return;
        void store
          .act(() => store.api.startMission(survivor.id, current.location, current.difficulty, carry))
          .then((started) => {
            if (!started) return;
            setCarry([]);
            onStarted(started.missionId);
          });
      }}
    >
      <h2>New mission</h2>
      {!store.loggedIn && store.auth && <GuestInvite store={store} />}
      {store.loggedIn && idle.length === 0 && (
        <p class="notice">Nobody is ready to go: recruit a survivor, or wait for one to recover.</p>
      )}
      {idle.length > 0 && (
        <label class="field" for="mission-survivor">
          <span>Survivor</span>
          <select
            id="mission-survivor"
            value={survivor?.id}
            onChange={(e) => setPicked(e.currentTarget.value)}
          >
            {idle.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} (Lv {s.level}, {s.health}/{s.maxHealth} HP)
              </option>
            ))}
          </select>
        </label>
      )}
      <MissionChoice catalog={catalog} choice={current} onChange={setChoice} idPrefix="solo" />
      {store.loggedIn && <CarryPicker stash={store.stash} carry={carry} onChange={setCarry} />}
      <div class="row">
        <button type="submit" class="primary" disabled={!store.loggedIn || !survivor || store.busy}>
          Start solo mission
        </button>
        {catalog.settings.groupMissionsEnabled && (
          <button type="button" onClick={onGroup}>
            Group up…
          </button>
        )}
      </div>
    </form>
  );
}
