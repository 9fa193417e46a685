-- Record a call refused at ingress (blacklist, closed): an event and an idempotent trace.
-- A: call_id, queue_id, code, reason, from, to
local cid = A[1]
local key = kcall(cid)
if redis.call('EXISTS', key) == 1 then
  local h = hgetall(key)
  OUT.status = 'duplicate'
  OUT.state = h.state
  OUT.code = tonumber(h.code)
  OUT.reason = h.reason
  return result()
end
redis.call('HSET', key, 'state', 'rejected', 'queue_id', A[2], 'code', A[3], 'reason', A[4],
  'from_number', A[5], 'to_number', A[6], 'first_ms', fmt(NOW))
redis.call('EXPIRE', key, TERMINAL_TTL)
emit('call.rejected', {'call_id', cid, 'queue_id', A[2], 'code', A[3], 'reason', A[4]})
OUT.status = 'rejected'
OUT.code = tonumber(A[3])
OUT.reason = A[4]
return result()
