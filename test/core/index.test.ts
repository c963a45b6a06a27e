// Rule indexes must never change an outcome: the same policy compiled with and without indexes
// gives identical results on seeded random policies and intents.
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../bindings/core/compile.js';
import { encodeIntent } from '../../bindings/core/encode.js';
import { createEngineSync } from '../../bindings/load/node.js';
import type { Verdict } from '../../bindings/policy/model.js';
import { policy, rule, intent, target } from './builders.js';

const engine = createEngineSync();

function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

describe('rule indexes', () => {
  it('give the same outcome as a full scan on 300 random policy/intent pairs', () => {
    const r = rng(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const some = <T>(xs: readonly T[]): T[] => xs.filter(() => r() < 0.3);
    const tools = ['tool.read', 'tool.write', 'tool.delete', 'tool.exec'];
    const ids = ['alice', 'bob', 'carol'];
    const risks = ['low', 'medium', 'high'];
    const values = ['/tmp/a', '/tmp/b', 'api.example.com'];
    const effects: Verdict[] = ['allow', 'block', 'dry_run', 'require_approval'];
    let indexedRules = 0;
    for (let n = 0; n < 300; n++) {
      const rules = Array.from({ length: 1 + Math.floor(r() * 12) }, (_, i) =>
        rule(`r${i}`, {
          priority: Math.floor(r() * 4),
          effect: pick(effects),
          match: {
            tool_names: some(tools), identities: some(ids), risk_classes: some(risks), target_values: some(values),
            workspace_prefixes: some(['/repo', '/repo/gait', '/tmp', '/r']),
          },
        }),
      );
      const p = policy({ default_verdict: pick(effects), rules });
      const i = intent({
        tool_name: pick(tools),
        context: { identity: pick(ids), risk_class: pick(risks), workspace: pick(['/repo/gait', '/repository', '/tmp/x', '/srv', '/r']) },
        targets: some(values).map((v) => target({ kind: v.startsWith('/') ? 'path' : 'host', value: v })),
      });
      const results = [true, false].map((index) => {
        const compiled = compilePolicy(p, { index });
        return engine.evaluate(engine.load(compiled), encodeIntent(i, compiled), []);
      });
      expect(results[0], `case ${n}`).toEqual(results[1]);
      indexedRules += rules.filter((x) => x.match.tool_names.length + x.match.identities.length + x.match.risk_classes.length + x.match.target_values.length > 0).length;
    }
    expect(indexedRules).toBeGreaterThan(500);
  });

  it('workspace-prefix decoys are indexed by prefix (the benchmark\'s shape)', () => {
    const rules = Array.from({ length: 600 }, (_, i) => rule(`decoy-${i}`, { priority: i, effect: 'block', match: { tool_names: ['tool.write'], workspace_prefixes: [`/srv/workspace-${i}`] } }));
    rules.push(rule('allow-safe-write', { priority: 1000, match: { tool_names: ['tool.write'], workspace_prefixes: ['/tmp'] } }));
    const compiled = compilePolicy(policy({ default_verdict: 'block', rules }));
    const loaded = engine.load(compiled);
    const at = (workspace: string) => engine.evaluate(loaded, encodeIntent(intent({ tool_name: 'tool.write', context: { workspace } }), compiled), []).matched_rules;
    expect(at('/tmp/workspace')).toEqual(['allow-safe-write']);
    expect(at('/srv/workspace-7/x')).toEqual(['decoy-7']);
    // Raw string prefix, not path-aware (policy.md §13 q5): /srv/workspace-4 is a prefix of
    // /srv/workspace-42/x too, and its lower priority number wins the tier.
    expect(at('/srv/workspace-42/x')).toEqual(['decoy-4']);
    expect(at('/elsewhere')).toEqual([]);
  });

  it('a 1,000-rule policy on one tool, told apart by identity, indexes to a handful of candidates', () => {
    const rules = Array.from({ length: 999 }, (_, i) => rule(`decoy-${i}`, { priority: i, effect: 'block', match: { tool_names: ['tool.write'], identities: [`user-${i}`] } }));
    rules.push(rule('allow-safe-write', { priority: 1000, match: { tool_names: ['tool.write'] } }));
    const p = policy({ default_verdict: 'block', rules });
    const compiled = compilePolicy(p);
    const o = engine.evaluate(engine.load(compiled), encodeIntent(intent({ tool_name: 'tool.write', context: { identity: 'bench-user' } }), compiled), []);
    expect(o.verdict).toBe('allow');
    expect(o.matched_rules).toEqual(['allow-safe-write']);
    const decoy = engine.evaluate(engine.load(compiled), encodeIntent(intent({ tool_name: 'tool.write', context: { identity: 'user-500' } }), compiled), []);
    expect(decoy.matched_rules).toEqual(['decoy-500']);
  });
});
