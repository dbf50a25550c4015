-- Records devices' acknowledgements and moves their broadcast cursors forward. One call holds one device
-- (on a Redis Cluster, where a script's keys must share a slot) or every device of a batch (one server).
-- KEYS: per device, KEYS[3d-2] pending (ZSET id -> expiry), KEYS[3d-1] recently acknowledged ids (ZSET id ->
-- first ack time), KEYS[3d] broadcast cursor
-- ARGV[1] now (epoch ms), ARGV[2] dedup window (ms), ARGV[3] dedup size cap, ARGV[4] cursor ttl (ms),
-- ARGV[5] oldest ack time still remembered (now - window), then per device: its cursor (0 = keep), the number n
-- of its message ids, the n ids
-- Returns the ids acknowledged for the first time, one per (device, id) (to be counted as delivered once).
local delivered = {}
local a = 6
for d = 1, #KEYS / 3 do
  local pending, acked, cursorKey = KEYS[3 * d - 2], KEYS[3 * d - 1], KEYS[3 * d]
  local cursorArg = ARGV[a]
  local cursor = tonumber(cursorArg)
  local n = tonumber(ARGV[a + 1])
  a = a + 2
  if n > 0 then
    for i = a, a + n - 1 do
      local id = ARGV[i]
      local removed = redis.call('ZREM', pending, id)
      local first = redis.call('ZADD', acked, 'NX', ARGV[1], id)
      if removed == 1 or first == 1 then
        delivered[#delivered + 1] = id
      end
    end
    redis.call('ZREMRANGEBYSCORE', acked, '-inf', '(' .. ARGV[5])
    redis.call('ZREMRANGEBYRANK', acked, 0, -(tonumber(ARGV[3]) + 1))
    redis.call('PEXPIRE', acked, ARGV[2])
  end
  a = a + n
  if cursor > 0 then
    local current = tonumber(redis.call('GET', cursorKey) or '0')
    if cursor > current then
      redis.call('SET', cursorKey, cursorArg, 'PX', ARGV[4])
    else
      redis.call('PEXPIRE', cursorKey, ARGV[4])
    end
  end
end
return delivered
