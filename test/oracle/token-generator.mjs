// Seeded cases for the signed-token scenarios (scenarios/tokens.mjs): `gait approve` and
// `gait delegate` flag sets, and `gate eval` cases whose policy needs approval, delegation or
// the oss-prod profile, with a list of tokens to mint (by the side the case picks) and break.
// Pure data from one mulberry32 stream: a seed fixes every case. Kept apart from
// conformance/generator.mjs, whose output the conformance corpus pins.
import YAML from 'yaml';
import { mulberry32 } from '../../conformance/generator.mjs';

/** Key files every token case gets (names inside the case directory). */
export const KEY_FILES = {
  aPrivate: 'keys/a_private.key',
  aPublic: 'keys/a_public.key',
  bPrivate: 'keys/b_private.key',
  bPublic: 'keys/b_public.key',
  bad: 'keys/bad.key',
  missing: 'keys/missing.key',
};

const HEX = '0123456789abcdef';
const IDENTITIES = ['agent.lead', 'agent.manager', 'agent.senior', 'agent.worker'];
const APPROVERS = ['alice', 'bob', 'carol', ' human.reviewer ', 'Alice'];
const TOOLS = ['tool.write', 'tool.delete', 'tool.read', 'Tool.Exec'];
const LONG_TTLS = ['87600h', '1h', '30m', '1h30m', '1.5h', '2h45m10s', '720h', '90m'];
// Tokens that are already expired when gate eval reads them (v1.3.6 has no --evaluation-time).
const EXPIRED_TTLS = ['1ms', '1ns', '1us', '2ms'];
const BAD_TTLS = ['', '0', '-1h', '1d', 'abc', '10', ' 1h', '0s'];
const TAMPERS = ['edit-field', 'drop-signature', 'bad-schema', 'garbage', 'bad-time', 'blank-key-id', 'extra-field', 'upper-digest', 'bad-alg', 'wrong-type'];

