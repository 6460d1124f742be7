/**
 * Applies one cache plan atomically (see ../domain/cache-plan.ts). ARGV[1] is the plan as JSON with key names
 * resolved. Keys are named inside the plan rather than in KEYS because a delete must also release keys that only
 * Redis knows (the user's held set): fine on one primary with Sentinel (ADR 0051), not on Redis Cluster.
 * Returns {userOutcome, statusOutcome}.
 */
export const APPLY_PLAN_LUA = `
local p = cjson.decode(ARGV[1])
local uid = p.userID

local function releaseIfOwned(key)
  if redis.call('GET', key) == uid then redis.call('DEL', key) end
end

if redis.call('EXISTS', p.keys.tombstone) == 1 then return {'tombstoned', 'tombstoned'} end

if p.remove then
  for _, key in ipairs(p.release) do releaseIfOwned(key) end
  for _, key in ipairs(redis.call('SMEMBERS', p.keys.held)) do releaseIfOwned(key) end
  redis.call('DEL', p.keys.user, p.keys.registration, p.keys.held)
  redis.call('SET', p.keys.tombstone, tostring(p.version or 0), 'EX', p.ttlSeconds)
  return {'removed', 'removed'}
end

local userOutcome = 'none'
if p.version then
  local cached = tonumber(redis.call('HGET', p.keys.user, 'version') or '0')
  if p.version <= cached then
    userOutcome = 'stale'
  else
    local hold = {}
    for _, key in ipairs(p.hold) do hold[key] = true end
    for _, key in ipairs(p.release) do if not hold[key] then releaseIfOwned(key) end end
    for _, key in ipairs(redis.call('SMEMBERS', p.keys.held)) do if not hold[key] then releaseIfOwned(key) end end
    redis.call('DEL', p.keys.held)
    for _, key in ipairs(p.hold) do
      redis.call('SET', key, uid)
      redis.call('SADD', p.keys.held, key)
    end
    redis.call('DEL', p.keys.user)
    for field, value in pairs(p.user) do redis.call('HSET', p.keys.user, field, value) end
    userOutcome = 'applied'
  end
end

for _, key in ipairs(p.releaseOwned) do releaseIfOwned(key) end

if p.redirect then
  local ownerGone = redis.call('EXISTS', p.redirect.ownerTombstone) == 1
  for _, key in ipairs(p.redirect.keys) do
    local current = redis.call('GET', key)
    if ownerGone then
      if current == uid then redis.call('DEL', key) end
    elseif (not current) or current == uid then
      redis.call('SET', key, p.redirect.owner)
      redis.call('SADD', p.redirect.ownerHeld, key)
    end
  end
end

local statusOutcome = 'none'
if p.status then
  local current = redis.call('HGET', p.keys.registration, 'status')
  local currentRank = -1
  if current then currentRank = p.ranks[current] or -1 end
  if currentRank < p.ranks[p.status.value] then
    redis.call('HSET', p.keys.registration, 'status', p.status.value, 'updatedAt', p.status.updatedAt)
    if p.status.version then redis.call('HSET', p.keys.registration, 'version', tostring(p.status.version)) end
    redis.call('EXPIRE', p.keys.registration, p.ttlSeconds)
    statusOutcome = 'applied'
  else
    statusOutcome = 'kept'
  end
end

return {userOutcome, statusOutcome}
`;
