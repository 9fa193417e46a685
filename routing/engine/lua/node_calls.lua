-- The sweep: end the calls of ``node`` missing from its live dialogs. A: node, grace_ms,
-- then the call ids the node holds. A call created less than grace_ms ago is kept (its
-- dialog may not be listed yet); so is one the node lists. A call must be missing from two
-- sweeps in a row: a dialog that just ended has left the list before its ``ended`` event
-- (which names who hung up) reached routing. Returns the listed ids routing does not hold
-- as ``unknown``.
local node, grace = A[1], tonumber(A[2]) or 5000
local live = {}
for i = 3, #A do live[A[i]] = true end
local kset = knode(node)
local ended = 0
for _, cid in ipairs(redis.call('SMEMBERS', kset)) do
  local call = hgetall(kcall(cid))
  if next(call) == nil then
    redis.call('SREM', kset, cid)
  elseif live[cid] then
    if call.sweep_miss then redis.call('HDEL', kcall(cid), 'sweep_miss') end
  elseif (tonumber(call.first_ms) or NOW) < NOW - grace then
    if call.sweep_miss ~= '1' then
      redis.call('HSET', kcall(cid), 'sweep_miss', '1')
    elseif lose_call(cid, call, 'dialog_gone') then
      ended = ended + 1
    end
  end
  live[cid] = nil
end
local unknown = {}
for cid, _ in pairs(live) do
  local state = redis.call('HGET', kcall(cid), 'state')
  if not state then unknown[#unknown + 1] = cid end
end
OUT.ended = ended
OUT.unknown = unknown
return result()
