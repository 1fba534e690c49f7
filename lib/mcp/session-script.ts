// MCP sessions in Redis (or Upstash), shared by every instance: the rules of mcp-sessions.ts as one Lua script, so
// that two instances opening sessions for one key at once cannot both take the last place. Layout, under
// "<installation>:mcp:": `s` (hash: id → the session as JSON), `all`, `k:<key>` and `p:<project>` (sorted sets:
// id → last use, in ms) and `gone:<id>` (why a session ended, kept an hour so its id answers 404 with the reason).
import type { Ended, LimitName, McpSession, McpSessionStore, Opened, SessionLimits, Touched } from "./mcp-sessions";
import { endReasons } from "./mcp-sessions";

export type ScriptRunner = { eval(script: string, keys: string[], args: string[]): Promise<unknown> };

// ARGV: 1 prefix, 2 operation, 3 now (ms), 4 idle (ms), 5 the idle reason, 6 session id, then per operation.
export const SESSION_SCRIPT = `local P, op, now, idle = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local ended = {}
local function finish(id, reason, from)
  if from then redis.call('ZREM', from, id) end
  redis.call('ZREM', P .. 'all', id)
  local raw = redis.call('HGET', P .. 's', id)
  if not raw then return 0 end
  local r = cjson.decode(raw)
  redis.call('HDEL', P .. 's', id)
  redis.call('ZREM', P .. 'k:' .. r.keyId, id)
  redis.call('ZREM', P .. 'p:' .. r.projectId, id)
  redis.call('SET', P .. 'gone:' .. id, reason, 'EX', 3600)
  ended[#ended + 1] = id
  ended[#ended + 1] = reason
  return 1
end
local function prune()
  local old = redis.call('ZRANGEBYSCORE', P .. 'all', '-inf', '(' .. (now - idle), 'LIMIT', 0, 1000)
  for _, id in ipairs(old) do finish(id, ARGV[5], nil) end
end
local function use(id, r)
  redis.call('ZADD', P .. 'all', now, id)
  redis.call('ZADD', P .. 'k:' .. r.keyId, now, id)
  redis.call('ZADD', P .. 'p:' .. r.projectId, now, id)
end
if op == 'open' then
  -- 7 the session as JSON, 8 per key, 9 per project, 10 in all, 11-13 their reasons, 14 the active window (ms).
  -- Scope by scope (key, project, all: each inside the next), its longest-idle sessions not already chosen end to
  -- make room; an active one never does: then nothing ends and the answer names the limit and when to retry.
  local id = ARGV[6]
  local r = cjson.decode(ARGV[7])
  local active = tonumber(ARGV[14])
  prune()
  local chosen, order = {}, {}
  local scopes = {
    {'perKey', P .. 'k:' .. r.keyId, tonumber(ARGV[8]), ARGV[11]},
    {'perProject', P .. 'p:' .. r.projectId, tonumber(ARGV[9]), ARGV[12]},
    {'max', P .. 'all', tonumber(ARGV[10]), ARGV[13]},
  }
  for _, s in ipairs(scopes) do
    local needed = redis.call('ZCARD', s[2]) - #order - s[3] + 1
    if needed > 0 then
      local ids = redis.call('ZRANGE', s[2], 0, needed + #order - 1, 'WITHSCORES')
      for i = 1, #ids, 2 do
        if needed <= 0 then break end
        local victim, used = ids[i], tonumber(ids[i + 1])
        if not chosen[victim] then
          if now - used <= active then return {'refused', s[1], tostring(used + active + 1 - now)} end
          chosen[victim] = true
          order[#order + 1] = {victim, s[4]}
          needed = needed - 1
        end
      end
    end
  end
  for _, v in ipairs(order) do finish(v[1], v[2], nil) end
  redis.call('HSET', P .. 's', id, ARGV[7])
  use(id, r)
  return ended
elseif op == 'touch' then
  local id = ARGV[6]
  local score = redis.call('ZSCORE', P .. 'all', id)
  if score and tonumber(score) >= now - idle then
    local raw = redis.call('HGET', P .. 's', id)
    if raw then
      use(id, cjson.decode(raw))
      return {raw}
    end
  end
  if score then finish(id, ARGV[5], nil) end
  return {false, redis.call('GET', P .. 'gone:' .. id)}
elseif op == 'end' then
  -- 7 the reason
  return finish(ARGV[6], ARGV[7], nil)
elseif op == 'count' then
  -- 6 the sorted set to count: all, k:<key> or p:<project>
  prune()
  return redis.call('ZCARD', P .. ARGV[6])
end
return redis.error_reply('unknown operation ' .. op)`;

export class ScriptedSessionStore implements McpSessionStore {
  private readonly reasons: ReturnType<typeof endReasons>;

  constructor(
    private readonly runner: ScriptRunner,
    /** "<installation>:mcp:": another database on the same Redis has its own sessions. */
    private readonly prefix: string,
    private readonly limits: SessionLimits,
  ) {
    this.reasons = endReasons(limits);
  }

  private run(op: string, now: number, id: string, ...rest: string[]) {
    const args = [this.prefix, op, String(now), String(this.limits.idleMs), this.reasons.idle, id, ...rest];
    return this.runner.eval(SESSION_SCRIPT, [], args);
  }

  async open(session: McpSession, now: number): Promise<Opened> {
    const { perKey, perProject, max, activeMs } = this.limits;
    const r = this.reasons;
    const flat = (await this.run(
      "open",
      now,
      session.id,
      JSON.stringify(session),
      String(perKey),
      String(perProject),
      String(max),
      r.perKey,
      r.perProject,
      r.max,
      String(activeMs),
    )) as string[];
    if (flat[0] === "refused") return { refused: { limit: flat[1] as LimitName, retryAfterMs: Number(flat[2]) } };
    const ended: Ended[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) ended.push({ id: flat[i]!, reason: flat[i + 1]! });
    return { ended };
  }

  async touch(id: string, now: number): Promise<Touched> {
    const [raw, gone] = (await this.run("touch", now, id)) as [string | null, string | null | undefined];
    if (raw) return { session: JSON.parse(raw) as McpSession };
    return { session: null, reason: gone ?? null };
  }

  async end(id: string, reason: string): Promise<boolean> {
    return Number(await this.run("end", 0, id, reason)) === 1;
  }

  async count(scope: { keyId: string } | { projectId: string } | "all", now: number): Promise<number> {
    const set = scope === "all" ? "all" : "keyId" in scope ? `k:${scope.keyId}` : `p:${scope.projectId}`;
    return Number(await this.run("count", now, set));
  }
}
