/**
 * `policy test` for one intent and `policy simulate` over a set of them (cli.md §5-§6), without
 * files: the CLI reads fixtures from disk, the browser workbench from dropped files. Each fixture
 * is loaded when it is run (twice: once per policy), so the first failure is the one Gait meets.
 */
import { GaitError } from '../errors.js';
import { compareBytewise } from '../canonical/order.js';
import { normalizeIntent } from '../intent/normalize.js';
import { decodeIntentBytes, decodeIntentJson, type RawIntent } from '../intent/decode.js';
import { VERSION } from '../version.js';
import type { Gate, GateEvaluation } from '../gate.js';

export interface PolicyTestOutcome {
  evaluation: GateEvaluation;
  /** The raw normalized intent's digest ('' when the intent does not normalize). */
  intentDigest: string;
}

/** An intent file's content (JSON text or bytes), or an intent already decoded (decodeIntentJson). */
export type IntentSource = string | Uint8Array | RawIntent;

const decode = (intent: IntentSource): RawIntent =>
  typeof intent === 'string' ? decodeIntentJson(intent) : intent instanceof Uint8Array ? decodeIntentBytes(intent) : intent;

/** Runs one intent like `policy test`. */
export function testIntent(gate: Gate, intent: IntentSource): PolicyTestOutcome {
  const raw = decode(intent);
  let normalized;
  try {
    normalized = normalizeIntent(raw);
  } catch (err) {
    if (!(err instanceof GaitError)) throw err;
    // Fail-closed risk classes block (spec README decision 2); others raise `normalize intent:`.
    return { evaluation: gate.evaluateRaw(raw, { producerVersion: VERSION }), intentDigest: '' };
  }
  return { evaluation: gate.evaluateNormalized(normalized, { producerVersion: VERSION }), intentDigest: normalized.intent_digest };
}

export interface SimulationChange {
  fixture_path: string;
  intent_digest?: string;
  changed: true;
  baseline_verdict: string;
  baseline_reason_codes?: string[];
  baseline_violations?: string[];
  baseline_matched_rule?: string;
  candidate_verdict: string;
  candidate_reason_codes?: string[];
  candidate_violations?: string[];
  candidate_matched_rule?: string;
}

/** The fields of `gait policy simulate --json` after `ok`. */
export interface SimulationReport {
  baseline_policy_digest: string;
  candidate_policy_digest: string;
  fixtures_total: number;
  changed_fixtures?: number;
  baseline_verdicts: Array<{ verdict: string; count: number }>;
  candidate_verdicts: Array<{ verdict: string; count: number }>;
  changed?: SimulationChange[];
  recommendation: 'enforce' | 'observe' | 'require_approval';
  summary: string;
}

/**
 * Runs every fixture (in the given order; the CLI sorts paths bytewise) against both policies and
 * reports what changed: verdict, reason codes, violations or matched rule. `load(path)` returns
 * the fixture's content.
 */
export async function simulatePolicies(
  baseline: Gate,
  candidate: Gate,
  fixtures: readonly string[],
  load: (path: string) => IntentSource | Promise<IntentSource>,
): Promise<SimulationReport> {
  const counts = { baseline: new Map<string, number>(), candidate: new Map<string, number>() };
  const changed: SimulationChange[] = [];
  let sawLoosened = false;
  let sawTightened = false;
  for (const fixture of fixtures) {
    const b = testIntent(baseline, await load(fixture));
    const c = testIntent(candidate, await load(fixture));
    const br = b.evaluation.result;
    const cr = c.evaluation.result;
    counts.baseline.set(br.verdict, (counts.baseline.get(br.verdict) ?? 0) + 1);
    counts.candidate.set(cr.verdict, (counts.candidate.get(cr.verdict) ?? 0) + 1);
    const differs =
      br.verdict !== cr.verdict ||
      br.reason_codes.join('\n') !== cr.reason_codes.join('\n') ||
      br.violations.join('\n') !== cr.violations.join('\n') ||
      b.evaluation.matched_rule !== c.evaluation.matched_rule;
    if (!differs) continue;
    if (br.verdict !== 'allow' && cr.verdict === 'allow') sawLoosened = true;
    if (br.verdict !== 'block' && cr.verdict === 'block') sawTightened = true;
    changed.push({
      fixture_path: fixture,
      intent_digest: b.intentDigest || undefined,
      changed: true,
      baseline_verdict: br.verdict,
      baseline_reason_codes: br.reason_codes.length ? br.reason_codes : undefined,
      baseline_violations: br.violations.length ? br.violations : undefined,
      baseline_matched_rule: b.evaluation.matched_rule || undefined,
      candidate_verdict: cr.verdict,
      candidate_reason_codes: cr.reason_codes.length ? cr.reason_codes : undefined,
      candidate_violations: cr.violations.length ? cr.violations : undefined,
      candidate_matched_rule: c.evaluation.matched_rule || undefined,
    });
  }
  const recommendation = changed.length === 0 ? 'enforce' : sawLoosened ? 'observe' : sawTightened ? 'require_approval' : 'enforce';
  const verdictCounts = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => compareBytewise(a[0], b[0])).map(([verdict, count]) => ({ verdict, count }));
  return {
    baseline_policy_digest: baseline.policyDigest,
    candidate_policy_digest: candidate.policyDigest,
    fixtures_total: fixtures.length,
    changed_fixtures: changed.length || undefined,
    baseline_verdicts: verdictCounts(counts.baseline),
    candidate_verdicts: verdictCounts(counts.candidate),
    changed: changed.length ? changed : undefined,
    recommendation,
    summary: `policy simulate fixtures=${fixtures.length} changed=${changed.length} recommendation=${recommendation}`,
  };
}
