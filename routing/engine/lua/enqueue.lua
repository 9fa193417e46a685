-- Accept a call into a queue and match it at once if a qualified agent is idle.
-- A: call_id, queue_id, from, to, node, continue_url, tindex, tlabel, customer_id, vip (1/0),
--    sticky_agent_id, node_boot (the node's boot id when it announced the call)
local cid, qid = A[1], A[2]
local key = kcall(cid)
if redis.call('EXISTS', key) == 1 then
  local h = hgetall(key)
  if A[5] ~= '' and (h.node or '') ~= '' and h.node ~= A[5] then
    -- A node announcing a call another node holds: refused, never merged.
    OUT.status = 'conflict'
    note('call ' .. cid .. ' is held by node ' .. h.node .. ', not ' .. A[5])
    return result()
  end
  OUT.status = 'duplicate'
  OUT.state = h.state
  OUT.code = tonumber(h.code)
  OUT.reason = h.reason
  return result()
end

local function refuse(code, reason)
  redis.call('HSET', key, 'state', 'rejected', 'queue_id', qid, 'code', tostring(code),
    'reason', reason, 'from_number', A[3], 'to_number', A[4], 'first_ms', fmt(NOW))
  redis.call('EXPIRE', key, TERMINAL_TTL)
  emit('call.rejected', {'call_id', cid, 'queue_id', qid, 'code', code, 'reason', reason})
  OUT.status = 'rejected'
  OUT.code = code
  OUT.reason = reason
  return result()
end

local q = queue_cfg(qid)
if not q then return refuse(404, 'unknown queue') end
local limit = tonumber(redis.call('HGET', P .. ':tenant', 'max_concurrent_calls')) or 0
if limit > 0 and redis.call('SCARD', KACTIVE) >= limit then
  return refuse(503, 'tenant concurrent call limit reached')
end
if q.max_size > 0 and redis.call('ZCARD', kwait(qid)) >= q.max_size then
  return refuse(486, 'queue full')
end

redis.call('HSET', key, 'call_id', cid, 'from_number', A[3], 'to_number', A[4], 'node', A[5],
  'continue_url', A[6], 'tindex', A[7], 'tlabel', A[8], 'customer_id', A[9], 'vip', A[10],
  'sticky_agent', A[11], 'first_ms', fmt(NOW), 'attempt', '0', 'leg', '0', 'node_boot', A[12] or '')
redis.call('SADD', KACTIVE, cid)
if A[5] ~= '' then redis.call('SADD', knode(A[5]), cid) end
enqueue_leg(cid, qid, {from_number = A[3], to_number = A[4], customer_id = A[9], vip = A[10],
  sticky_agent = A[11]})
OUT.status = 'queued'
return result()
