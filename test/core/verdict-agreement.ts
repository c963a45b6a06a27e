import { expect } from 'vitest';
import type { Gate } from '../../bindings/gate.js';

type Decision = { verdict: unknown; reason_codes: unknown; violations: unknown; matched_rule: unknown };

/** What a call decided, or the error it threw (its class and message). */
function decisionOf(run: () => Decision): unknown {
  try {
    const r = run();
    return [r.verdict, r.reason_codes, r.violations, r.matched_rule];
  } catch (err) {
    return `${(err as Error).constructor.name}: ${(err as Error).message}`;
  }
}

/** gate.verdict (the decision-only path) says what gate.evaluate says, fast path or not. */
export function expectVerdictAgrees(gate: Gate, intent: unknown, label: string): void {
  const viaEvaluate = decisionOf(() => {
    const e = gate.evaluate(intent);
    return { ...e.result, matched_rule: e.matched_rule };
  });
  expect(decisionOf(() => gate.verdict(intent)), label).toEqual(viaEvaluate);
}
