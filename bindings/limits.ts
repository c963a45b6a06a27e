/**
 * Rate limits and destructive budgets (policy.md §3.6, intent.md §7.2): fixed UTC windows,
 * counters keyed `<window>|<scope>|<bucket RFC3339>|<scopeKey>` (Gait prints only the scope key
 * as `rate_limit_key` / `destructive_budget_key`). A request is allowed while
 * `used < requests`, then counted. Counting happens whatever the verdict. Portable: the counters
 * live in any map; the CLI persists them in a locked state file.
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

/** Counts one request against `limit`; prunes earlier buckets of the same window. */
function consume(counters: Map<string, number>, limit: PolicyRateLimit, toolName: string, identity: string, now: RfcTime): LimitOutcome {
  const window = limit.window || 'minute';
  const scope = limit.scope || 'tool_identity';
  const bucket = formatRfc3339Nano(truncateTime({ ...now, offsetMinutes: 0 }, WINDOW_SECONDS[window] ?? 60), true);
  const prefix = `${window}|`;
  for (const key of [...counters.keys()]) {
    const parts = key.split('|');
    if (key.startsWith(prefix) && parts.length >= 3 && parts[2]! < bucket) counters.delete(key);
  }
  const key = scopeKey(scope, toolName, identity);
  const counterKey = `${window}|${scope}|${bucket}|${key}`;
  const used = counters.get(counterKey) ?? 0;
  if (used >= limit.requests) return { scope, key, counterKey, used, remaining: 0, exceeded: true };
  counters.set(counterKey, used + 1);
  return { scope, key, counterKey, used: used + 1, remaining: limit.requests - used - 1, exceeded: false };
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

export function applyLimits(e: GateEvaluation, counters: Map<string, number>, now: RfcTime, rules: readonly { rate_limit: PolicyRateLimit; destructive_budget: PolicyRateLimit }[]): LimitsOutcome {
  const intent = e.prepared;
  if (!intent) return {};
  const out: LimitsOutcome = {};
  const identity = intent.context.identity;
  if (e.outcome.rate_limit_rule >= 0) {
    out.rateLimit = consume(counters, rules[e.outcome.rate_limit_rule]!.rate_limit, intent.tool_name, identity, now);
  }
  if (e.outcome.destructive_budget_rule >= 0 && hasDestructiveTarget(intent)) {
    // Script intents keep the tool name `script` (normalization forces it; intent.md §11 q7).
    const tool = intent.script ? intent.tool_name : `destructive_budget|${intent.tool_name}`;
    out.destructiveBudget = consume(counters, rules[e.outcome.destructive_budget_rule]!.destructive_budget, tool, identity, now);
  }
  return out;
}
