import type { Stash } from '../api/api-types.js';

/**
 * Stash items to take along on a mission (the solo picker's, and a lobby member's own): toggles, at most `stash.maxCarried`, each as many times
 * as the stash holds it. Hidden while the stash holds no items.
 */
export function CarryPicker({
  stash,
  carry,
  onChange,
}: {
  stash: Stash | null;
  carry: string[];
  onChange: (carry: string[]) => void;
}) {
  if (!stash || stash.items.length === 0) return null;
  const full = carry.length >= stash.maxCarried;
  return (
    <fieldset class="carry" data-testid="carry">
      <legend>
        Carry (up to {stash.maxCarried}, used up){carry.length > 0 ? `: ${carry.length}` : ''}
      </legend>
      {stash.items.map((item) => {
        const taken = carry.filter((id) => id === item.id).length;
        return (
          <button
            key={item.id}
            type="button"
            class={`small chip${taken > 0 ? ' chosen' : ''}`}
            aria-pressed={taken > 0}
            title={item.description}
            disabled={taken === 0 && full}
            onClick={() => onChange(taken > 0 ? carry.filter((id) => id !== item.id) : [...carry, item.id])}
          >
            {item.name}
            {item.count > 1 ? `\u00a0×${item.count}` : ''}
          </button>
        );
      })}
    </fieldset>
  );
}
