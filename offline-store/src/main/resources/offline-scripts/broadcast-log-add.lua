-- Adds a broadcast to its app's log and keeps only the newest entries.
-- KEYS[1] broadcast log (ZSET id -> seq)
-- ARGV[1] seq, ARGV[2] message id, ARGV[3] log size
-- Returns 1 when the broadcast is newly in the log (counted as stored), 0 when it already was.
local added = redis.call('ZADD', KEYS[1], 'NX', ARGV[1], ARGV[2])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 1))
if added == 1 and redis.call('ZSCORE', KEYS[1], ARGV[2]) then
  return 1
end
return 0
