-- Claim the dialling of a callback reservation, so each attempt is dialled exactly once:
-- by the replica that decided it, or by the one that claimed it from the outbox (an API
-- process's decision, or a replica that died before dialling). A: call_id, attempt
local cid, attempt = A[1], A[2]
local call = hgetall(kcall(cid))
if call.callback ~= '1' or call.state ~= 'reserved' or call.attempt ~= attempt then
  OUT.status = 'stale'
elseif call.dialled == attempt then
  OUT.status = 'taken'
else
  redis.call('HSET', kcall(cid), 'dialled', attempt)
  OUT.number = call.from_number or ''
  OUT.agent_id = call.agent_id or ''
  OUT.queue_id = call.queue_id or ''
end
return result()
