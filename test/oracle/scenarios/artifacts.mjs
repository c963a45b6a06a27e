// The artifact scenarios: approved-script registries (approve-script, list-scripts, gate eval
// with a registry), credential brokers, Wrkr inventories, rate-limit state, trace verify, keys
// init and policy simulate. Registries and traces are minted by the side the case picks
// (`prepare`) and then given to both CLIs; artifacts each side writes are cross-checked on the
// other side (`check`).
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_KEYS, crossVerifyTraces, inTempDir, parse, run, writeFiles } from '../harness.mjs';
import * as gen from '../artifact-generator.mjs';

// Wall-clock times inside any string (registry created_at/expires_at, rate-limit window keys):
// Gait prints nanoseconds, gait-wasm milliseconds, and the two runs happen at different moments.
const TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)/g;
const scrubTimes = (text) => text.replace(TIME, '<time>');

/** A second, fixed ed25519 key pair (seed 0x42…): the "wrong key" of the verification cases. */
const WRONG_KEYS = (() => {
  const seed = Buffer.alloc(32, 0x42);
  const key = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  const pub = Buffer.from(createPublicKey(key).export({ format: 'jwk' }).x, 'base64url');
  return { private: Buffer.concat([seed, pub]).toString('base64') + '\n', public: pub.toString('base64') + '\n' };
})();
const FIXTURE_PUBLIC = readFileSync(FIXTURE_KEYS.public, 'utf8');
const signing = ['--key-mode', 'prod', '--private-key', FIXTURE_KEYS.private];

// ---------------------------------------------------------------------------------------------
// Approved-script registries.

/** approve-script argv for approval `a` (intent file `intentFile`) into reg.json. */
function approveArgv(a, intentFile, policyFile = 'policy.yaml') {
  return [
    'approve-script', '--policy', policyFile,
    ...(a.missingIntent ? [] : ['--intent', intentFile]),
    ...(a.noRegistry ? [] : ['--registry', 'reg.json']),
    ...(a.approver !== undefined ? ['--approver', a.approver] : []),
    '--ttl', a.ttl,
    ...(a.scope !== undefined ? ['--scope', a.scope] : []),
    ...(a.patternId !== undefined ? ['--pattern-id', a.patternId] : []),
    '--key-mode', 'prod', ...(a.noKey ? [] : ['--private-key', a.keyFile ?? FIXTURE_KEYS.private]),
    '--json',
  ];
}
const approvalFiles = (c) => Object.fromEntries(c.approvals.flatMap((a, k) => [[`approval-${k}.json`, a.intent], ...(a.policy ? [[`approval-${k}.yaml`, a.policy]] : [])]));

/** Registry text minted by `c.writer`'s approve-script, then tampered as the case says (or undefined). */
async function mintRegistry(c, env) {
  if (!c.approvals.length) return undefined;
  const text = await inTempDir('gait-oracle-mint-', async (dir) => {
    writeFiles(dir, { 'policy.yaml': c.policy, ...approvalFiles(c) });
    for (const [k, a] of c.approvals.entries()) await run([...env[c.writer], ...approveArgv(a, `approval-${k}.json`, a.policy ? `approval-${k}.yaml` : 'policy.yaml')], dir, env.timeout);
    const p = join(dir, 'reg.json');
    return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
  });
  if (text === undefined || !c.tamper) return text;
  const reg = JSON.parse(text);
  const e = reg.entries[0];
  if (c.tamper === 'approver') e.approver_identity = 'mallory';
  if (c.tamper === 'expires') e.expires_at = '2099-01-01T00:00:00Z';
  if (c.tamper === 'signature') e.signature.sig = Buffer.alloc(64, 7).toString('base64');
  if (c.tamper === 'sequence') e.tool_sequence = [...e.tool_sequence, 'tool.extra'];
  return JSON.stringify(reg, null, 2) + '\n';
}
const prepareRegistry = async (c, env) => {
  const text = await mintRegistry(c, env);
  return text === undefined ? {} : { 'reg.json': text };
};

/** What a `gate eval` of the registry's first approval says: the fast-path fields. */
async function registryVerdict(bin, registry, c, env) {
  return inTempDir('gait-oracle-reg-', async (dir) => {
    writeFiles(dir, { 'policy.yaml': c.policy, 'intent.json': c.approvals[0].intent, 'reg.json': registry });
    const r = await run([...bin, 'gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--approved-script-registry', 'reg.json', '--approved-script-public-key', FIXTURE_KEYS.public, '--json'], dir, env.timeout);
    const o = parse(r.stdout).value ?? {};
    return { exit: r.exit, verdict: o.verdict, pre_approved: o.pre_approved, registry_reason: o.registry_reason, warnings: o.warnings };
  });
}

