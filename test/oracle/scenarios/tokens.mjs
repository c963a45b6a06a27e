// The signed-token scenarios: `gait approve`, `gait delegate mint|verify`, and `gate eval` with
// approval tokens, delegation tokens and the oss-prod profile. Token files for the eval cases
// are minted once per case by the side the case picks (prepare), broken on purpose some of the
// time, and then given to both CLIs. Tokens carry wall-clock times, so minted tokens are compared
// field by field modulo those and cross-checked instead: each side's token must get the same
// answer from the other side's `gate eval` / `delegate verify`.
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_KEYS, crossVerifyTraces, inTempDir, parse, run, writeFiles } from '../harness.mjs';
import { RANDOM_FIELDS } from '../known-differences.mjs';
import { KEY_FILES, VERIFY, createTokenGenerator } from '../token-generator.mjs';

const fixture = (name) => readFileSync(new URL(`../../fixtures/gait/scenarios/keys/${name}`, import.meta.url), 'utf8');
const KEYS = {
  [KEY_FILES.aPrivate]: readFileSync(FIXTURE_KEYS.private, 'utf8'),
  [KEY_FILES.aPublic]: readFileSync(FIXTURE_KEYS.public, 'utf8'),
  // A second pair (gait keys init --prefix other), for tokens signed by the wrong key.
  [KEY_FILES.bPrivate]: fixture('other_private.key'),
  [KEY_FILES.bPublic]: fixture('other_public.key'),
  [KEY_FILES.bad]: 'not base64 at all!\n',
};
/** Environment of every step: the key texts under the names the generated `*-env` flags use. */
const KEY_ENV = { A_PRIV: KEYS[KEY_FILES.aPrivate], A_PUB: KEYS[KEY_FILES.aPublic], BLANK: '   ' };

const TOKEN_RANDOM = ['token_id', 'created_at', 'expires_at'];
/** Mint outputs: times (and the token id and default file name derived from them); dev keys. */
const mintRandomFields = (c) => [...RANDOM_FIELDS, ...TOKEN_RANDOM, ...(c.out === undefined ? ['token_path'] : []), ...(c.key === 'dev' ? ['key_id'] : [])];

// ---------------------------------------------------------------------------------------------
// Token file checks.

/** A Go duration in nanoseconds (the TTL syntax both CLIs accept). */
function durationNs(text) {
  const unit = { ns: 1n, us: 1000n, µs: 1000n, ms: 1000000n, s: 1000000000n, m: 60000000000n, h: 3600000000000n };
  let total = 0n;
  for (const m of text.matchAll(/(\d+)(?:\.(\d+))?(ns|us|µs|ms|s|m|h)/g)) {
    const frac = (m[2] ?? '').padEnd(9, '0').slice(0, 9);
    total += BigInt(m[1]) * unit[m[3]] + (BigInt(frac) * unit[m[3]]) / 1000000000n;
  }
  return total;
}

/** An RFC 3339 time in nanoseconds since the epoch. */
function timeNs(text) {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(String(text));
  if (!m) return undefined;
  return BigInt(Date.parse(m[1] + m[3])) * 1000000n + BigInt((m[2] ?? '').padEnd(9, '0').slice(0, 9));
}

/** A minted token must expire exactly --ttl after it was created. */
function ttlDiffs(c, ttl, ours, gait) {
  const diffs = [];
  for (const [side, run] of [['ours', ours], ['gait', gait]]) {
    const token = run?.files?.token === undefined ? undefined : parse(run.files.token).value;
    if (!token || typeof token !== 'object') continue;
    const got = timeNs(token.expires_at) - timeNs(token.created_at);
    if (got !== durationNs(ttl)) diffs.push({ path: `token_ttl.${side}`, ours: side === 'ours' ? `${got}ns for --ttl ${ttl}` : 'ok', gait: side === 'gait' ? `${got}ns for --ttl ${ttl}` : 'ok' });
  }
  return diffs;
}

/**
 * Each side's minted token, read by both sides: the four answers (writer × reader) must agree
 * on exit and `fields`, so a token verifies on the other side exactly when it does on its own.
 */
