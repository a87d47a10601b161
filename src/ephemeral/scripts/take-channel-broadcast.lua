-- Takes a channel's pending broadcast for one sender, atomically: only when no other sender holds the
-- channel's lease and its token bucket has a token. Then: spends the token, takes the lease, and
-- returns (and clears) what is pending.
-- KEYS: pending set, broadcasts_due, sender lease, token bucket
-- ARGV: channel id, sender token, now (ms), lease (ms), refill per ms, burst
local holder = redis.call('GET', KEYS[3])
if holder and holder ~= ARGV[2] then return {'busy'} end
if redis.call('SCARD', KEYS[1]) == 0 then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return {'empty'}
end
local now = tonumber(ARGV[3])
local rate = tonumber(ARGV[5])
local burst = tonumber(ARGV[6])
local bucket = redis.call('HMGET', KEYS[4], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or burst
local at = tonumber(bucket[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
if tokens < 1 then
  local ready = now + math.ceil((1 - tokens) / rate)
  redis.call('ZADD', KEYS[2], ready, ARGV[1])
  return {'wait', tostring(ready)}
end
redis.call('HSET', KEYS[4], 'tokens', tostring(tokens - 1), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[4], math.ceil(burst / rate) + 1000)
redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[4])
local items = redis.call('SMEMBERS', KEYS[1])
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
table.insert(items, 1, 'taken')
return items
