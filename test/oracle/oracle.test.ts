// The differential runner's own checks (no Gait binary needed): it skips cleanly without
// GAIT_ORACLE, its cases replay from (seed, index), and the known-differences table is well formed.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ES module without types
import { caseSeed } from './run.mjs';
// @ts-expect-error plain ES module without types
import { KNOWN_DIFFERENCES, explain, positions } from './known-differences.mjs';
// @ts-expect-error plain ES module without types
import { createGenerator } from '../../conformance/generator.mjs';
// @ts-expect-error plain ES module without types
import { SCENARIOS } from './scenarios/index.mjs';
// @ts-expect-error plain ES module without types
import { TOKEN_SCENARIOS } from './scenarios/tokens.mjs';

const RUNNER = fileURLToPath(new URL('./run.mjs', import.meta.url));

describe('test:oracle runner', () => {
  it('says it was skipped, exit 0, when GAIT_ORACLE is not set', () => {
    const env = { ...process.env };
    delete env['GAIT_ORACLE'];
    const r = spawnSync(process.execPath, [RUNNER, '--cases', '3'], { env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/SKIPPED: GAIT_ORACLE is not set/);
  });

  it('rejects unknown options and commands (exit 2)', () => {
    const r = spawnSync(process.execPath, [RUNNER, '--commands', 'nope'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
  });

  it('replays a case from its seed and index', () => {
    const a = createGenerator(caseSeed(123, 45)).randomCase();
    const b = createGenerator(caseSeed(123, 45)).randomCase();
    expect(a).toEqual(b);
    expect(typeof a.policy).toBe('string');
    expect(typeof a.intent).toBe('string');
    expect(caseSeed(123, 45)).not.toBe(caseSeed(123, 46));
  });

  it('replays the signed-token cases from their seed', () => {
    expect(TOKEN_SCENARIOS.map((s: { name: string }) => s.name)).toEqual(['approve', 'delegate', 'eval-approval', 'eval-delegation', 'eval-oss-prod']);
    for (const s of TOKEN_SCENARIOS) {
      const a = s.generate(caseSeed(7, 3));
      expect(s.generate(caseSeed(7, 3))).toEqual(a);
      expect(s.steps(a)).toEqual(s.steps(s.generate(caseSeed(7, 3))));
      expect(JSON.stringify(s.generate(caseSeed(7, 4)))).not.toBe(JSON.stringify(a));
      for (const step of s.steps(a)) expect(step.argv.every((x: unknown) => typeof x === 'string')).toBe(true);
    }
  });

  it('replays every scenario\'s case, files and steps from a seed', () => {
    for (const s of SCENARIOS) {
      const seed = caseSeed(20261203, 7);
      const a = s.generate(seed);
      expect(s.generate(seed), s.name).toEqual(a);
      expect(s.files(s.generate(seed)), s.name).toEqual(s.files(a));
      expect(s.steps(s.generate(seed)), s.name).toEqual(s.steps(a));
      expect(s.steps(a).length, s.name).toBeGreaterThan(0);
      // Different seeds give different cases (over a few draws: some families are small).
      const others = [1, 2, 3, 4].map((i) => JSON.stringify(s.generate(caseSeed(20261203, i))));
      expect(new Set([JSON.stringify(a), ...others]).size, s.name).toBeGreaterThan(1);
    }
  });

  it('has a well-formed known-differences table', () => {
    const ids = new Set<string>();
    for (const k of KNOWN_DIFFERENCES) {
      expect(ids.has(k.id)).toBe(false);
      ids.add(k.id);
      expect(['accepted', 'quirk', 'bug']).toContain(k.kind);
      expect(k.ref.length).toBeGreaterThan(10);
      if (k.kind === 'bug') expect(k.reason).toMatch(/^BUG, open: .*Minimal|^BUG, open: /);
      expect(k.commands.length).toBeGreaterThan(0);
    }
  });

  it('accepts the env broker reference hash only as Gait\'s 16-hex suffix of our reference', () => {
    const ctx = { command: 'gate eval', policy: '', intent: null, ours: [], gait: [] };
    const d = (ours: string, gait: string) => ({ path: 'stdout.credential_ref', ours, gait });
    expect(explain(d('env:GAIT_BROKER_TOKEN_EGRESS', 'env:GAIT_BROKER_TOKEN_EGRESS:4e738ca5563c06cf'), ctx)?.id).toBe('env-broker-reference-hash');
    expect(explain(d('env:GAIT_BROKER_TOKEN_EGRESS', 'env:GAIT_BROKER_TOKEN_DB:4e738ca5563c06cf'), ctx)).toBeUndefined();
    expect(explain(d('stub:aa', 'stub:aa:4e738ca5563c06cf'), ctx)).toBeUndefined();
  });

  it('accepts YAML error wording only with the same line:column', () => {
    const ctx = { command: 'policy validate', policy: '', intent: null, ours: [], gait: [] };
    const d = (ours: string, gait: string) => ({ path: 'stdout.error', ours, gait });
    expect(positions('parse policy yaml: [2:1] x')).toEqual(['[2:1]']);
    expect(explain(d('parse policy yaml: [2:1] Tabs are not allowed', 'parse policy yaml: [2:1] found character'), ctx)?.id).toBe('yaml-error-wording');
    expect(explain(d('parse policy yaml: [2:2] Tabs are not allowed', 'parse policy yaml: [2:1] found character'), ctx)).toBeUndefined();
    expect(explain(d('normalize intent: a', 'normalize intent: b'), ctx)).toBeUndefined();
    // Text mode: the whole stdout is `<command> error: parse policy yaml: …`.
    const text = (ours: string, gait: string) => ({ path: 'stdout', ours, gait });
    expect(explain(text('policy simulate error: parse policy yaml: [1:8] cannot unmarshal\n', 'policy simulate error: parse policy yaml: [1:8] string was used\n'), ctx)?.id).toBe('yaml-error-wording');
    expect(explain(text('policy simulate error: parse policy yaml: [1:9] x\n', 'policy simulate error: parse policy yaml: [1:8] y\n'), ctx)).toBeUndefined();
  });

  it('accepts a human-form flag error only against our JSON envelope with the same message', () => {
    const ctx = { command: 'approve', policy: '', intent: null, ours: [], gait: [] };
    const envelope = (error: string) => JSON.stringify({ error, error_code: 'invalid_input', ok: false }) + '\n';
    const d = (ours: string, gait: string) => ({ path: 'stdout', ours, gait });
    expect(explain(d(envelope('flag provided but not defined: -x'), 'approve error: flag provided but not defined: -x\n'), ctx)?.id).toBe('json-flag-error-envelope');
    expect(explain(d(envelope('flag provided but not defined: -y'), 'approve error: flag provided but not defined: -x\n'), ctx)).toBeUndefined();
    expect(explain(d(envelope('scope is required'), 'approve error: scope is required\n'), ctx)).toBeUndefined();
  });
});
