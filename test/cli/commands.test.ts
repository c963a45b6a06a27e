// The rest of the command surface: validate, fmt, simulate, init, demo, help, version.
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, copyFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gait, gaitProcess, FIXTURES, REPO } from './run.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'gait-cmd-'));

describe('policy validate', () => {
  it('reports the digest and rule count', async () => {
    const r = await gait(['policy', 'validate', FIXTURES + 'policy/base_low_risk.yaml', '--json']);
    expect(r.exit).toBe(0);
    expect(r.json).toMatchObject({
      ok: true,
      schema_id: 'gait.gate.policy',
      schema_version: '1.0.0',
      default_verdict: 'allow',
      rule_count: 3,
      policy_digest: 'aa9e4371c827fc38f26c95588061b8376f20ef6524917ebab69bcc41aa3ed5c9',
    });
    expect(r.json.summary).toBe('policy validate ok: default=allow rules=3 digest=aa9e4371c827fc38f26c95588061b8376f20ef6524917ebab69bcc41aa3ed5c9');
    const text = await gait(['policy', 'validate', FIXTURES + 'policy/base_low_risk.yaml']);
    expect(text.stdout).toBe(r.json.summary + '\n');
  });
});

describe('policy fmt', () => {
  it('is idempotent and never changes the digest', async () => {
    const dir = tempDir();
    const p = path.join(dir, 'policy.yaml');
    copyFileSync(FIXTURES + 'policy/base_medium_risk.yaml', p);
    const digest = (await gait(['policy', 'validate', p, '--json'])).json.policy_digest;
    const first = await gait(['policy', 'fmt', p, '--write', '--json']);
    expect(first.exit).toBe(0);
    expect(first.json.changed).toBe(true);
    expect(first.json.written).toBe(true);
    expect(first.json.policy_digest).toBe(digest);
    expect(statSync(p).mode & 0o777).toBe(statSync(FIXTURES + 'policy/base_medium_risk.yaml').mode & 0o777);
    const second = await gait(['policy', 'fmt', p, '--write', '--json']);
    expect(second.json.changed).toBeUndefined();
    expect(second.json.written).toBeUndefined();
    const stdout = await gait(['policy', 'fmt', p]);
    expect(stdout.stdout).toBe(readFileSync(p, 'utf8'));
    expect(stdout.stdout).toContain('schema_id: gait.gate.policy');
    const json = await gait(['policy', 'fmt', p, '--json']);
    expect(json.json.formatted).toBe(readFileSync(p, 'utf8'));
  });
});

describe('policy simulate', () => {
  // cli.md §6 derives 3 changes from the August (A) fixtures. The bundled v1.3.6 base_high_risk.yaml
  // lets `destructive-budget-guard` (p18) match every high-risk intent (intent.md §9 E7), so
  // intent_write changes its reason and matched rule too: 4 changes, same verdict counts.
  it('the demo comparison: medium baseline vs high candidate (cli.md §6, v1.3.6 fixtures)', async () => {
    const r = await gait(['policy', 'simulate', '--baseline', FIXTURES + 'policy/base_medium_risk.yaml', '--policy', FIXTURES + 'policy/base_high_risk.yaml', '--fixtures', FIXTURES + 'policy/intents', '--json']);
    expect(r.exit).toBe(0);
    expect(r.json.fixtures_total).toBe(6);
    expect(r.json.changed_fixtures).toBe(4);
    expect(r.json.recommendation).toBe('observe');
    expect(r.json.baseline_verdicts).toEqual([{ count: 1, verdict: 'allow' }, { count: 1, verdict: 'block' }, { count: 4, verdict: 'require_approval' }]);
    expect(r.json.candidate_verdicts).toEqual([{ count: 2, verdict: 'allow' }, { count: 3, verdict: 'block' }, { count: 1, verdict: 'require_approval' }]);
    expect(r.json.changed.map((c: any) => [path.basename(c.fixture_path), c.baseline_verdict, c.candidate_verdict])).toEqual([
      ['intent_delegated_egress_invalid.json', 'require_approval', 'block'],
      ['intent_delegated_egress_valid.json', 'require_approval', 'allow'],
      ['intent_tainted_egress.json', 'require_approval', 'block'],
      ['intent_write.json', 'require_approval', 'require_approval'],
    ]);
    expect(r.json.changed[3].candidate_reason_codes).toEqual(['destructive_budget_guard']);
  });

  it('TestPolicySimulateCommand: tightening recommends require_approval', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'base.yaml'), 'default_verdict: allow\n');
    writeFileSync(path.join(dir, 'cand.yaml'), 'default_verdict: allow\nrules:\n  - name: block-write\n    priority: 1\n    effect: block\n    match:\n      tool_names: [tool.write]\n    reason_codes: [blocked_write]\n');
    const fx = path.join(dir, 'fixtures');
    mkdirSync(fx, { recursive: true });
    copyFileSync(FIXTURES + 'policy/intents/intent_write.json', path.join(fx, 'intent_write.json'));
    copyFileSync(FIXTURES + 'policy/intents/intent_read.json', path.join(fx, 'intent_read.json'));
    const r = await gait(['policy', 'simulate', '--policy', path.join(dir, 'cand.yaml'), '--baseline', path.join(dir, 'base.yaml'), '--fixtures', fx, '--json']);
    expect(r.json.fixtures_total).toBe(2);
    expect(r.json.changed_fixtures).toBe(1);
    expect(r.json.recommendation).toBe('require_approval');
    expect(r.json.changed[0].fixture_path).toBe(path.join(fx, 'intent_write.json'));
    expect((await gait(['policy', 'simulate', '--policy', path.join(dir, 'cand.yaml'), '--json'])).json.error).toBe('missing required --baseline <baseline_policy.yaml>');
  });
});