export function createTokenGenerator(seed) {
  const rng = mulberry32(seed);
  const chance = (p) => rng() < p;
  const int = (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1));
  const pick = (xs) => xs[Math.floor(rng() * xs.length)];
  const hex = (n) => Array.from({ length: n }, () => pick(HEX)).join('');
  const shuffle = (xs) => {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = int(0, i);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  };

  /** A `--flag value` pair list from [flag, value|undefined]. */
  const flagList = (pairs) => pairs.filter(([, v]) => v !== undefined).flatMap(([f, v]) => (v === true ? [f] : [f, v]));

  function digestFlag(bad) {
    if (bad) return pick(['', 'abc', hex(63), `${hex(63)}g`, `sha256:${hex(64)}`, hex(65)]);
    const d = hex(64);
    return chance(0.1) ? d.toUpperCase() : chance(0.05) ? ` ${d} ` : d;
  }

  /** Signing-key flags of approve / delegate mint: { argv, env, key: 'a'|'b'|'dev'|'bad' }. */
  function signingFlags(badChance) {
    if (chance(badChance)) {
      const v = pick([
        [['--key-mode', 'dev', '--private-key', KEY_FILES.aPrivate]],
        [['--key-mode', 'prod']],
        [['--key-mode', 'prod', '--private-key', KEY_FILES.aPrivate, '--private-key-env', 'A_PRIV']],
        [['--key-mode', 'prod', '--private-key-env', 'NOT_SET_ANYWHERE']],
        [['--key-mode', 'prod', '--private-key-env', 'BLANK']],
        [['--key-mode', 'prod', '--private-key', KEY_FILES.bad]],
        [['--key-mode', 'prod', '--private-key', KEY_FILES.missing]],
        [['--key-mode', 'prod', '--private-key', KEY_FILES.aPublic]],
        [['--key-mode', 'staging', '--private-key', KEY_FILES.aPrivate]],
        [['--key-mode', 'prod', '--public-key', KEY_FILES.aPublic, '--private-key', KEY_FILES.aPrivate]],
        [['--key-mode', '', '--private-key', KEY_FILES.aPrivate]],
      ]);
      return { argv: v[0], key: 'bad' };
    }
    const r = rng();
    if (r < 0.6) return { argv: ['--key-mode', pick(['prod', 'prod', 'PROD', ' prod ']), '--private-key', KEY_FILES.aPrivate], key: 'a' };
    if (r < 0.72) return { argv: ['--key-mode', 'prod', '--private-key', KEY_FILES.bPrivate], key: 'b' };
    if (r < 0.84) return { argv: ['--key-mode', 'prod', '--private-key-env', 'A_PRIV'], key: 'a' };
    return { argv: chance(0.5) ? ['--key-mode', 'dev'] : [], key: 'dev' };
  }

  function ttlFlag(bad) {
    if (bad) return pick(BAD_TTLS);
    return chance(0.1) ? pick(EXPIRED_TTLS) : pick(LONG_TTLS);
  }

  function scopeFlag(bad) {
    if (bad) return pick(['', ' , ', ',,']);
    return pick(['tool:tool.write', 'tool:Tool.Write', ' tool:tool.write , phase:apply ', 'tool:tool.delete,destructive:apply,phase:apply', '*', 'tool:tool.write,tool:tool.write', 'tool.write']);
  }

  function outFlag() {
    const r = rng();
    if (r < 0.75) return { argv: ['--out', 'token.json'], file: 'token.json' };
    if (r < 0.87) return { argv: ['--out', 'sub/dir/token.json'], file: 'sub/dir/token.json' };
    return { argv: [], file: undefined };
  }

  /** `gait approve` with generated flags (about a third of the cases carry one bad value). */
  function approveCase() {
    const bad = chance(0.35) ? pick(['intent', 'policy', 'binding', 'ttl', 'scope', 'approver', 'reason', 'max', 'key', 'flag', 'positional']) : undefined;
    const key = signingFlags(bad === 'key' ? 1 : 0);
    const out = outFlag();
    const json = out.file === undefined || chance(0.9);
    const maxBad = bad === 'max' ? pick(['-1', 'x', '1.5', '']) : undefined;
    const argv = [
      'approve',
      ...flagList([
        ['--intent-digest', digestFlag(bad === 'intent')],
        ['--policy-digest', digestFlag(bad === 'policy')],
        ['--delegation-binding-digest', bad === 'binding' ? digestFlag(true) : chance(0.2) ? digestFlag(false) : undefined],
        ['--ttl', ttlFlag(bad === 'ttl')],
        ['--scope', scopeFlag(bad === 'scope')],
        ['--approver', bad === 'approver' ? pick(['', '  ']) : pick(APPROVERS)],
        ['--reason-code', bad === 'reason' ? pick(['', ' ']) : pick(['MANUAL_APPROVAL', 'change_ticket_123', ' cab-42 '])],
        ['--max-targets', maxBad ?? (chance(0.25) ? String(int(0, 5)) : undefined)],
        ['--max-ops', chance(0.2) ? String(int(0, 5)) : undefined],
      ]),
      ...key.argv,
      ...out.argv,
      ...(json ? ['--json'] : []),
      ...(bad === 'flag' ? [pick(['--bogus', '--ttl'])] : []),
      ...(bad === 'positional' ? ['extra'] : []),
    ];
    // Sometimes the verify policy's own digests, so the cross-check can grant approval.
    if (!bad && chance(0.4)) {
      argv[argv.indexOf('--intent-digest') + 1] = VERIFY.intentDigest;
      argv[argv.indexOf('--policy-digest') + 1] = VERIFY.policyDigest;
    }
    return { family: `approve-${bad ?? 'valid'}`, argv: shuffleFlags(argv, 1), key: key.key, out: out.file, json };
  }

  /** `gait delegate mint` then `delegate verify` of that token with generated expectations. */
  function delegateCase() {
    const bad = chance(0.3) ? pick(['delegator', 'delegate', 'ttl', 'scope', 'intent', 'policy', 'key', 'positional']) : undefined;
    const key = signingFlags(bad === 'key' ? 1 : 0);
    const out = outFlag();
    const json = out.file === undefined || chance(0.9);
    const delegator = bad === 'delegator' ? pick(['', ' ']) : pick(IDENTITIES);
    const delegate = bad === 'delegate' ? pick(['', ' ']) : pick(IDENTITIES);
    const intentDigest = bad === 'intent' ? digestFlag(true) : chance(0.3) ? digestFlag(false) : undefined;
    const policyDigest = bad === 'policy' ? digestFlag(true) : chance(0.3) ? digestFlag(false) : undefined;
    const scope = scopeFlag(bad === 'scope');
    const mint = [
      'delegate', 'mint',
      ...flagList([
        ['--delegator', delegator],
        ['--delegate', delegate],
        ['--scope', scope],
        ['--ttl', ttlFlag(bad === 'ttl')],
        ['--scope-class', chance(0.6) ? pick(['write', 'Write', ' read ', 'admin']) : undefined],
        ['--intent-digest', intentDigest],
        ['--policy-digest', policyDigest],
      ]),
      ...key.argv,
      ...out.argv,
      ...(json ? ['--json'] : []),
      ...(bad === 'positional' ? ['extra'] : []),
    ];
    const expect = (v, other) => (chance(0.5) ? undefined : chance(0.7) ? v : other);
    const verifyKey = pick([
      ['--public-key', KEY_FILES.aPublic], ['--public-key', KEY_FILES.aPublic], ['--private-key', KEY_FILES.aPrivate],
      ['--public-key', KEY_FILES.bPublic], ['--public-key-env', 'A_PUB'], [],
      ['--public-key', KEY_FILES.aPublic, '--public-key-env', 'A_PUB'], ['--public-key', KEY_FILES.bad],
    ]);
    const verify = out.file === undefined ? undefined : [
      'delegate', 'verify', '--token', chance(0.05) ? 'nope.json' : out.file,
      ...flagList([
        ['--delegator', expect(delegator.trim(), pick(IDENTITIES))],
        ['--delegate', expect(delegate.trim(), pick(IDENTITIES))],
        ['--scope', chance(0.5) ? undefined : pick(['write', 'tool:tool.write', 'admin,write', 'read'])],
        ['--intent-digest', expect(intentDigest?.trim(), hex(64))],
        ['--policy-digest', expect(policyDigest?.trim(), hex(64))],
      ]),
      ...verifyKey,
      '--json',
    ];
    return { family: `delegate-${bad ?? 'valid'}`, mint: shuffleFlags(mint, 2), verify, key: key.key, out: out.file, json };
  }

  /** Flags after the subcommand words, in a shuffled flag-pair order (Go flag syntax is order-free). */
  function shuffleFlags(argv, head) {
    if (!chance(0.3)) return argv;
    const rest = argv.slice(head);
    const groups = [];
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i];
      const takesValue = a.startsWith('--') && a !== '--json' && i + 1 < rest.length && !(rest[i + 1].startsWith('--') && rest[i + 1] !== '--');
      if (a === 'extra' || a === '--bogus') return argv;
      groups.push(takesValue ? [a, rest[++i]] : [a]);
    }
    return [...argv.slice(0, head), ...shuffle(groups).flat()];
  }

  // -------------------------------------------------------------------------------------------
  // gate eval cases.

  function intentFor(tool, { destructive = chance(0.3), phase, delegation, risk = pick(['high', 'low', 'medium']) } = {}) {
    const op = destructive ? pick(['delete', 'rm', 'drop']) : pick(['write', 'read']);
    const targets = Array.from({ length: int(0, 3) }, (_, i) => ({ kind: 'path', value: `/tmp/f${i}.txt`, operation: i === 0 ? op : pick(['write', 'read']) }));
    const context = { identity: 'alice', workspace: '/repo', risk_class: risk };
    if (phase !== undefined) context.phase = phase;
    const intent = {
      schema_id: 'gait.gate.intent_request', schema_version: '1.0.0', created_at: pick(['2026-01-01T00:00:00Z', '2026-02-03T04:05:06.5+02:00']),
      producer_version: 'oracle', tool_name: tool, args: { path: '/tmp/f0.txt' }, targets, context,
    };
    if (delegation) intent.delegation = delegation;
    if (chance(0.3)) delete intent.created_at;
    return intent;
  }

  /** The scope `gate eval` requires of an approval token for this intent (spec §3.5). */
  function requiredScope(intent) {
    const destructiveOps = ['delete', 'remove', 'rm', 'unlink', 'rmdir', 'drop', 'truncate', 'exec', 'spawn'];
    const scope = [`tool:${intent.tool_name.toLowerCase()}`];
    const phase = (intent.context.phase ?? '').trim().toLowerCase() || 'apply';
    if (phase === 'apply' && intent.targets.some((t) => destructiveOps.includes(t.operation))) scope.push('phase:apply', 'destructive:apply');
    return scope;
  }

  /** One approval token to mint: which key, which digests, scope, ttl; then how to break it. */
  function approvalTokenSpec(intent, approver) {
    const required = requiredScope(intent);
    const r = rng();
    const scope = r < 0.6 ? required : r < 0.7 ? ['*'] : r < 0.8 ? [required[0].toUpperCase()] : r < 0.9 ? ['tool:tool.other'] : [...required, 'extra:item'];
    return {
      key: pick(['a', 'a', 'a', 'a', 'a', 'a', 'b', 'dev']),
      intentDigest: chance(0.85) ? 'right' : 'wrong',
      policyDigest: chance(0.9) ? 'right' : 'wrong',
      binding: intent.delegation ? (chance(0.7) ? 'right' : pick(['none', 'wrong'])) : chance(0.1) ? 'wrong' : 'none',
      scope: scope.join(','),
      ttl: chance(0.85) ? pick(LONG_TTLS) : pick(EXPIRED_TTLS),
      approver: approver ?? pick(APPROVERS),
      reason: pick(['MANUAL_APPROVAL', 'cab-42']),
      maxTargets: chance(0.2) ? int(1, 3) : 0,
      maxOps: chance(0.15) ? int(1, 2) : 0,
      tamper: chance(0.12) ? pick(TAMPERS) : 'none',
    };
  }

  /** Verify-key flags of gate eval for approval tokens: mostly the right key, sometimes a wrong or broken one. */
  function approvalKeyFlags() {
    const r = rng();
    if (r < 0.7) {
      return pick([
        ['--approval-public-key', KEY_FILES.aPublic], ['--approval-public-key', KEY_FILES.aPublic], ['--approval-private-key', KEY_FILES.aPrivate],
        ['--approval-public-key-env', 'A_PUB'], ['--approval-private-key-env', 'A_PRIV'],
      ]);
    }
    if (r < 0.8) return pick([['--approval-public-key', KEY_FILES.bPublic], ['--approval-public-key', KEY_FILES.bPublic, '--approval-private-key', KEY_FILES.aPrivate]]);
    if (r < 0.88) return []; // the trace signing key verifies
    return pick([
      ['--approval-public-key', KEY_FILES.aPublic, '--approval-public-key-env', 'A_PUB'], ['--approval-private-key', KEY_FILES.aPrivate, '--approval-private-key-env', 'A_PRIV'],
      ['--approval-public-key', KEY_FILES.bad], ['--approval-public-key', KEY_FILES.missing], ['--approval-public-key-env', 'BLANK'],
    ]);
  }

  /** Trace flags: a prod trace key (a or b: the approval fallback key) or dev mode. */
  function traceFlags() {
    const r = rng();
    if (r < 0.5) return { argv: ['--key-mode', 'prod', '--private-key', KEY_FILES.aPrivate, '--trace-out', 'trace.json'], trace: true };
    if (r < 0.6) return { argv: ['--key-mode', 'prod', '--private-key', KEY_FILES.bPrivate, '--trace-out', 'trace.json'], trace: false };
    return { argv: chance(0.5) ? ['--trace-out', 'trace.json'] : [], trace: false };
  }

  /** Token paths: primary + chain CSV (sometimes with blanks, duplicates, a missing file). */
  function tokenPathFlags(names, primaryFlag, chainFlag) {
    if (names.length === 0) return [];
    const paths = shuffle(names);
    if (chance(0.04)) paths.push('tokens/missing.json');
    const argv = [];
    let rest = paths;
    if (chance(0.75)) {
      argv.push(primaryFlag, paths[0]);
      rest = paths.slice(1);
    }
    if (rest.length) {
      const items = [...rest];
      if (chance(0.2)) items.push(pick(paths));
      if (chance(0.2)) items.splice(int(0, items.length), 0, ' ');
      argv.push(chainFlag, items.map((p) => (chance(0.15) ? ` ${p} ` : p)).join(','));
    }
    return argv;
  }

  function approvalPolicy(tool) {
    const rules = [];
    const min = pick([0, 0, 1, 1, 2, 3]);
    rules.push({
      name: pick(['needs-approval', 'Approve Writes']),
      effect: 'require_approval',
      ...(min > 0 || chance(0.3) ? { min_approvals: min } : {}),
      ...(chance(0.2) ? { require_distinct_approvers: chance(0.5) } : {}),
      match: { tool_names: [chance(0.85) ? tool.toLowerCase() : 'tool.other'] },
    });
    if (chance(0.3)) rules.push({ name: 'second-approval', effect: 'require_approval', min_approvals: int(1, 2), match: { risk_classes: ['high'] } });
    if (chance(0.15)) rules.push({ name: 'allow-reads', effect: 'allow', match: { tool_names: ['tool.read'] } });
    return { default_verdict: pick(['require_approval', 'block', 'allow']), rules };
  }

  /** gate eval of a require_approval policy with tokens minted by `minter`. */
  function evalApprovalCase() {
    const tool = pick(TOOLS);
    const intent = intentFor(tool, { phase: chance(0.2) ? pick(['plan', 'apply', 'Apply']) : undefined });
    const approvers = shuffle(APPROVERS);
    const tokens = Array.from({ length: pick([0, 1, 1, 2, 2, 3, 4]) }, (_, i) => approvalTokenSpec(intent, chance(0.7) ? approvers[i % approvers.length] : undefined));
    const names = tokens.map((_, i) => `tokens/approval_${i}.json`);
    const trace = traceFlags();
    const audit = chance(0.7);
    const argv = [
      'gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--json',
      ...tokenPathFlags(names, '--approval-token', '--approval-token-chain'),
      ...(chance(0.25) ? ['--approval-token-ref', pick(['ticket-1', ' CAB-9 '])] : []),
      ...approvalKeyFlags(),
      ...(audit ? ['--approval-audit-out', pick(['audit.json', 'out/audit.json'])] : []),
      ...trace.argv,
      ...(chance(0.08) ? ['--simulate'] : []),
    ];
    return {
      family: `eval-approval-${tokens.length}`,
      policy: YAML.stringify(approvalPolicy(tool)),
      intent: JSON.stringify(intent),
      minter: chance(0.5) ? 'ours' : 'gait',
      approvals: tokens.map((t, i) => ({ ...t, file: names[i] })),
      delegations: [],
      argv,
      trace: trace.trace,
      audit: audit ? argv[argv.indexOf('--approval-audit-out') + 1] : undefined,
    };
  }

  function delegationBlock() {
    const depth = pick([0, 1, 1, 2, 3]);
    const people = shuffle(IDENTITIES).slice(0, depth + 1);
    const chain = [];
    for (let i = 0; i < depth; i++) {
      chain.push({ delegator_identity: people[i], delegate_identity: people[i + 1], ...(chance(0.4) ? { scope_class: pick(['write', 'Write', 'read']) } : {}), ...(chance(0.3) ? { token_ref: `ref-${i}` } : {}) });
    }
    const block = { requester_identity: people[depth], scope_class: pick(['write', 'write', 'read', 'Write']) };
    if (chain.length) block.chain = chain;
    if (chance(0.2)) block.token_refs = ['ref-b', 'ref-a'];
    if (chance(0.05) && chain.length) chain[0].delegate_identity = 'someone.else';
    if (chance(0.03)) block.requester_identity = ' ';
    return block;
  }

  /** One delegation token for a link (or a stray one). */
  function delegationTokenSpec(link) {
    const wrongPeople = chance(0.1);
    return {
      delegator: wrongPeople ? pick(IDENTITIES) : link.delegator,
      delegate: link.delegate,
      scope: pick(['tool:tool.write', 'write', 'tool:tool.write,write', '*', 'read']),
      scopeClass: pick(['write', 'write', 'Write', 'read', undefined]),
      intentDigest: pick(['none', 'none', 'right', 'wrong']),
      policyDigest: pick(['none', 'none', 'right', 'wrong']),
      ttl: chance(0.88) ? pick(LONG_TTLS) : pick(EXPIRED_TTLS),
      key: pick(['a', 'a', 'a', 'a', 'b', 'dev']),
      tamper: chance(0.1) ? pick(TAMPERS) : 'none',
    };
  }

  function delegationKeyFlags() {
    const r = rng();
    if (r < 0.7) {
      return pick([
        ['--delegation-public-key', KEY_FILES.aPublic], ['--delegation-public-key', KEY_FILES.aPublic], ['--delegation-public-key-env', 'A_PUB'],
        ['--approval-public-key', KEY_FILES.aPublic], ['--approval-private-key', KEY_FILES.aPrivate],
      ]);
    }
    if (r < 0.8) return pick([['--delegation-public-key', KEY_FILES.bPublic], ['--delegation-public-key', KEY_FILES.bPublic, '--approval-public-key', KEY_FILES.aPublic]]);
    if (r < 0.88) return [];
    return pick([
      ['--delegation-public-key', KEY_FILES.aPublic, '--delegation-public-key-env', 'A_PUB'], ['--delegation-public-key', KEY_FILES.missing],
      ['--delegation-private-key', KEY_FILES.aPrivate], ['--delegation-public-key-env', 'BLANK'],
    ]);
  }

  /** gate eval of a require_delegation policy with delegation tokens (and maybe approvals). */
  function evalDelegationCase() {
    const tool = pick(['tool.write', 'tool.delete']);
    const block = delegationBlock();
    const intent = intentFor(tool, { delegation: chance(0.93) ? block : undefined });
    const links = block.chain?.length ? block.chain.map((l) => ({ delegator: l.delegator_identity, delegate: l.delegate_identity })) : [{ delegator: pick(IDENTITIES), delegate: block.requester_identity }];
    const delegations = [];
    for (const link of links) if (chance(0.85)) delegations.push(delegationTokenSpec(link));
    if (chance(0.2)) delegations.push(delegationTokenSpec({ delegator: pick(IDENTITIES), delegate: pick(IDENTITIES) }));
    const effect = pick(['allow', 'allow', 'allow', 'require_approval', 'require_approval', 'block']);
    const rule = {
      name: 'delegated-writes', effect,
      match: {
        tool_names: [tool], require_delegation: chance(0.9),
        ...(chance(0.5) ? { delegation_scopes: pick([['write'], ['write', 'read'], ['write', 'read'], ['admin']]) } : {}),
        ...(chance(0.15) ? { allowed_delegator_identities: [pick(IDENTITIES)] } : {}),
        ...(chance(0.2) ? { max_delegation_depth: int(0, 3) } : {}),
      },
    };
    const approvals = effect === 'require_approval' && chance(0.7) ? [approvalTokenSpec(intent, 'alice')].map((t, i) => ({ ...t, file: `tokens/approval_${i}.json` })) : [];
    const names = delegations.map((_, i) => `tokens/delegation_${i}.json`);
    const trace = traceFlags();
    const audit = chance(0.7);
    const argv = [
      'gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--json',
      ...tokenPathFlags(names, '--delegation-token', '--delegation-token-chain'),
      ...delegationKeyFlags(),
      ...(audit ? ['--delegation-audit-out', 'daudit.json'] : []),
      ...(approvals.length ? ['--approval-token', approvals[0].file, '--approval-public-key', KEY_FILES.aPublic, '--approval-audit-out', 'audit.json'] : []),
      ...trace.argv,
    ];
    return {
      family: `eval-delegation-${links.length}-${effect}`,
      policy: YAML.stringify({ default_verdict: pick(['block', 'allow', 'allow']), rules: [rule] }),
      intent: JSON.stringify(intent),
      minter: chance(0.5) ? 'ours' : 'gait',
      approvals,
      delegations: delegations.map((t, i) => ({ ...t, file: names[i] })),
      argv,
      trace: trace.trace,
      audit: approvals.length ? 'audit.json' : undefined,
      daudit: audit ? 'daudit.json' : undefined,
    };
  }

  /** gate eval --profile oss-prod with and without its required flags, keys and broker. */
  function ossProdCase() {
    const tool = pick(['tool.write', 'tool.delete']);
    const rules = [];
    const kind = pick(['approval', 'broker', 'high-risk-no-broker', 'block', 'delegation']);
    if (kind === 'approval') rules.push({ name: 'needs-approval', effect: 'require_approval', ...(chance(0.4) ? { min_approvals: int(1, 2) } : {}), match: { tool_names: [tool] } });
    if (kind === 'broker') rules.push({ name: 'brokered', effect: pick(['allow', 'require_approval']), require_broker_credential: true, broker_reference: 'egress', broker_scopes: ['export'], match: { tool_names: [tool], risk_classes: ['high'] } });
    if (kind === 'high-risk-no-broker') rules.push({ name: 'risky', effect: pick(['allow', 'require_approval']), match: { tool_names: [tool], risk_classes: ['high', 'critical'] } });
    if (kind === 'block') rules.push({ name: 'no', effect: 'block', match: { tool_names: [tool] } });
    const block = delegationBlock();
    if (kind === 'delegation') rules.push({ name: 'delegated', effect: pick(['allow', 'require_approval']), match: { tool_names: [tool], require_delegation: true } });
    const intent = intentFor(tool, { risk: 'high', delegation: kind === 'delegation' ? block : undefined });
    intent.delegation && delete intent.delegation.token_refs;
    const approvals = (kind === 'approval' || kind === 'broker' || kind === 'delegation') && chance(0.6) ? [approvalTokenSpec(intent, 'alice')] : [];
    const delegations = kind === 'delegation' && chance(0.7) ? (block.chain?.length ? block.chain.map((l) => delegationTokenSpec({ delegator: l.delegator_identity, delegate: l.delegate_identity })) : [delegationTokenSpec({ delegator: 'agent.lead', delegate: block.requester_identity })]) : [];
    const files = { approvals: approvals.map((t, i) => ({ ...t, file: `tokens/approval_${i}.json` })), delegations: delegations.map((t, i) => ({ ...t, file: `tokens/delegation_${i}.json` })) };
    const drop = (p) => !chance(p);
    const argv = [
      'gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--json',
      '--profile', pick(['oss-prod', 'oss-prod', 'OSS-Prod', ' oss-prod ']),
      ...(drop(0.07) ? ['--key-mode', chance(0.95) ? 'prod' : 'dev'] : []),
      ...(drop(0.07) ? (chance(0.85) ? ['--private-key', KEY_FILES.aPrivate] : ['--private-key-env', 'A_PRIV']) : []),
      ...(drop(0.2) ? ['--trace-out', 'trace.json'] : []),
      ...(kind === 'broker' || kind === 'high-risk-no-broker' ? (drop(0.3) ? ['--credential-broker', pick(['stub', 'stub', 'off', 'env'])] : []) : chance(0.1) ? ['--credential-broker', 'stub'] : []),
      ...(drop(0.3) ? approvalKeyFlags() : []),
      ...(kind === 'delegation' && drop(0.3) ? delegationKeyFlags() : []),
      ...(files.approvals.length ? ['--approval-token', files.approvals[0].file, '--approval-audit-out', 'audit.json'] : []),
      ...tokenPathFlags(files.delegations.map((d) => d.file), '--delegation-token', '--delegation-token-chain'),
      ...(kind === 'delegation' ? ['--delegation-audit-out', 'daudit.json'] : []),
      ...(chance(0.08) ? ['--simulate'] : []),
    ];
    return {
      family: `oss-prod-${kind}`,
      policy: YAML.stringify({ default_verdict: pick(['block', 'require_approval', 'block', 'allow']), rules }),
      intent: JSON.stringify(intent),
      minter: chance(0.5) ? 'ours' : 'gait',
      ...files,
      argv,
      trace: argv.includes('--trace-out') && argv.includes(KEY_FILES.aPrivate),
      audit: files.approvals.length ? 'audit.json' : undefined,
      daudit: kind === 'delegation' ? 'daudit.json' : undefined,
    };
  }

  return { approveCase, delegateCase, evalApprovalCase, evalDelegationCase, ossProdCase, rng };
}

/** The fixed (policy, intent) pair used to cross-check minted approval tokens, and its digests. */
export const VERIFY = {
  policy: 'default_verdict: require_approval\n',
  intent: JSON.stringify({
    schema_id: 'gait.gate.intent_request', schema_version: '1.0.0', created_at: '2026-01-01T00:00:00Z', producer_version: 'x',
    tool_name: 'tool.write', args: {}, targets: [{ kind: 'path', value: '/tmp/x', operation: 'write' }],
    context: { identity: 'u', workspace: '/w', risk_class: 'high' },
  }),
  intentDigest: '63b55f6360e6c4fa80dfa82325a7485c1892165814a676d9b715440b6a76d223',
  policyDigest: '07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9',
};
