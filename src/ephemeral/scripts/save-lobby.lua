-- Compare-and-set of one lobby: the lobby's rules run in TypeScript, this makes each change atomic.
-- KEYS[1] mission_lobby:{id} (hash: v = version, d = JSON)   KEYS[2] channel_lobbies:{channelId}
-- ARGV[1] expected version (0: the lobby must not exist)   ARGV[2] new JSON ('' deletes the lobby)
-- ARGV[3] TTL of the lobby (ms)   ARGV[4] lobby id   ARGV[5] '1' to list it in the channel, '0' not to
-- ARGV[6] TTL of the channel's set (ms)
-- Returns the new version, 0 once deleted, or -1 if the stored version was not the expected one.
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if current ~= tonumber(ARGV[1]) then
  return -1
end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
  redis.call('SREM', KEYS[2], ARGV[4])
  return 0
end
local version = current + 1
redis.call('HSET', KEYS[1], 'v', version, 'd', ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
if ARGV[5] == '1' then
  redis.call('SADD', KEYS[2], ARGV[4])
  redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[6]))
else
  redis.call('SREM', KEYS[2], ARGV[4])
end
return version
