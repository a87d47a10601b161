-- The Twitch platform (issue 17): display names, a broadcaster's chat switch, cosmetic titles, and the
-- durable record of every Bits transaction.

-- A viewer who shared their identity is shown by their Twitch display name, fetched in the background
-- with Helix Get Users; checked_at says when, so that names are refreshed now and then.
ALTER TABLE users ADD COLUMN display_name text CHECK (length(display_name) BETWEEN 1 AND 64);
ALTER TABLE users ADD COLUMN display_name_checked_at timestamptz;
-- A cosmetic title bought with Bits: shown next to the viewer's name, never counted anywhere.
ALTER TABLE users ADD COLUMN title text CHECK (length(title) BETWEEN 1 AND 32);
CREATE INDEX users_display_name_due_idx ON users (display_name_checked_at NULLS FIRST)
  WHERE twitch_user_id IS NOT NULL;

-- The broadcaster decides whether the extension speaks in their chat.
ALTER TABLE channels ADD COLUMN chat_messages_enabled boolean NOT NULL DEFAULT true;

-- Every Bits transaction Holdout has seen, keyed by Twitch's transaction id: the primary key is what
-- makes fulfilment exactly once. A row is inserted and its product's effect applied in one Postgres
-- transaction, so a receipt that arrives twice, from two instances at once, or again after a crash
-- fulfils once: the second insert waits for the first to commit and then finds the row.
CREATE TABLE bits_transactions (
  transaction_id  text PRIMARY KEY CHECK (length(transaction_id) BETWEEN 1 AND 128),
  twitch_user_id  text NOT NULL CHECK (length(twitch_user_id) BETWEEN 1 AND 64),
  user_id         bigint REFERENCES users (id),
  channel_id      text NOT NULL CHECK (length(channel_id) BETWEEN 1 AND 64),
  sku             text NOT NULL,
  bits            integer NOT NULL CHECK (bits > 0),
  target          jsonb NOT NULL DEFAULT '{}',
  -- fulfilled: the effect was applied; failed: it could not be (reason says why; Bits were spent).
  status          text NOT NULL CHECK (status IN ('fulfilled', 'failed')),
  reason          text,
  -- How Holdout learned of it: the panel's receipt, or the reconciliation against Helix.
  source          text NOT NULL CHECK (source IN ('receipt', 'reconcile')),
  purchased_at    timestamptz NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bits_transactions_user_idx ON bits_transactions (user_id);
