/**
 * Rate limits and destructive budgets (policy.md §3.6, intent.md §7.2): fixed UTC windows,
 * counters keyed `<window>|<scope>|<bucket RFC3339>|<scopeKey>` (Gait prints only the scope key
 * as `rate_limit_key` / `destructive_budget_key`). A request is allowed while
 * `used < requests`, then counted. Counting happens whatever the verdict. Portable: the counters
 * an evaluation needs are LimitRequests; a limit store (stores/) checks and counts them.
 */
import type { PolicyRateLimit } from './policy/model.js';
import type { GateEvaluation } from './gate.js';
import type { NormalizedIntent } from './intent/model.js';
import { formatRfc3339Nano, truncateTime, type RfcTime } from './time.js';

export interface LimitOutcome {
  scope: string;
  /** The scope key (`<tool>|<identity>`, `<identity>`, `<tool>`): what Gait prints as `*_key`. */
  key: string;
  /** The stored counter key, `<window>|<scope>|<bucket>|<scope key>`. */
  counterKey: string;
  used: number;
  remaining: number;
  exceeded: boolean;
}

export interface LimitsOutcome {
  rateLimit?: LimitOutcome;
  destructiveBudget?: LimitOutcome;
}

const WINDOW_SECONDS: Record<string, number> = { minute: 60, hour: 3600 };

function scopeKey(scope: string, toolName: string, identity: string): string {
  if (scope === 'tool') return toolName;
  if (scope === 'identity') return identity;
  return `${toolName}|${identity}`;
}

/**
 * One counter an evaluation checks and counts: what a limit store (stores/types.ts) gets. The
 * counter key already holds the window's bucket, so a store never computes windows itself.
 */
export interface LimitRequest {
  limit_kind: 'rate_limit' | 'destructive_budget';
  scope: string;
  /** The scope key (what Gait prints as `*_key`). */
  key: string;
  /** `<window>|<scope>|<bucket>|<scope key>`: the state file's key. */
  counterKey: string;
  window: string;
  /** `<window>|`: keys of earlier buckets of this window may be pruned. */
  windowPrefix: string;
  /** The window's start (RFC 3339 UTC); earlier buckets of the same window are over. */
  bucket: string;
  /** Allowed requests per window: a request is counted while `used < requests`. */
  requests: number;
  /**
   * How long a store should keep the counter after counting (seconds, two windows): keyed by
   * the evaluation's bucket, not the store's clock, so `--evaluation-time` in the past still counts.
   */
  ttlSeconds: number;
}

/** A store's answer for one request: the count after it, or the full count when refused. */
export interface LimitCount {
  used: number;
  exceeded: boolean;
}

function limitRequest(kind: LimitRequest['limit_kind'], limit: PolicyRateLimit, toolName: string, identity: string, now: RfcTime): LimitRequest {
  const window = limit.window || 'minute';
  const scope = limit.scope || 'tool_identity';
  const windowSeconds = WINDOW_SECONDS[window] ?? 60;
  const bucket = formatRfc3339Nano(truncateTime({ ...now, offsetMinutes: 0 }, windowSeconds), true);
  const key = scopeKey(scope, toolName, identity);
  return {
    limit_kind: kind, scope, key, counterKey: `${window}|${scope}|${bucket}|${key}`, window,
    windowPrefix: `${window}|`, bucket, requests: limit.requests, ttlSeconds: 2 * windowSeconds,
  };
}

/**
 * The reference semantics every store implements, on a plain Map (the memory store and the
 * state file use it directly): requests in order, each prunes earlier buckets of its window,
 * then counts if `used < requests`. Two requests may name one counter (a script's rate limit and
 * budget): the second sees the first's count.
 */
export function countInMap(counters: Map<string, number>, requests: readonly LimitRequest[]): LimitCount[] {
  return requests.map((r) => {
    for (const key of [...counters.keys()]) {
      const parts = key.split('|');
      if (key.startsWith(r.windowPrefix) && parts.length >= 3 && parts[2]! < r.bucket) counters.delete(key);
    }
    const used = counters.get(r.counterKey) ?? 0;
    if (used >= r.requests) return { used, exceeded: true };
    counters.set(r.counterKey, used + 1);
    return { used: used + 1, exceeded: false };
  });
}

/** The budget counts destructive intents only; for scripts, the steps' targets when any exist. */
function hasDestructiveTarget(intent: NormalizedIntent): boolean {
  const steps = intent.script?.steps ?? [];
  const stepTargets = steps.flatMap((s) => s.targets);
  const targets = steps.length > 0 && stepTargets.length > 0 ? stepTargets : intent.targets;
  return targets.some((t) => t.destructive);
}

/** Does this evaluation touch any counter? (The CLI only opens the state file when it does.) */
export function needsCounters(e: GateEvaluation): boolean {
  return e.prepared !== undefined && (e.outcome.rate_limit_rule >= 0 || e.outcome.destructive_budget_rule >= 0);
}

/** The counters an evaluation checks, in Gait's order (rate limit, then destructive budget). */
export function limitRequests(e: GateEvaluation, now: RfcTime, rules: readonly { rate_limit: PolicyRateLimit; destructive_budget: PolicyRateLimit }[]): LimitRequest[] {
  const intent = e.prepared;
  if (!intent) return [];
  const out: LimitRequest[] = [];
  const identity = intent.context.identity;
  if (e.outcome.rate_limit_rule >= 0) {
    out.push(limitRequest('rate_limit', rules[e.outcome.rate_limit_rule]!.rate_limit, intent.tool_name, identity, now));
  }
  if (e.outcome.destructive_budget_rule >= 0 && hasDestructiveTarget(intent)) {
    // Script intents keep the tool name `script` (normalization forces it; intent.md §11 q7).
    const tool = intent.script ? intent.tool_name : `destructive_budget|${intent.tool_name}`;
    out.push(limitRequest('destructive_budget', rules[e.outcome.destructive_budget_rule]!.destructive_budget, tool, identity, now));
  }
  return out;
}

/** The store's counts as the decision's limits outcome. */
export function limitsOutcome(requests: readonly LimitRequest[], counts: readonly LimitCount[]): LimitsOutcome {
  const out: LimitsOutcome = {};
  requests.forEach((r, i) => {
    const c = counts[i]!;
    const outcome: LimitOutcome = {
      scope: r.scope, key: r.key, counterKey: r.counterKey, used: c.used,
      remaining: c.exceeded ? 0 : Math.max(0, r.requests - c.used), exceeded: c.exceeded,
    };
    if (r.limit_kind === 'rate_limit') out.rateLimit = outcome;
    else out.destructiveBudget = outcome;
  });
  return out;
}

/** Checks and counts an evaluation's limits on in-memory counters. */
export function applyLimits(e: GateEvaluation, counters: Map<string, number>, now: RfcTime, rules: readonly { rate_limit: PolicyRateLimit; destructive_budget: PolicyRateLimit }[]): LimitsOutcome {
  const requests = limitRequests(e, now, rules);
  return limitsOutcome(requests, countInMap(counters, requests));
}