describe('policy init', () => {
  it('writes a template and refuses to overwrite without --force', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'gait.policy.yaml');
    const r = await gait(['policy', 'init', 'baseline-highrisk', '--out', out, '--json']);
    expect(r.exit).toBe(0);
    expect(r.json.template).toBe('baseline-highrisk');
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(FIXTURES + 'policy_templates/baseline-highrisk.yaml', 'utf8'));
    expect((await gait(['policy', 'init', 'baseline-highrisk', '--out', out, '--json'])).exit).toBe(6);
    expect((await gait(['policy', 'init', 'baseline_high_risk', '--out', out, '--force', '--json'])).exit).toBe(0);
    expect((await gait(['policy', 'init', 'low', '--out', out, '--force', '--json'])).json.template).toBe('baseline-lowrisk');
    expect((await gait(['policy', 'init', 'nope', '--out', out, '--json'])).json.error).toBe('unknown template: nope');
    expect((await gait(['policy', 'validate', out, '--json'])).exit).toBe(0);
  });
});

describe('demo --policy', () => {
  it('runs every bundled example and checks it', async () => {
    const r = await gait(['demo', '--policy', '--json']);
    expect(r.exit).toBe(0);
    expect(r.json.failed).toBe(0);
    expect(r.json.passed).toBe(21);
    const text = await gait(['demo', '--policy']);
    expect(text.stdout).toContain('blocked_tainted_egress');
    expect(text.stdout).toContain('21/21 cases as expected');
  });

  it('bundles exact copies of the specification fixtures', () => {
    for (const f of ['EXPECTED.jsonl', 'policy/base_high_risk.yaml', 'policy/intents/intent_write.json', 'policy-test/intent.json', 'prompt-injection/policy.yaml']) {
      expect(readFileSync(path.join(REPO, 'examples/gait', f), 'utf8')).toBe(readFileSync(FIXTURES + f, 'utf8'));
    }
  });
});

describe('help and version', () => {
  const helps = [
    ['--help'], ['policy', '--help'], ['policy', 'validate', '--help'], ['policy', 'fmt', '--help'], ['policy', 'test', '-h'],
    ['policy', 'simulate', '--help'], ['policy', 'init', '--help'], ['gate', 'eval', '--help'], ['gate', '--help'],
    ['trace', 'verify', '--help'], ['keys', 'init', '--help'], ['demo', '--help'],
  ];
  for (const args of helps) {
    it(`gait ${args.join(' ')}`, async () => {
      const r = await gait(args);
      expect(r.exit).toBe(0);
      expect(r.stdout).toMatch(/Usage/);
    });
  }
  it('version', async () => {
    expect((await gait(['version', '--json'])).json.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('the installed command', () => {
  it('runs as a process with the documented exit codes', () => {
    const ok = gaitProcess(['policy', 'test', FIXTURES + 'policy-test/allow.yaml', FIXTURES + 'policy-test/intent.json', '--json']);
    expect(ok.exit).toBe(0);
    expect(ok.json.verdict).toBe('allow');
    expect(gaitProcess(['policy', 'test', FIXTURES + 'policy-test/block.yaml', FIXTURES + 'policy-test/intent.json']).exit).toBe(3);
    expect(gaitProcess(['policy', 'test', FIXTURES + 'policy-test/require_approval.yaml', FIXTURES + 'policy-test/intent.json']).exit).toBe(4);
    const bad = gaitProcess(['policy', 'validate', '/nonexistent.yaml']);
    expect(bad.exit).toBe(6);
    expect(bad.stdout).toMatch(/^policy validate error: read policy: /); // stdout, as Gait
    expect(bad.stderr).toBe('');
  });
});