/** Each side's registry gives, on the other side, the fast-path answer Gait's registry gives on Gait. */
async function crossVerifyRegistries(ours, gait, c, env) {
  const last = (runs) => [...runs].reverse().find((r) => r.files.registry !== undefined)?.files.registry;
  const registries = { ours: last(ours), gait: last(gait) };
  if (registries.ours === undefined || registries.gait === undefined || ours[0].exit !== 0) return [];
  const reference = await registryVerdict(env.gait, registries.gait, c, env);
  const diffs = [];
  for (const [writer, verifier] of [['ours', 'gait'], ['gait', 'ours']]) {
    const got = await registryVerdict(env[verifier], registries[writer], c, env);
    if (JSON.stringify(got) !== JSON.stringify(reference)) diffs.push({ path: `registry_cross_verify.${writer}_on_${verifier}`, ours: got, gait: reference });
  }
  return diffs;
}

const approveScript = {
  name: 'approve-script',
  command: 'approve-script',
  generate: gen.approveScriptCase,
  files: (c) => ({ 'policy.yaml': c.policy, ...approvalFiles(c), ...c.files }),
  steps: (c) => [
    ...c.approvals.map((a, k) => ({ argv: approveArgv(a, `approval-${k}.json`), capture: { registry: 'reg.json' }, keep: true })),
    { argv: ['list-scripts', '--registry', 'reg.json', '--json'] },
  ],
  scrub: scrubTimes,
  check: crossVerifyRegistries,
};

const listScripts = {
  name: 'list-scripts',
  command: 'list-scripts',
  generate: gen.listScriptsCase,
  files: (c) => ({ ...c.files }),
  prepare: prepareRegistry,
  steps: (c) => [{ argv: ['list-scripts', '--registry', 'reg.json', ...(c.json ? ['--json'] : [])] }],
};

const keyFlags = (key, flag, envFlag, envName) => ({
  fixture: { argv: [flag, FIXTURE_KEYS.public] },
  wrong: { argv: [flag, 'wrong_public.key'] },
  none: { argv: [] },
  env: { argv: [envFlag, envName], env: { [envName]: FIXTURE_PUBLIC.trim() } },
  'env-blank': { argv: [envFlag, envName], env: { [envName]: ' ' } },
  private: { argv: ['--private-key', FIXTURE_KEYS.private] },
  'missing-file': { argv: [flag, 'nope.key'] },
})[key];

const evalRegistry = {
  name: 'eval-registry',
  command: 'gate eval',
  label: 'gate eval --approved-script-registry',
  generate: gen.evalRegistryCase,
  files: (c) => ({ 'policy.yaml': c.policy, 'intent.json': c.intent, 'wrong_public.key': WRONG_KEYS.public, ...c.files }),
  prepare: prepareRegistry,
  scrub: scrubTimes, // a fast-path match stamps the trace's created_at with the wall clock (spec intent.md §4)
  steps: (c) => {
    const k = keyFlags(c.key, '--approved-script-public-key', '--approved-script-public-key-env', 'GAIT_SCRIPT_KEY');
    return [{ argv: ['gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--approved-script-registry', 'reg.json', ...k.argv, '--json', ...signing, '--trace-out', 'trace.json'], env: k.env, capture: { trace: 'trace.json' } }];
  },
  check: (ours, gait, _c, env) => crossVerifyTraces(ours, gait, env),
};

// ---------------------------------------------------------------------------------------------
// Brokers, Wrkr inventories, rate-limit state.

const evalBroker = {
  name: 'eval-broker',
  command: 'gate eval',
  label: 'gate eval --credential-broker',
  generate: gen.evalBrokerCase,
  files: (c) => ({ 'policy.yaml': c.policy, 'intent.json': c.intent, ...c.files }),
  scrub: scrubTimes, // the evidence record's issued_at/expires_at are wall-clock times
  steps: (c) => [{
    argv: ['gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--credential-broker', c.broker, ...c.args, ...(c.evidence ? ['--credential-evidence-out', 'evidence.json'] : []), '--json', ...signing, '--trace-out', 'trace.json'],
    env: c.env,
    capture: { evidence: 'evidence.json', trace: 'trace.json' },
  }],
  check: (ours, gait, _c, env) => crossVerifyTraces(ours, gait, env),
};

const evalWrkr = {
  name: 'eval-wrkr',
  command: 'gate eval',
  label: 'gate eval --wrkr-inventory',
  generate: gen.evalWrkrCase,
  files: (c) => ({ 'policy.yaml': c.policy, 'intent.json': c.intent, ...c.files }),
  steps: (c) => [{ argv: ['gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--wrkr-inventory', 'inventory.json', ...(c.oss ? ['--profile', 'oss-prod'] : []), '--json', ...signing, '--trace-out', 'trace.json'], capture: { trace: 'trace.json' } }],
  check: (ours, gait, _c, env) => crossVerifyTraces(ours, gait, env),
};

const evalState = {
  name: 'eval-state',
  command: 'gate eval',
  label: 'gate eval --rate-limit-state',
  generate: gen.evalStateCase,
  files: (c) => ({ 'policy.yaml': c.policy, ...Object.fromEntries(c.runs.map((i, k) => [`intent-${k}.json`, k === 0 ? c.intent : i])), ...c.files }),
  stateful: () => true,
  steps: (c) => c.runs.map((_, k) => ({ argv: ['gate', 'eval', '--policy', 'policy.yaml', '--intent', `intent-${k}.json`, '--rate-limit-state', 'state.json', '--json'], capture: { state: 'state.json' }, keep: true })),
  scrub: scrubTimes,
};

