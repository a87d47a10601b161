-- Channel events, seasons and the on-stream overlay (issue 16).

-- A broadcaster's event: a horde night (waves to hold) or a boss raid (health to bring down). Each
-- participant plays it as a mission of its own linked here (missions.event_id); the shared goal's
-- durable progress is the sum of the 'goal' effects logged by those missions' ticks.
CREATE TABLE channel_events (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel_id        text NOT NULL CHECK (length(channel_id) BETWEEN 1 AND 64),
  kind              text NOT NULL CHECK (kind IN ('horde_night', 'boss_raid')),
  location          text NOT NULL,
  difficulty        smallint NOT NULL CHECK (difficulty BETWEEN 1 AND 5),
  -- Shared by every participant: each one's mission seed is derived from it and the viewer's id.
  seed              text NOT NULL CHECK (seed ~ '^[0-9]{1,20}$'),
  content_version   text NOT NULL,
  status            text NOT NULL DEFAULT 'signup'
                    CHECK (status IN ('signup', 'running', 'succeeded', 'failed', 'cancelled')),
  -- Fixed when the sign-up closes, from the number of participants; null while signing up.
  goal              integer CHECK (goal > 0),
  length_ticks      integer NOT NULL CHECK (length_ticks > 0),
  tick_interval_ms  integer NOT NULL CHECK (tick_interval_ms > 0),
  -- The Twitch user id (or opaque id) of whoever opened it: the broadcaster or an allowed moderator.
  opened_by         text NOT NULL CHECK (length(opened_by) BETWEEN 1 AND 64),
  created_at        timestamptz NOT NULL DEFAULT now(),
  signup_ends_at    timestamptz NOT NULL,
  started_at        timestamptz,
  -- When the goal was reached (the event then winds down), or null.
  goal_reached_at   timestamptz,
  ended_at          timestamptz,
  result            jsonb
);
-- At most one open (signing up or running) event per channel.
CREATE UNIQUE INDEX channel_events_open_idx ON channel_events (channel_id)
  WHERE status IN ('signup', 'running');
CREATE INDEX channel_events_channel_idx ON channel_events (channel_id, created_at DESC);

-- One survivor per viewer per event. mission_id is set when the event starts and the survivor was free.
CREATE TABLE event_participants (
  event_id      bigint NOT NULL REFERENCES channel_events (id),
  user_id       bigint NOT NULL REFERENCES users (id),
  survivor_id   bigint NOT NULL REFERENCES survivors (id),
  joined_at     timestamptz NOT NULL DEFAULT now(),
  mission_id    bigint REFERENCES missions (id),
  -- Set when the event ends: contribution, rank and the XP the survivor was granted.
  reward        jsonb,
  PRIMARY KEY (event_id, user_id),
  UNIQUE (event_id, survivor_id)
);
CREATE INDEX event_participants_mission_idx ON event_participants (mission_id);

ALTER TABLE missions ADD COLUMN event_id bigint REFERENCES channel_events (id);
CREATE INDEX missions_event_idx ON missions (event_id) WHERE event_id IS NOT NULL;

-- The broadcaster's season and event choices.
ALTER TABLE channels
  ADD COLUMN season_period text NOT NULL DEFAULT 'weekly' CHECK (season_period IN ('weekly', 'monthly')),
  ADD COLUMN season_goal integer NOT NULL DEFAULT 500 CHECK (season_goal BETWEEN 1 AND 1000000),
  ADD COLUMN moderators_run_events boolean NOT NULL DEFAULT false;

-- The secret in the channel's OBS browser-source URL; rotating it revokes the old URL.
CREATE TABLE channel_overlays (
  channel_id  text PRIMARY KEY CHECK (length(channel_id) BETWEEN 1 AND 64),
  secret      text NOT NULL UNIQUE CHECK (length(secret) BETWEEN 32 AND 128),
  rotated_at  timestamptz NOT NULL DEFAULT now()
);
