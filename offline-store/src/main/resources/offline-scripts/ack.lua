-- Records one device's acknowledgements and moves its broadcast cursor forward.
-- KEYS[1] pending (ZSET id -> expiry), KEYS[2] recently acknowledged ids (ZSET id -> first ack time),
-- KEYS[3] broadcast cursor
-- ARGV[1] now (epoch ms), ARGV[2] dedup window (ms), ARGV[3] dedup size cap, ARGV[4] cursor (0 = keep),
-- ARGV[5] cursor ttl (ms), ARGV[6] oldest ack time still remembered (now - window), ARGV[7..] message ids
-- Returns the ids acknowledged for the first time by this device (to be counted as delivered once).
local delivered = {}
if #ARGV >= 7 then
  for i = 7, #ARGV do
    local id = ARGV[i]
    local removed = redis.call('ZREM', KEYS[1], id)
    local first = redis.call('ZADD', KEYS[2], 'NX', ARGV[1], id)
    if removed == 1 or first == 1 then
      delivered[#delivered + 1] = id
    end
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[6])
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[3]) + 1))
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
end
local cursor = tonumber(ARGV[4])
if cursor > 0 then
  local current = tonumber(redis.call('GET', KEYS[3]) or '0')
  if cursor > current then
    redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[5])
  else
    redis.call('PEXPIRE', KEYS[3], ARGV[5])
  end
end
return delivered
