-- The seq of a broadcast in its app's log: the one it already has (a dispatcher re-sending a batch
-- after a crash keeps the seq it was given), else the next value of the app's counter.
-- KEYS[1] broadcast log (ZSET id -> seq), KEYS[2] seq counter of the app
-- ARGV[1] message id
local seq = redis.call('ZSCORE', KEYS[1], ARGV[1])
if seq then
  return tonumber(seq)
end
return redis.call('INCR', KEYS[2])
