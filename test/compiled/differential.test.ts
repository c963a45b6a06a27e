// Decisions from a compiled policy are byte-identical to decisions from its YAML, for every case
// of the conformance corpus: the same check() object (verdict, reason codes, violations, digests),
// the same full evaluation (matched rule, step verdicts, context source), the same enforcement
// runs, through the main entry and the decide-only entry alike.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helpers without type declarations
import { parseCorpus, caseRunner, sortedJson } from '../../conformance/runner.mjs';
import * as main from '../../bindings/load/node.js';
import * as decideOnly from '../../bindings/compiled/entry-node.js';
import { compilePolicy, GaitError } from '../../bindings/index.js';

interface Case { id: string; policy: string | null; intent: string | null; enforce?: unknown; result: unknown }

const cases: Case[] = parseCorpus(readFileSync(fileURLToPath(new URL('../../conformance/corpus.jsonl', import.meta.url)), 'utf8'));

/** createGate(yaml) that goes through a compiled file first (a policy error is the parser's, as for YAML). */
function viaCompiled<G>(createGate: (bytes: Uint8Array) => G): { createGate: (yaml: string) => G } {
  return { createGate: (yaml) => createGate(compilePolicy(yaml)) };
}

/** Everything an evaluation reports, as text. */
function evaluation(gate: main.DecisionGate, intent: string): string {
  try {
    const e = gate.evaluate(intent);
    return sortedJson({
      result: e.result, matched_rule: e.matched_rule, policy_digest: e.policy_digest, intent_digest: e.intent_digest, prepared: e.prepared,
      context_source: e.context_source, step_verdicts: e.step_verdicts, script: e.script, script_hash: e.script_hash, composite: e.composite_risk_class,
    });
  } catch (err) {
    return sortedJson({ error: (err as Error).message });
  }
}

describe('compiled vs YAML over the conformance corpus', () => {
  it(`has cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThan(500);
  });

  it('the main entry: createGate(compiled bytes) answers every case as createGate(yaml), and as the corpus says', async () => {
    const yaml = caseRunner(main);
    const compiled = caseRunner({ ...main, ...viaCompiled((b) => main.createGate(b)) });
    let compared = 0;
    for (const c of cases) {
      if (typeof c.policy !== 'string') continue;
      const want = await yaml(c);
      expect(await compiled(c), c.id).toBe(want);
      expect(want, c.id).toBe(sortedJson(c.result));
      compared++;
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('the decide-only entry: the same check() and evaluate() for every intent case', () => {
    const gates = new Map<string, { yaml: main.Gate; compiled: decideOnly.DecisionGate } | { error: string }>();
    let compared = 0;
    for (const c of cases) {
      if (typeof c.policy !== 'string' || typeof c.intent !== 'string' || c.enforce) continue;
      let entry = gates.get(c.policy);
      if (!entry) {
        try {
          entry = { yaml: main.createGate(c.policy), compiled: decideOnly.createGate(compilePolicy(c.policy)) };
        } catch (err) {
          expect(err, c.id).toBeInstanceOf(GaitError);
          expect(() => main.createGate(c.policy!), c.id).toThrow((err as Error).message);
          entry = { error: (err as Error).message };
        }
        gates.set(c.policy, entry);
      }
      if ('error' in entry) continue;
      const check = (g: { check(i: string): unknown }) => {
        try {
          return sortedJson(g.check(c.intent!));
        } catch (err) {
          return sortedJson({ error: (err as Error).message });
        }
      };
      expect(check(entry.compiled), c.id).toBe(check(entry.yaml));
      expect(evaluation(entry.compiled, c.intent), c.id).toBe(evaluation(entry.yaml, c.intent));
      let parsed: unknown;
      try {
        parsed = JSON.parse(c.intent);
      } catch {
        parsed = undefined;
      }
      if (parsed !== undefined) {
        const verdict = (g: main.DecisionGate) => {
          try {
            return sortedJson(g.verdict(parsed));
          } catch (err) {
            return sortedJson({ error: (err as Error).message });
          }
        };
        expect(verdict(entry.compiled), c.id).toBe(verdict(entry.yaml));
      }
      compared++;
    }
    expect(compared).toBeGreaterThan(400);
    for (const g of gates.values()) if (!('error' in g)) (g.yaml.dispose(), g.compiled.dispose());
  });
});
