-- Writes a channel event's live meter unless Redis already holds one (the start and the reconciler
-- both call it; whoever is first wins, and a meter that exists is at least as new as Postgres).
-- KEYS[1] channel_event:{id}  KEYS[2] event_contributions:{id}  KEYS[3] event_highlights:{id}
-- ARGV[1] progress  ARGV[2] goal  ARGV[3] status  ARGV[4] count of contributions c
-- then c pairs of (user id, contribution), then highlights, oldest first
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'progress', ARGV[1], 'goal', ARGV[2], 'status', ARGV[3])
redis.call('DEL', KEYS[2], KEYS[3])
local c = tonumber(ARGV[4])
for i = 0, c - 1 do
  redis.call('ZADD', KEYS[2], ARGV[6 + 2 * i], ARGV[5 + 2 * i])
end
for i = 5 + 2 * c, #ARGV do
  redis.call('LPUSH', KEYS[3], ARGV[i])
end
return 1
