-- The live gauges of one tenant, read in one call: waiting calls and the oldest enqueue time
-- of every queue, and agents by state. Counts agents once when the counter hash is missing.
if redis.call('EXISTS', KSTATES) == 0 then
  local counts = {}
  for _, aid in ipairs(redis.call('SMEMBERS', KAGENTS)) do
    local s = redis.call('HGET', kagent(aid), 'state') or 'offline'
    counts[s] = (counts[s] or 0) + 1
  end
  local fields = {'_', '1'} -- keeps the hash present when the tenant has no agent yet
  for s, n in pairs(counts) do
    fields[#fields + 1] = s
    fields[#fields + 1] = n
  end
  redis.call('HSET', KSTATES, unpack(fields))
end
local agents = {}
local row = redis.call('HGETALL', KSTATES)
for i = 1, #row, 2 do
  local n = tonumber(row[i + 1]) or 0
  if row[i] ~= '_' and n > 0 then agents[row[i]] = n end
end
local queues = {}
for _, qid in ipairs(redis.call('SMEMBERS', P .. ':queues')) do
  local waiting = redis.call('ZRANGE', kwait(qid), 0, -1)
  -- Priority orders the set, so its head is not always the oldest call: scan.
  local oldest = false
  for _, cid in ipairs(waiting) do
    local enq = tonumber(redis.call('HGET', kcall(cid), 'enq_ms'))
    if enq and (not oldest or enq < oldest) then oldest = enq end
  end
  queues[#queues + 1] = {qid, #waiting, oldest}
end
OUT.agents = agents
OUT.queues = queues
return result()
