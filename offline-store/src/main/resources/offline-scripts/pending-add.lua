-- Adds unicasts to one device's pending set, capped to the entries that expire last.
-- KEYS[1] pending (ZSET id -> expiry), KEYS[2] recently acknowledged ids of the device (ZSET id -> ack time)
-- ARGV[1] cap, ARGV[2] how long the key outlives its last entry (ms), then pairs ARGV[i] expiry, ARGV[i+1] message id
-- Returns the ids that are newly pending. Ids already pending (a re-sent batch) and ids the device
-- already acknowledged (delivered online before a re-sent store) are not added again.
local added = {}
for i = 3, #ARGV, 2 do
  local id = ARGV[i + 1]
  if not redis.call('ZSCORE', KEYS[2], id) then
    if redis.call('ZADD', KEYS[1], 'NX', ARGV[i], id) == 1 then
      added[#added + 1] = id
    end
  end
end
local trimmed = redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[1]) + 1))
-- The key outlives its longest-lived entry: expired entries must still be there for the expiry sweep
-- to count them (it empties the key, which Redis then deletes); the lifetime only bounds a key the
-- sweep never reaches.
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] then
  redis.call('PEXPIREAT', KEYS[1], tonumber(last[2]) + tonumber(ARGV[2]))
end
if trimmed == 0 then
  return added
end
-- Over the cap: an id just added may have been trimmed away again; only those still pending are stored.
local stored = {}
for _, id in ipairs(added) do
  if redis.call('ZSCORE', KEYS[1], id) then
    stored[#stored + 1] = id
  end
end
return stored
