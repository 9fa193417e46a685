-- End the calls of a media node that was lost or restarted (reconciliation). A: node, mode,
-- boot, reason. mode 'only': the calls the node took under ``boot`` (or under no boot
-- recorded): it is gone. mode 'except': the calls it took under any other boot: it
-- restarted as ``boot``, so a call it announced since then is kept.
local node, mode, boot, reason = A[1], A[2], A[3] or '', A[4] or 'node_lost'
local kset = knode(node)
local ended = 0
for _, cid in ipairs(redis.call('SMEMBERS', kset)) do
  local call = hgetall(kcall(cid))
  local took = call.node_boot or ''
  local hit
  if mode == 'except' then hit = took ~= boot else hit = took == boot or took == '' end
  if next(call) == nil then
    redis.call('SREM', kset, cid)
  elseif hit and lose_call(cid, call, reason) then
    ended = ended + 1
  end
end
OUT.ended = ended
return result()
