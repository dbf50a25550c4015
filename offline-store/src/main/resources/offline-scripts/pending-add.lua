-- Adds unicasts to devices' pending sets, capped to the entries that expire last. One call holds one device
-- (on a Redis Cluster, where a script's keys must share a slot) or every device of a batch (one server).
-- KEYS: per device, KEYS[2d-1] pending (ZSET id -> expiry), KEYS[2d] recently acknowledged ids of the device
-- (ZSET id -> ack time)
-- ARGV[1] cap, ARGV[2] how long a key outlives its last entry (ms), then per device: the number n of its
-- entries, then n pairs: expiry, message id
-- Returns the ids that are newly pending, one per (device, id). Ids already pending (a re-sent batch) and ids
-- the device already acknowledged (delivered online before a re-sent store) are not added again.
-- A key outlives its longest-lived entry: expired entries must still be there for the expiry sweep
-- to count them (it empties the key, which Redis then deletes); the lifetime only bounds a key the
-- sweep never reaches.
-- Over the cap: an id just added may have been trimmed away again; only those still pending are stored.
local cap = tonumber(ARGV[1])
local stored = {}
local a = 3
for d = 1, #KEYS / 2 do
  local pending, acked = KEYS[2 * d - 1], KEYS[2 * d]
  local n = tonumber(ARGV[a])
  a = a + 1
  local added = {}
  for i = a, a + 2 * n - 1, 2 do
    local id = ARGV[i + 1]
    if not redis.call('ZSCORE', acked, id) then
      if redis.call('ZADD', pending, 'NX', ARGV[i], id) == 1 then
        added[#added + 1] = id
      end
    end
  end
  a = a + 2 * n
  local trimmed = redis.call('ZREMRANGEBYRANK', pending, 0, -(cap + 1))
  local last = redis.call('ZRANGE', pending, -1, -1, 'WITHSCORES')
  if last[2] then
    redis.call('PEXPIREAT', pending, tonumber(last[2]) + tonumber(ARGV[2]))
  end
  for _, id in ipairs(added) do
    if trimmed == 0 or redis.call('ZSCORE', pending, id) then
      stored[#stored + 1] = id
    end
  end
end
return stored
