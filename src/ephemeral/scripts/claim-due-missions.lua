-- Claims up to ARGV[2] due missions for one worker, atomically.
-- KEYS[1] missions_due
-- ARGV[1] now (ms)  ARGV[2] limit  ARGV[3] lock TTL (ms)  ARGV[4] token  ARGV[5] tick_lock key prefix
-- Returns a flat list: id1, dueAt1, id2, dueAt2, ...
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[3])
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local claimed = {}
for i = 1, #due, 2 do
  local id = due[i]
  local lockKey = ARGV[5] .. id
  if redis.call('SET', lockKey, ARGV[4], 'NX', 'PX', ttl) then
    -- Pushed forward by the lease: if this worker dies, the mission is due again when its lock expires.
    redis.call('ZADD', KEYS[1], 'XX', now + ttl, id)
    claimed[#claimed + 1] = id
    claimed[#claimed + 1] = due[i + 1]
  else
    -- Held by another claimer: look again when that lock can have expired, not on every poll.
    local left = redis.call('PTTL', lockKey)
    if left < 1 then left = 1 end
    redis.call('ZADD', KEYS[1], 'XX', now + left, id)
  end
end
return claimed
