import { useState } from 'preact/hooks';
import { assertRevivable } from '../../game/economy.js';
import type { BitsProductView, BitsTarget, Survivor } from '../api/api-types.js';
import type { BitsShopState } from './bits-shop-state.js';
import type { PanelStore } from './panel-store.js';

/** Survivors a revive can bring back, by the game's one revive rule (the API checks it again). */
function revivable(survivors: readonly Survivor[]): Survivor[] {
  const living = survivors.filter((s) => s.state !== 'dead').length;
  return survivors.filter((s) => {
    try {
      assertRevivable(s, living);
      return true;
    } catch {
      return false;
    }
  });
}

function ProductRow({
  product,
  store,
  shop,
}: {
  product: BitsProductView;
  store: PanelStore;
  shop: BitsShopState;
}) {
  const candidates = revivable(store.poll?.survivors ?? []);
  const [picked, setPicked] = useState<string | null>(null);
  const survivor = candidates.find((s) => s.id === picked) ?? candidates[0];
  const lobbyId = store.poll?.lobby?.id;
  let target: BitsTarget | null = {};
  let why = '';
  if (product.target === 'survivor') {
    target = survivor ? { survivorId: survivor.id } : null;
    why = 'nobody to revive';
  } else if (product.target === 'lobby') {
    target = lobbyId ? { lobbyId } : null;
    why = 'wait in a lobby first';
  }
  const selectId = `bits-${product.sku}-survivor`;
  return (
    <li data-testid="bits-product" data-sku={product.sku}>
      <div class="bits-head">
        <span class="bits-name">{product.displayName}</span>
        <button
          type="button"
          class="small primary"
          disabled={target === null || shop.pending !== null || store.busy}
          title={target === null ? why : product.description}
          onClick={() => target && shop.buy(product, target)}
        >
          {shop.pending === product.sku ? 'Waiting…' : `${product.bits} Bits`}
        </button>
      </div>
      <p class="muted bits-about">
        {target === null ? `${product.description} (${why})` : product.description}
      </p>
      {product.target === 'survivor' && candidates.length > 1 && (
        <label class="field" for={selectId}>
          <span>Revive</span>
          <select id={selectId} value={survivor?.id} onChange={(e) => setPicked(e.currentTarget.value)}>
            {candidates.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} (Lv {s.level})
              </option>
            ))}
          </select>
        </label>
      )}
    </li>
  );
}

/** The Bits products: a second chance, comfort for a lobby, a title. Never power on the leaderboard. */
export function BitsShop({ store, shop }: { store: PanelStore; shop: BitsShopState }) {
  if (!shop.available || !shop.products || shop.products.length === 0) return null;
  return (
    <section class="bits-shop" aria-label="Support with Bits" data-testid="bits-shop">
      <h2>Support with Bits</h2>
      {shop.message && (
        <p
          class={`notice ${shop.message.tone === 'warn' ? 'notice-warn' : ''}`}
          role="status"
          data-testid="bits-message"
        >
          {shop.message.text}
        </p>
      )}
      <ul class="bits-products">
        {shop.products.map((p) => (
          <ProductRow key={p.sku} product={p} store={store} shop={shop} />
        ))}
      </ul>
    </section>
  );
}
