-- Holdout's durable tables (ADR-0006, completed by DESIGN §4).
-- Ids are bigint identities: they travel in every Redis key and log row, and short keys keep Redis small.

CREATE TABLE users (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  opaque_user_id  text NOT NULL UNIQUE CHECK (length(opaque_user_id) BETWEEN 1 AND 64),
  twitch_user_id  text CHECK (length(twitch_user_id) BETWEEN 1 AND 64),
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE channels (
  channel_id              text PRIMARY KEY CHECK (length(channel_id) BETWEEN 1 AND 64),
  max_difficulty          smallint NOT NULL DEFAULT 5 CHECK (max_difficulty BETWEEN 1 AND 5),
  group_missions_enabled  boolean NOT NULL DEFAULT true,
  mission_length          text NOT NULL DEFAULT 'standard' CHECK (mission_length IN ('short', 'standard', 'long')),
  updated_at              timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE survivors (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  attributes   jsonb NOT NULL,
  health       integer NOT NULL CHECK (health >= 0),
  max_health   integer NOT NULL CHECK (max_health > 0),
  stamina      integer NOT NULL CHECK (stamina >= 0),
  max_stamina  integer NOT NULL CHECK (max_stamina > 0),
  level        integer NOT NULL DEFAULT 1 CHECK (level >= 1),
  xp           integer NOT NULL DEFAULT 0 CHECK (xp >= 0),
  perk_slots   smallint NOT NULL CHECK (perk_slots >= 0),
  perks        text[] NOT NULL DEFAULT '{}',
  perk_offers  text[] NOT NULL DEFAULT '{}',
  state        text NOT NULL DEFAULT 'idle'
               CHECK (state IN ('idle', 'in_lobby', 'on_mission', 'recovering', 'dead')),
  state_until  timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  died_at      timestamptz,
  retired_at   timestamptz
);
CREATE INDEX survivors_user_idx ON survivors (user_id);

CREATE TABLE missions (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel_id        text NOT NULL CHECK (length(channel_id) BETWEEN 1 AND 64),
  kind              text NOT NULL CHECK (kind IN ('solo', 'group')),
  location          text NOT NULL,
  difficulty        smallint NOT NULL CHECK (difficulty BETWEEN 1 AND 5),
  -- A 64-bit unsigned seed does not fit bigint; kept as its decimal digits.
  seed              text NOT NULL CHECK (seed ~ '^[0-9]{1,20}$'),
  content_version   text NOT NULL,
  status            text NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'succeeded', 'failed', 'retreated')),
  length_ticks      integer NOT NULL CHECK (length_ticks > 0),
  tick_interval_ms  integer NOT NULL CHECK (tick_interval_ms > 0),
  start_snapshot    jsonb NOT NULL,
  result            jsonb,
  created_at        timestamptz NOT NULL DEFAULT now(),
  started_at        timestamptz NOT NULL DEFAULT now(),
  ended_at          timestamptz
);
CREATE INDEX missions_active_idx ON missions (id) WHERE status = 'active';
CREATE INDEX missions_channel_idx ON missions (channel_id, ended_at);

CREATE TABLE mission_participants (
  mission_id   bigint NOT NULL REFERENCES missions (id),
  survivor_id  bigint NOT NULL REFERENCES survivors (id),
  user_id      bigint NOT NULL REFERENCES users (id),
  slot         smallint NOT NULL CHECK (slot BETWEEN 0 AND 3),
  PRIMARY KEY (mission_id, survivor_id),
  UNIQUE (mission_id, slot)
);
CREATE INDEX mission_participants_survivor_idx ON mission_participants (survivor_id);
CREATE INDEX mission_participants_user_idx ON mission_participants (user_id);

-- Append-only. Partitioned by month on the tick's scheduled time, which is fixed before the tick
-- runs, so a retried tick lands in the same partition and the unique key turns it into a no-op.
-- No DEFAULT partition: old months can then be detached CONCURRENTLY. Partitions are created
-- ahead of time by ensureMonthlyPartitions (at start-up and by maintenance).
CREATE TABLE mission_logs (
  mission_id    bigint NOT NULL REFERENCES missions (id),
  tick_index    integer NOT NULL CHECK (tick_index >= 1),
  scheduled_at  timestamptz NOT NULL,
  encounter_id  text NOT NULL,
  text          text NOT NULL,
  seed          text NOT NULL,
  modifiers     text[] NOT NULL DEFAULT '{}',
  effects       jsonb NOT NULL,
  -- When a worker actually ran the tick; ticked_at - scheduled_at is the tick's lateness.
  ticked_at     timestamptz NOT NULL DEFAULT now(),
  logged_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (mission_id, tick_index, scheduled_at)
) PARTITION BY RANGE (scheduled_at);
