-- The economy (issue 15): each viewer's stash of supplies and items, and the perk-offer rerolls.

-- What a viewer's survivors brought home: filled by a mission's completion transaction (which runs
-- once per mission, so loot arrives exactly once), spent between missions on faster recovery,
-- revives and new perk offers. A spend is one guarded UPDATE (supplies >= price), so two spends at
-- once can never take it below 0; the CHECK is the backstop. No row yet means an empty stash.
CREATE TABLE stashes (
  user_id     bigint PRIMARY KEY REFERENCES users (id),
  supplies    integer NOT NULL DEFAULT 0 CHECK (supplies >= 0),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Items in a stash, by kind (items.json ids). A row stays, at 0, when the last one is taken out: the
-- app's database role never deletes (deploy/postgres/roles.sql).
CREATE TABLE stash_items (
  user_id  bigint NOT NULL REFERENCES users (id),
  item_id  text NOT NULL CHECK (length(item_id) BETWEEN 1 AND 64),
  count    integer NOT NULL CHECK (count >= 0),
  PRIMARY KEY (user_id, item_id)
);

-- How many times a survivor's perk offers were redrawn for supplies: part of the next draw's seed, so
-- a draw is reproducible and a viewer cannot fish for offers by repeating a request.
ALTER TABLE survivors ADD COLUMN offer_rerolls integer NOT NULL DEFAULT 0 CHECK (offer_rerolls >= 0);
