-- The poll's Redis work in one round trip: count the call against the viewer's rate limit, then read
-- the cached roster and the records of its missions.
-- Rosters are written with "missionIds" first (viewer-roster.ts), so no JSON decoding is needed here.
-- KEYS[1] viewer:{userId}   KEYS[2] rate_limit:{opaqueUserId}:{endpoint}
-- ARGV[1] the active_mission key of an empty id (keys.ts builds it)
-- ARGV[2] the rate window (ms)   ARGV[3] the calls allowed per window
-- Returns {count, ms left in the window} when over budget, {count, -1} on a miss (no roster, or a
-- rebuild's lease), else {count, -1, roster, record1, record2, ...}: the time left matters only to a
-- refusal (Retry-After), and asking for it on every poll would cost Redis a command per poll.

-- A fixed window that starts at the first call, as increment-counter.lua keeps it.
local count = redis.call('INCR', KEYS[2])
local window = tonumber(ARGV[2])
if count == 1 then
  redis.call('PEXPIRE', KEYS[2], window)
end
if count > tonumber(ARGV[3]) then
  local ttl = redis.call('PTTL', KEYS[2])
  if ttl < 0 then
    -- A counter without its expiry (never written so here) must not refuse forever.
    redis.call('PEXPIRE', KEYS[2], window)
    ttl = window
  end
  return { count, ttl }
end
local reply = { count, -1 }

local roster = redis.call('GET', KEYS[1])
if not roster or string.sub(roster, 1, 6) == 'lease:' then
  return reply
end
reply[3] = roster
local ids = string.match(roster, '^{"missionIds":%[(.-)%]')
if ids then
  for id in string.gmatch(ids, '"([^"]*)"') do
    reply[#reply + 1] = redis.call('GET', ARGV[1] .. id)
  end
end
return reply
