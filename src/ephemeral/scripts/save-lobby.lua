-- Compare-and-set of one lobby: the lobby's rules run in TypeScript, this makes each change atomic.
-- KEYS[1] mission_lobby:{id} (hash: v = version, d = JSON, l = '1' while listed in its channel)
-- ARGV[1] expected version (0: the lobby must not exist)   ARGV[2] new JSON ('' deletes the lobby)
-- ARGV[3] TTL of the lobby (ms)   ARGV[4] '1' to list it in the channel, '0' not to
-- The channel's set of lobbies lives in another slot of a cluster: redis-lobby-store.ts adds to it
-- beside this call, and a listing reads each lobby's own l, so the set may hold more than is listed.
-- Returns the new version, 0 once deleted, or -1 if the stored version was not the expected one.
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if current ~= tonumber(ARGV[1]) then
  return -1
end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
  return 0
end
local version = current + 1
redis.call('HSET', KEYS[1], 'v', version, 'd', ARGV[2], 'l', ARGV[4])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return version
