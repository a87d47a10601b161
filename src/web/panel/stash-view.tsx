import { recoveryPrice } from '../../game/recovery-price.js';
import type { Purchase, Survivor } from '../api/api-types.js';
import type { PanelStore } from './panel-store.js';

/** The viewer's stash: supplies to spend and the items brought home. */
export function StashSummary({ store }: { store: PanelStore }) {
  const { stash } = store;
  if (!stash) return null;
  return (
    <p class="stash" data-testid="stash">
      <span class="stash-supplies" title="Supplies your survivors brought home: spend them on your survivors">
        Stash: <strong data-testid="stash-supplies">{stash.supplies}</strong> supplies
      </span>
      {stash.items.map((item) => (
        <span key={item.id} class="stash-item" title={item.description}>
          {' · '}
          {item.name}
          {item.count > 1 ? `\u00a0×${item.count}` : ''}
        </span>
      ))}
    </p>
  );
}

/** One thing supplies buy, as a button with its price; greyed out (and saying why) when unaffordable. */
function BuyButton({
  store,
  survivor,
  purchase,
  price,
  label,
  what,
}: {
  store: PanelStore;
  survivor: Survivor;
  purchase: Purchase;
  price: number;
  label: string;
  what: string;
}) {
  const have = store.stash?.supplies ?? 0;
  const short = have < price;
  return (
    <button
      type="button"
      class="small buy"
      data-testid={`buy-${purchase}`}
      disabled={!store.loggedIn || store.busy || store.stash === null || short}
      title={
        short ? `${what} costs ${price} supplies; your stash holds ${have}` : `${what} for ${price} supplies`
      }
      onClick={() => void store.buy(purchase, survivor.id)}
    >
      {label}
      {'\u00a0·\u00a0'}
      {price}
    </button>
  );
}

/** The purchases that fit a survivor now: rest now while it recovers, new perk offers for a free slot. */
export function SurvivorPurchases({
  store,
  survivor,
  now,
}: {
  store: PanelStore;
  survivor: Survivor;
  now: number;
}) {
  const prices = store.stash?.prices;
  if (!prices) return null;
  if (survivor.state === 'recovering' && survivor.stateUntil !== null && survivor.stateUntil > now) {
    const price = recoveryPrice(survivor.stateUntil, now, prices.recoverPerMinute);
    return (
      <BuyButton
        store={store}
        survivor={survivor}
        purchase="recover"
        price={price}
        label="Rest now"
        what="Ending the rest now"
      />
    );
  }
  if (survivor.state === 'idle' && survivor.perks.length < survivor.perkSlots) {
    return (
      <BuyButton
        store={store}
        survivor={survivor}
        purchase="reroll_offers"
        price={prices.rerollOffers}
        label="New offers"
        what="New perk offers"
      />
    );
  }
  return null;
}

/** A survivor that fell on a mission, with a revive for supplies. */
export function FallenSurvivor({ store, survivor }: { store: PanelStore; survivor: Survivor }) {
  const prices = store.stash?.prices;
  return (
    <li class="fallen-one" data-testid="fallen">
      {survivor.name} (Lv{'\u00a0'}
      {survivor.level})
      {prices && (
        <BuyButton
          store={store}
          survivor={survivor}
          purchase="revive"
          price={prices.revive}
          label="Revive"
          what={`Reviving ${survivor.name}`}
        />
      )}
    </li>
  );
}

/** A survivor its player retired: it stays retired (no revive), and is not shown as fallen. */
export function RetiredSurvivor({ survivor }: { survivor: Survivor }) {
  return (
    <li class="fallen-one" data-testid="retired">
      {survivor.name} (Lv{'\u00a0'}
      {survivor.level})
    </li>
  );
}