async function crossRead(ours, gait, env, argv, fields) {
  const tokens = { ours: ours.files?.token, gait: gait.files?.token };
  if (tokens.ours === undefined || tokens.gait === undefined) return [];
  const answers = {};
  await inTempDir('gait-oracle-cross-', async (dir) => {
    writeFiles(dir, { ...KEYS, 'policy.yaml': VERIFY.policy, 'intent.json': VERIFY.intent });
    for (const writer of ['ours', 'gait']) {
      writeFiles(dir, { 't.json': tokens[writer] });
      for (const reader of ['ours', 'gait']) {
        const r = await run([...env[reader], ...argv], dir, env.timeout, KEY_ENV);
        const v = parse(r.stdout).value ?? {};
        answers[`${writer}_token_read_by_${reader}`] = { exit: r.exit, ...Object.fromEntries(fields.map((f) => [f, v[f]])) };
      }
    }
  });
  const want = JSON.stringify(answers.gait_token_read_by_gait);
  return Object.entries(answers)
    .filter(([, a]) => JSON.stringify(a) !== want)
    .map(([path, a]) => ({ path: `cross.${path}`, ours: a, gait: answers.gait_token_read_by_gait }));
}

const flagValue = (argv, flag) => {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
};
const verifyKeyFor = (c) => (c.key === 'b' ? KEY_FILES.bPublic : KEY_FILES.aPublic);

// ---------------------------------------------------------------------------------------------
// Minting for the gate eval cases (prepare).

const WRONG_DIGEST = '0'.repeat(63) + '1';

const approveArgv = (t, d) => [
  'approve', '--intent-digest', t.intentDigest === 'right' ? d.intent : WRONG_DIGEST, '--policy-digest', t.policyDigest === 'right' ? d.policy : WRONG_DIGEST,
  ...(t.binding === 'right' && d.binding ? ['--delegation-binding-digest', d.binding] : t.binding === 'wrong' ? ['--delegation-binding-digest', WRONG_DIGEST] : []),
  '--ttl', t.ttl, '--scope', t.scope, '--approver', t.approver, '--reason-code', t.reason,
  ...(t.maxTargets ? ['--max-targets', String(t.maxTargets)] : []), ...(t.maxOps ? ['--max-ops', String(t.maxOps)] : []),
  ...keyArgv(t.key), '--out', t.file, '--json',
];

const delegateArgv = (t, d) => [
  'delegate', 'mint', '--delegator', t.delegator, '--delegate', t.delegate, '--scope', t.scope, '--ttl', t.ttl,
  ...(t.scopeClass ? ['--scope-class', t.scopeClass] : []),
  ...(t.intentDigest === 'none' ? [] : ['--intent-digest', t.intentDigest === 'right' ? d.intent : WRONG_DIGEST]),
  ...(t.policyDigest === 'none' ? [] : ['--policy-digest', t.policyDigest === 'right' ? d.policy : WRONG_DIGEST]),
  ...keyArgv(t.key), '--out', t.file, '--json',
];

function keyArgv(key) {
  if (key === 'dev') return ['--key-mode', 'dev'];
  return ['--key-mode', 'prod', '--private-key', key === 'b' ? KEY_FILES.bPrivate : KEY_FILES.aPrivate];
}

/** A minted token file broken in one way (or kept, for the tampers that must still verify). */
function tamper(text, how, kind) {
  if (how === 'none') return text;
  if (how === 'garbage') return '{"schema_id": "gait.gate.';
  const t = JSON.parse(text);
  const who = kind === 'approval' ? 'approver_identity' : 'delegate_identity';
  if (how === 'edit-field') t[who] = `${t[who]}.x`;
  if (how === 'drop-signature') delete t.signature;
  if (how === 'bad-schema') t.schema_id = 'gait.gate.other_token';
  if (how === 'bad-time') t.expires_at = '2036-02-22 12:00:00';
  if (how === 'blank-key-id' && t.signature) t.signature.key_id = '';
  if (how === 'extra-field') t.note = 'not signed';
  if (how === 'upper-digest') t.scope = t.scope.map((s) => s.toUpperCase());
  if (how === 'bad-alg' && t.signature) t.signature.alg = 'rsa';
  if (how === 'wrong-type') t.scope = t.scope.join(',');
  return JSON.stringify(t, null, 2) + '\n';
}

