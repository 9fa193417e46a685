-- Sign an agent in to or out of a queue. A: agent_id, queue_id, 'in' | 'out'
local aid, qid, op = A[1], A[2], A[3]
local p = profile(aid)
if not p then return redis.error_reply('NOT_FOUND agent has no routing profile') end
if not queue_cfg(qid) then return redis.error_reply('NOT_FOUND no such queue') end
if op == 'in' then
  if not allowed_queues(p)[qid] then
    return redis.error_reply('BAD_INPUT the agent may not serve this queue')
  end
  OUT.changed = redis.call('SADD', kagentq(aid), qid)
  redis.call('SADD', kmembers(qid), aid)
  local listed = redis.call('SADD', KAGENTS, aid) == 1
  if redis.call('EXISTS', kagent(aid)) == 0 then
    redis.call('HSET', kagent(aid), 'state', 'offline', 'since', fmt(NOW), 'idle_since', fmt(NOW))
  end
  if listed then count_state(nil, redis.call('HGET', kagent(aid), 'state') or 'offline') end
  local a = agent_get(aid)
  if a.state == 'available' then
    redis.call('ZADD', kavail(qid), fmt(a.idle_since), aid)
    match_agent(aid)
  end
else
  OUT.changed = redis.call('SREM', kagentq(aid), qid)
  redis.call('SREM', kmembers(qid), aid)
  redis.call('ZREM', kavail(qid), aid)
end
return result()
