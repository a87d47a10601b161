-- The poll's count against the viewer's rate limit, in one step, without a PTTL on every poll.
-- A fixed window that starts at the first call, as increment-counter.lua keeps it.
-- KEYS[1] rate_limit:{opaqueUserId}:{endpoint}   ARGV[1] the rate window (ms)   ARGV[2] the calls allowed
-- Returns {count, ms left in the window} when over budget, else {count, -1}: the time left matters only
-- to a refusal (Retry-After). The roster and its missions are read beside it (viewer-cache.ts): they
-- live in other slots of a cluster, and a script may touch only the keys it is given.
local count = redis.call('INCR', KEYS[1])
local window = tonumber(ARGV[1])
if count == 1 then
  redis.call('PEXPIRE', KEYS[1], window)
end
if count > tonumber(ARGV[2]) then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then
    -- A counter without its expiry (never written so here) must not refuse forever.
    redis.call('PEXPIRE', KEYS[1], window)
    ttl = window
  end
  return { count, ttl }
end
return { count, -1 }
