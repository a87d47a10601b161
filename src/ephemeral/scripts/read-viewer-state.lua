-- The poll's read in one round trip: a viewer's cached roster and the records of its missions.
-- Rosters are written with "missionIds" first (viewer-roster.ts), so no JSON decoding is needed here.
-- KEYS[1] viewer:{userId}   ARGV[1] the active_mission key of an empty id (keys.ts builds it)
-- Returns {} on a miss (no roster, or a rebuild's lease), else {roster, record1, record2, ...}.
local roster = redis.call('GET', KEYS[1])
if not roster or string.sub(roster, 1, 6) == 'lease:' then
  return {}
end
local reply = { roster }
local ids = string.match(roster, '^{"missionIds":%[(.-)%]')
if ids then
  for id in string.gmatch(ids, '"([^"]*)"') do
    reply[#reply + 1] = redis.call('GET', ARGV[1] .. id)
  end
end
return reply