// ---------------------------------------------------------------------------------------------
// Traces and keys.

/** A trace written by `c.writer`'s gate eval (signed with the fixture key), tampered as the case says. */
async function prepareTrace(c, env) {
  const text = await inTempDir('gait-oracle-trace-', async (dir) => {
    writeFiles(dir, { 'policy.yaml': c.policy, 'intent.json': c.intent });
    await run([...env[c.writer], 'gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--json', ...signing, '--trace-out', 'trace.json'], dir, env.timeout);
    const p = join(dir, 'trace.json');
    return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
  });
  if (text === undefined) return {};
  const t = JSON.parse(text);
  const tampered = {
    none: () => text,
    field: () => JSON.stringify({ ...t, intent_digest: 'f'.repeat(64) }),
    verdict: () => JSON.stringify({ ...t, verdict: t.verdict === 'allow' ? 'block' : 'allow' }),
    'no-signature': () => JSON.stringify({ ...t, signature: undefined }),
    'bad-sig': () => JSON.stringify({ ...t, signature: { ...t.signature, sig: Buffer.alloc(64, 9).toString('base64') } }),
    malformed: () => text.slice(0, Math.floor(text.length / 2)),
    truncated: () => '',
    'key-id': () => JSON.stringify({ ...t, signature: { ...t.signature, key_id: '0'.repeat(64) } }),
  }[c.tamper]();
  return { 'trace.json': tampered };
}

const traceVerify = {
  name: 'trace-verify',
  command: 'trace verify',
  generate: gen.traceVerifyCase,
  files: () => ({ 'wrong_public.key': WRONG_KEYS.public }),
  prepare: prepareTrace,
  steps: (c) => {
    const k = keyFlags(c.key, '--public-key', '--public-key-env', 'GAIT_TRACE_KEY');
    return [{ argv: ['trace', 'verify', 'trace.json', ...k.argv, ...(c.json ? ['--json'] : [])], env: k.env }];
  },
};

/** Each side's fresh key pair signs a trace on the other side and verifies on both. */
async function crossUseKeys(ours, gait, c, env) {
  const diffs = [];
  for (const [owner, runs] of [['ours', ours], ['gait', gait]]) {
    const r = runs.find((x) => x.exit === 0 && x.files.private && x.files.public && x.files.private !== 'old\n');
    if (!r) continue;
    const other = owner === 'ours' ? 'gait' : 'ours';
    await inTempDir('gait-oracle-keys-', async (dir) => {
      writeFiles(dir, { 'policy.yaml': 'default_verdict: allow\n', 'intent.json': JSON.stringify({ tool_name: 'tool.read', args: {}, targets: [{ kind: 'path', value: '/tmp/x' }], context: { identity: 'alice', workspace: '/repo', risk_class: 'low' } }), 'k.key': r.files.private, 'k.pub': r.files.public });
      const signed = await run([...env[other], 'gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--json', '--key-mode', 'prod', '--private-key', 'k.key', '--trace-out', 'trace.json'], dir, env.timeout);
      for (const verifier of ['ours', 'gait']) {
        const v = await run([...env[verifier], 'trace', 'verify', 'trace.json', '--public-key', 'k.pub', '--json'], dir, env.timeout);
        if (signed.exit !== 0 || parse(v.stdout).value?.signature_status !== 'verified') {
          diffs.push({ path: `keys_cross_use.${owner}_keys_signed_by_${other}_verified_by_${verifier}`, ours: `sign exit ${signed.exit} ${signed.stdout.trim()}`, gait: `verify exit ${v.exit} ${v.stdout.trim()}` });
        }
      }
    });
  }
  return diffs;
}

const keysInit = {
  name: 'keys-init',
  command: 'keys init',
  generate: gen.keysInitCase,
  files: (c) => ({ ...c.files }),
  randomFields: ['key_id'],
  scrub: (text) => text.replace(/key_id=[0-9a-f]{64}/g, 'key_id=<random>'), // the text output's fresh key id
  steps: (c) => {
    const step = { argv: ['keys', 'init', ...c.args], capture: { private: `${c.dir}/${c.name}_private.key`, public: `${c.dir}/${c.name}_public.key` }, keep: true, opaque: true };
    return c.twice ? [step, step] : [step];
  },
  check: crossUseKeys,
};

const policySimulate = {
  name: 'policy-simulate',
  command: 'policy simulate',
  generate: gen.policySimulateCase,
  files: (c) => ({ ...c.files, 'candidate.yaml': c.policy, ...(c.intent !== null ? { 'i0.json': c.intent } : {}) }),
  steps: (c) => [{ argv: ['policy', 'simulate', '--policy', 'candidate.yaml', '--baseline', 'baseline.yaml', '--fixtures', c.fixtures.join(','), ...(c.json ? ['--json'] : [])] }],
};

export const ARTIFACT_SCENARIOS = [approveScript, listScripts, evalRegistry, evalBroker, evalWrkr, evalState, traceVerify, keysInit, policySimulate];