/** Mints every token of the case with the CLI the case picks; returns { file: text }. */
async function mintTokens(c, env) {
  const bin = c.minter === 'gait' ? env.gait : env.ours;
  return inTempDir('gait-oracle-mint-', async (dir) => {
    mkdirSync(join(dir, '.gait-out'));
    writeFiles(dir, { ...KEYS, 'policy.yaml': c.policy, 'intent.json': c.intent });
    const r = await run([...bin, 'gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--json', '--simulate', '--trace-out', 'digest-trace.json'], dir, env.timeout);
    const out = parse(r.stdout).value ?? {};
    const trace = existsSync(join(dir, 'digest-trace.json')) ? parse(readFileSync(join(dir, 'digest-trace.json'), 'utf8')).value : undefined;
    const digests = { intent: out.intent_digest ?? WRONG_DIGEST, policy: out.policy_digest ?? WRONG_DIGEST, binding: trace?.delegation_ref?.chain_digest };
    const files = {};
    for (const [kind, list, argv] of [['approval', c.approvals, approveArgv], ['delegation', c.delegations, delegateArgv]]) {
      for (const t of list) {
        await run([...bin, ...argv(t, digests)], dir, env.timeout);
        const p = join(dir, t.file);
        if (existsSync(p)) files[t.file] = tamper(readFileSync(p, 'utf8'), t.tamper, kind);
      }
    }
    return files;
  });
}

// ---------------------------------------------------------------------------------------------
// Scenarios.

const gen = (method) => (seed) => createTokenGenerator(seed)[method]();

const evalScenario = (name, label, method) => ({
  name,
  command: 'gate eval',
  label,
  generate: gen(method),
  files: (c) => ({ ...KEYS, 'policy.yaml': c.policy, 'intent.json': c.intent }),
  prepare: mintTokens,
  steps: (c) => [{
    argv: c.argv,
    env: KEY_ENV,
    capture: {
      ...(c.trace ? { trace: 'trace.json' } : {}),
      approval_audit: c.audit ?? /^approval_audit_.*\.json$/,
      delegation_audit: c.daudit ?? /^delegation_audit_.*\.json$/,
    },
  }],
  check: (ours, gait, c, env) => (c.trace ? crossVerifyTraces(ours, gait, env) : []),
});

export const TOKEN_SCENARIOS = [
  {
    name: 'approve',
    command: 'approve',
    generate: gen('approveCase'),
    files: () => KEYS,
    steps: (c) => [{ argv: c.argv, env: KEY_ENV, capture: c.out ? { token: c.out } : {} }],
    randomFields: mintRandomFields,
    check: async (ours, gait, c, env) => [
      ...ttlDiffs(c, flagValue(c.argv, '--ttl'), ours[0], gait[0]),
      ...(await crossRead(ours[0], gait[0], env, ['gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--approval-token', 't.json', '--approval-public-key', verifyKeyFor(c), '--json'], ['verdict', 'reason_codes', 'valid_approvals'])),
    ],
  },
  {
    name: 'delegate',
    command: 'delegate',
    label: 'delegate mint+verify',
    generate: gen('delegateCase'),
    files: () => KEYS,
    steps: (c) => [
      { argv: c.mint, env: KEY_ENV, capture: c.out ? { token: c.out } : {}, keep: true },
      ...(c.verify ? [{ argv: c.verify, env: KEY_ENV }] : []),
    ],
    randomFields: mintRandomFields,
    check: async (ours, gait, c, env) => [
      ...ttlDiffs(c, flagValue(c.mint, '--ttl'), ours[0], gait[0]),
      ...(c.verify ? await crossRead(ours[0], gait[0], env, c.verify.map((a) => (a === c.out ? 't.json' : a)), ['ok', 'error_code', 'error']) : []),
    ],
  },
  evalScenario('eval-approval', 'gate eval (approval)', 'evalApprovalCase'),
  evalScenario('eval-delegation', 'gate eval (delegation)', 'evalDelegationCase'),
  evalScenario('eval-oss-prod', 'gate eval --profile oss-prod', 'ossProdCase'),
];
