-- Which lobby an in_lobby survivor waits in. Lobbies live in Redis and may vanish (expiry, a flushed
-- Redis); this column lets the API find the survivors of a vanished lobby and send them back to idle.
-- Meaningful only while state = 'in_lobby'; left behind (and ignored) once the survivor moves on.
ALTER TABLE survivors ADD COLUMN lobby_id text CHECK (length(lobby_id) BETWEEN 1 AND 64);
CREATE INDEX survivors_in_lobby_idx ON survivors (lobby_id) WHERE state = 'in_lobby';
