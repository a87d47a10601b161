import { useState } from 'preact/hooks';
import { MAX_NAME_LENGTH } from '../../game/survivor-name.js';
import { BitsShop } from './bits-shop.js';
import type { BitsShopState } from './bits-shop-state.js';
import type { PanelStore } from './panel-store.js';
import { FallenSurvivor, RetiredSurvivor, StashSummary } from './stash-view.js';
import { SurvivorCard } from './survivor-card.js';
import { useNow } from './ui.js';

/** Living survivors a viewer may keep (the API says 3; it refuses a fourth in words). */
const MAX_LIVING = 3;

export function GuestInvite({ store }: { store: PanelStore }) {
  return (
    <div class="invite" data-testid="login-invite">
      <p>
        <strong>You're watching as a guest.</strong> Log in to Twitch and share your identity with Holdout to
        recruit survivors and send them out.
      </p>
      <button type="button" class="primary small" onClick={store.requestIdShare}>
        Log in to play
      </button>
    </div>
  );
}

export function RosterView({
  store,
  onWatch,
  onSend,
  shop,
}: {
  store: PanelStore;
  onWatch: (missionId: string) => void;
  onSend: (survivorId: string) => void;
  shop: BitsShopState;
}) {
  const [name, setName] = useState('');
  const now = useNow(1000, store.clockOffset);
  const survivors = store.poll?.survivors ?? [];
  const living = survivors.filter((s) => s.state !== 'dead');
  // A retired survivor is dead by the player's choice: listed apart, never as fallen.
  const fallen = survivors.filter((s) => s.state === 'dead' && !s.retired);
  const retired = survivors.filter((s) => s.state === 'dead' && s.retired);

  if (!store.loggedIn && store.auth) return <GuestInvite store={store} />;
  return (
    <div class="roster">
      {store.poll === null && <p class="muted">Loading your survivors…</p>}
      {store.poll && survivors.length === 0 && (
        <p class="notice">
          The city fell a year ago. Recruit up to {MAX_LIVING} survivors, send them out for supplies, and keep
          them alive.
        </p>
      )}
      {store.loggedIn && <StashSummary store={store} />}
      {living.map((s) => (
        <SurvivorCard key={s.id} survivor={s} store={store} now={now} onWatch={onWatch} onSend={onSend} />
      ))}
      {store.poll && living.length < MAX_LIVING && (
        <form
          class="recruit"
          onSubmit={(e) => {
            e.preventDefault();
            void store.act(() => store.api.createSurvivor(name.trim())).then((made) => made && setName(''));
          }}
        >
          <label for="recruit-name" class="visually-hidden">
            New survivor's name
          </label>
          <input
            id="recruit-name"
            value={name}
            maxLength={MAX_NAME_LENGTH}
            placeholder={living.length === 0 ? 'Name your first survivor' : 'Name a new survivor'}
            onInput={(e) => setName(e.currentTarget.value)}
          />
          <button type="submit" class="primary" disabled={store.busy || name.trim() === ''}>
            Recruit
          </button>
        </form>
      )}
      {fallen.length > 0 && (
        <div class="fallen muted" data-testid="fallen-list">
          <span data-testid="fallen-heading">Fallen:</span>
          <ul>
            {fallen.map((s) => (
              <FallenSurvivor key={s.id} store={store} survivor={s} />
            ))}
          </ul>
        </div>
      )}
      {retired.length > 0 && (
        <div class="fallen muted" data-testid="retired-list">
          <span data-testid="retired-heading">Retired:</span>
          <ul>
            {retired.map((s) => (
              <RetiredSurvivor key={s.id} survivor={s} />
            ))}
          </ul>
        </div>
      )}
      <BitsShop store={store} shop={shop} />
    </div>
  );
}
