// The policy scenarios: one generated (policy, intent) pair given to `policy test`, `policy
// validate`, `policy fmt`, `gate eval` (signed trace, cross-verified; a second run on the same
// rate-limit state when the policy has limits) and `gate eval --simulate`.
import { createGenerator } from '../../../conformance/generator.mjs';
import { FIXTURE_KEYS, crossVerifyTraces, inTempDir, run, writeFiles } from '../harness.mjs';

const generate = (seed) => createGenerator(seed).randomCase();
const files = (c) => ({ 'policy.yaml': c.policy, ...(c.intent !== null ? { 'intent.json': c.intent } : {}) });
const stateful = (c) => /rate_limit|destructive_budget/.test(c.policy);
const signing = ['--key-mode', 'prod', '--private-key', FIXTURE_KEYS.private, '--trace-out', 'trace.json'];
const gateEval = (extra) => (c) => {
  const argv = ['gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--json', ...extra, ...signing];
  const step = { argv, capture: { trace: 'trace.json' } };
  return stateful(c) && !extra.includes('--simulate') ? [step, step] : [step];
};

/** For `policy fmt` byte differences: is each CLI's output its own fixed point (fmt of it = it)? */
async function fmtFixedPoints(ours, gait, env) {
  return inTempDir('gait-oracle-fmt-', async (dir) => {
    const fixed = {};
    for (const [side, cli, text] of [['ours', env.ours, ours.stdout], ['gait', env.gait, gait.stdout]]) {
      writeFiles(dir, { 'policy.yaml': text });
      const r = await run([...cli, 'policy', 'fmt', 'policy.yaml'], dir, env.timeout);
      fixed[side] = r.exit === 0 && r.stdout === text;
    }
    return fixed;
  });
}

export const POLICY_SCENARIOS = [
  { name: 'test', command: 'policy test', generate, files, steps: () => [{ argv: ['policy', 'test', 'policy.yaml', 'intent.json', '--json'] }] },
  { name: 'validate', command: 'policy validate', generate, files, steps: () => [{ argv: ['policy', 'validate', 'policy.yaml', '--json'] }] },
  {
    name: 'fmt',
    command: 'policy fmt',
    text: true,
    generate,
    files,
    steps: () => [{ argv: ['policy', 'fmt', 'policy.yaml'] }],
    context: async (ours, gait, diffs, env) => (diffs.some((d) => d.path === 'fmt') ? { fmtFixedPoints: await fmtFixedPoints(ours[0], gait[0], env) } : {}),
  },
  { name: 'eval', command: 'gate eval', generate, files, stateful, steps: gateEval([]), check: (ours, gait, _c, env) => crossVerifyTraces(ours, gait, env) },
  { name: 'simulate', command: 'gate eval', label: 'gate eval --simulate', generate, files, steps: gateEval(['--simulate']), check: (ours, gait, _c, env) => crossVerifyTraces(ours, gait, env) },
];
