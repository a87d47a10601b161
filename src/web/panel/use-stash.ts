import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Poll, Purchase, Stash } from '../api/api-types.js';
import type { HoldoutApi } from '../api/holdout-api.js';

export interface StashState {
  /** The viewer's stash as last read; null before the first read. */
  stash: Stash | null;
  /** Spends stash supplies on one survivor; the answer carries the stash after it. */
  buy(purchase: Purchase, survivorId: string): Promise<void>;
}

/**
 * The viewer's stash. A mission's end is what fills it, and that changes a survivor's state: the
 * stash is read again whenever a survivor's state changes, not on every poll (a poll answers every
 * tick while a mission runs; the stash does not change then).
 */
export function useStash(
  api: HoldoutApi,
  poll: Poll | null,
  act: <T>(action: () => Promise<T>) => Promise<T | undefined>,
  loggedIn: boolean,
): StashState {
  const [stash, setStash] = useState<Stash | null>(null);
  const states = poll ? poll.survivors.map((s) => `${s.id}:${s.state}`).join(',') : null;
  useEffect(() => {
    // A guest has no stash (the API asks for a login).
    if (states === null || !loggedIn) return;
    // A failed read keeps the stash last shown; the next change of state reads it again.
    api
      .stash()
      .then(setStash)
      .catch(() => undefined);
  }, [api, states, loggedIn]);
  const buy = useCallback(
    async (purchase: Purchase, survivorId: string) => {
      const bought = await act(() => api.spend(purchase, survivorId));
      if (bought) setStash(bought.stash);
    },
    [api, act],
  );
  return { stash, buy };
}
