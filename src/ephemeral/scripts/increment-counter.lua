-- A counter whose TTL starts when it is created and is never pushed back by later increments.
-- KEYS[1] counter key   ARGV[1] TTL (ms)
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
  ttl = tonumber(ARGV[1])
end
return { count, ttl }
