// `gate eval` with project defaults (.gait/config.yaml, --config, --no-config): signed_artifacts.md
// §1.7, cli.md §2.2, §2.3 step 3, §2.11. Every case runs here; with a Gait v1.3.6 binary at
// GAIT_ORACLE (or ../shared/oracle/gait next to the repo) each case also runs there, in its own
// directory with the same files, and must give the same exit code, the same JSON (random fields
// aside) and the same files written.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gait, FIXTURES, REPO } from './run.js';
// @ts-expect-error plain JavaScript test helpers
import { generateConfigCase, comparableConfigError } from '../oracle/gen-config.mjs';
// @ts-expect-error plain JavaScript test helpers
import { mulberry32 } from '../../conformance/generator.mjs';

const ORACLE = process.env['GAIT_ORACLE'] ?? [path.join(REPO, '../shared/oracle/gait')].find((p) => existsSync(p));
const KEYS = path.join(FIXTURES, 'scenarios/keys');
const INTENT = FIXTURES + 'policy-test/intent.json'; // tool.write, risk high
const RANDOM = new Set(['correlation_id', 'event_id', 'observed_at', 'latency_ms']);

const ALLOW_WRITE = 'default_verdict: block\nrules:\n  - name: allow-write\n    effect: allow\n    match:\n      tool_names: [tool.write]\n';
const BLOCK_ALL = 'default_verdict: block\n';
const BROKERED = 'default_verdict: block\nrules:\n  - name: brokered\n    effect: allow\n    require_broker_credential: true\n    broker_reference: egress\n    match:\n      tool_names: [tool.write]\n';
const APPROVAL = 'default_verdict: block\nrules:\n  - name: approve-write\n    effect: require_approval\n    require_broker_credential: true\n    match:\n      tool_names: [tool.write]\n';
const INVENTORY = '{"items":[{"tool_name":"tool.write","data_class":"pii","endpoint_class":"fs.write","autonomy_level":"high"}]}';
const COMMON = { 'p.yaml': ALLOW_WRITE, 'block.yaml': BLOCK_ALL, 'i.json': undefined };

type Files = Record<string, string | undefined>; // undefined: the intent fixture

interface Outcome { exit: number; json: Record<string, unknown>; files: string[] }

const INTENT_TEXT = readFileSync(INTENT, 'utf8');

/** A fresh directory with the files (a name ending in `/` is a directory). */
function setUp(files: Files): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gait-project-config-'));
  mkdirSync(path.join(dir, '.gait-out'));
  for (const [name, text] of Object.entries({ ...COMMON, ...files })) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    if (name.endsWith('/')) mkdirSync(path.join(dir, name));
    else writeFileSync(path.join(dir, name), text ?? INTENT_TEXT);
  }
  return dir;
}

/** Every file under dir, relative, sorted. */
function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix)).flatMap((name) => {
    const rel = path.join(prefix, name);
    return statSync(path.join(dir, rel)).isDirectory() ? listFiles(dir, rel) : [rel];
  }).sort();
}

function comparable(json: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(json).filter(([k]) => !RANDOM.has(k)));
}

async function ours(files: Files, args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  const dir = setUp(files);
  const run = await gait(['gate', 'eval', ...args], { cwd: dir, env });
  return { exit: run.exit, json: run.json, files: listFiles(dir) };
}

function reference(files: Files, args: string[], env: Record<string, string> = {}): Outcome {
  const dir = setUp(files);
  const r = spawnSync(ORACLE!, ['gate', 'eval', ...args], { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 });
  return { exit: r.status ?? -1, json: JSON.parse(r.stdout.trim().split('\n')[0] || '{}'), files: listFiles(dir) };
}

interface Case {
  name: string;
  files: Files;
  args: string[];
  env?: Record<string, string>;
  expect: (o: Outcome) => void;
  /** Why Gait differs, when it deliberately does. */
  differs?: string;
}

const KEY = path.join(KEYS, 'approval_private.key');
const EVAL = ['--intent', 'i.json', '--json'];
const before = ['.gait-out', 'block.yaml', 'i.json', 'p.yaml'];
const wroteNothing = (o: Outcome, extra: string[] = []) =>
  expect(o.files).toEqual(listOf([...before.filter((f) => f !== '.gait-out'), ...extra]));
const listOf = (names: string[]) => names.sort();
const error = (o: Outcome) => o.json['error'];

const CASES: Case[] = [
  {
    name: 'defaults fill the flags left empty',
    files: { '.gait/config.yaml': 'gate:\n  policy: p.yaml\n  trace_path: out/t.json\n' },
    args: EVAL,
    expect: (o) => {
      expect(o.exit).toBe(0);
      expect(o.json).toMatchObject({ ok: true, verdict: 'allow', matched_rule: 'allow-write', trace_path: 'out/t.json' });
      expect(o.files).toContain('out/t.json');
    },
  },
  {
    name: 'the trace path is printed as given (trimmed), and written cleaned',
    files: { '.gait/config.yaml': 'gate: {policy: p.yaml, trace_path: " ./out//t.json "}\n' },
    args: EVAL,
    expect: (o) => {
      expect(o.json).toMatchObject({ verdict: 'allow', trace_path: './out//t.json' });
      expect(o.files).toContain('out/t.json');
    },
  },
  {
    name: 'flags win over the config',
    files: { '.gait/config.yaml': 'gate: {policy: p.yaml, trace_path: out/t.json}\n' },
    args: [...EVAL, '--policy', 'block.yaml', '--trace-out', 'mine.json'],
    expect: (o) => {
      expect(o.exit).toBe(3);
      expect(o.json).toMatchObject({ verdict: 'block', trace_path: 'mine.json' });
      expect(o.files).not.toContain('out/t.json');
    },
  },
  {
    name: 'a blank flag is empty: the config fills it',
    files: { '.gait/config.yaml': 'gate: {policy: p.yaml, profile: oss-prod}\n' },
    args: [...EVAL, '--profile', ' ', '--trace-out', 't.json'],
    expect: (o) => {
      expect(o.exit).toBe(6);
      expect(error(o)).toBe('oss-prod profile requires --key-mode prod');
    },
  },
  {
    name: '--no-config skips the file',
    files: { '.gait/config.yaml': 'gate: {policy: p.yaml}\n' },
    args: [...EVAL, '--no-config'],
    expect: (o) => {
      expect(o.exit).toBe(6);
      expect(error(o)).toBe('both --policy and --intent are required');
    },
  },
  {
    name: 'a blank --policy without a config value is missing',
    files: {},
    args: [...EVAL, '--policy', ' '],
    expect: (o) => expect(error(o)).toBe('both --policy and --intent are required'),
  },
  {
    name: 'with --no-config a blank --policy stays a path to read',
    files: {},
    args: [...EVAL, '--no-config', '--policy', ' '],
    expect: (o) => expect(error(o)).toBe('read policy: open  : no such file or directory'),
  },
  {
    name: '--no-config=false reads it',
    files: { '.gait/config.yaml': 'gate: {policy: p.yaml}\n' },
    args: [...EVAL, '--no-config=false', '--trace-out', 't.json'],
    expect: (o) => expect(o.exit).toBe(0),
  },
  {
    name: 'a missing file at the default path is fine',
    files: {},
    args: [...EVAL, '--policy', 'p.yaml', '--trace-out', 't.json'],
    expect: (o) => expect(o.exit).toBe(0),
  },
  {
    name: 'the default path spelled otherwise is still the default',
    files: {},
    args: [...EVAL, '--config', ' ./.gait//config.yaml ', '--policy', 'p.yaml', '--trace-out', 't.json'],
    expect: (o) => expect(o.exit).toBe(0),
  },
  {
    name: 'a missing file at an explicit path is an error',
    files: {},
    args: [...EVAL, '--config', 'missing.yaml', '--policy', 'p.yaml'],
    expect: (o) => {
      expect(o.exit).toBe(6);
      expect(error(o)).toBe('read project config: open missing.yaml: no such file or directory');
      wroteNothing(o);
    },
  },
  {
    name: 'an empty --config is an error',
    files: {},
    args: [...EVAL, '--config', ' ', '--policy', 'p.yaml'],
    expect: (o) => {
      expect(o.exit).toBe(6);
      expect(error(o)).toBe('project config path is required');
    },
  },
  {
    name: 'a directory is an error',
    files: { '.gait/config.yaml/': '' },
    args: [...EVAL, '--policy', 'p.yaml'],
    expect: (o) => {
      expect(o.exit).toBe(6);
      expect(error(o)).toBe('read project config: read .gait/config.yaml: is a directory');
    },
  },
  {
    name: 'malformed YAML: exit 6, nothing written',
    files: { '.gait/config.yaml': 'gate: {policy: p.yaml, trace_path: [t.json\n' },
    args: [...EVAL, '--policy', 'p.yaml'],
    expect: (o) => {
      expect(o.exit).toBe(6);
      expect(error(o)).toMatch(/^parse project config: \[1:36\] /);
      expect(o.json).toMatchObject({ error_code: 'invalid_input', error_category: 'invalid_input' });
      wroteNothing(o, ['.gait/config.yaml']);
    },
  },
  {
    name: 'a wrong type in another section fails gate eval too',
    files: { '.gait/config.yaml': 'gate: {policy: p.yaml}\nmcp_serve: {enabled: maybe}\n' },
    args: EVAL,
    expect: (o) => {
      expect(o.exit).toBe(6);
      expect(error(o)).toMatch(/^parse project config: \[2:22\] /);
      wroteNothing(o, ['.gait/config.yaml']);
    },
  },
  {
    name: 'unknown keys are ignored; kill_switch_state is not a v1.3.6 key',
    files: { '.gait/config.yaml': 'gate: {policy: p.yaml, kill_switch_state: nope.json, extra: [1]}\nother: 1\n' },
    args: [...EVAL, '--trace-out', 't.json'],
    expect: (o) => expect(o.exit).toBe(0),
  },
  {
    name: 'a whitespace-only file is an empty config',
    files: { '.gait/config.yaml': '\n  \n' },
    args: EVAL,
    expect: (o) => expect(error(o)).toBe('both --policy and --intent are required'),
  },
  {
    name: 'a null document is an error',
    files: { '.gait/config.yaml': 'null\n' },
    args: [...EVAL, '--policy', 'p.yaml'],
    expect: (o) => expect(error(o)).toMatch(/^parse project config: \[1:1\] /),
  },
  {
    name: 'positional arguments are refused before the config is read',
    files: { '.gait/config.yaml': 'gate: [\n' },
    args: [...EVAL, 'extra'],
    expect: (o) => expect(error(o)).toBe('unexpected positional arguments'),
  },
  {
    name: 'relative paths in the config are relative to the working directory',
    files: { 'sub/cfg.yaml': 'gate: {policy: p.yaml}\n' },
    args: [...EVAL, '--config', 'sub/cfg.yaml', '--trace-out', 't.json'],
    expect: (o) => expect(o.json).toMatchObject({ verdict: 'allow' }),
  },
  {
    name: 'cli.md §2.11: oss-prod, prod key, stub broker from the config',
    files: {
      'brokered.yaml': BROKERED,
      '.gait/config.yaml': `gate:\n  policy: brokered.yaml\n  profile: oss-prod\n  key_mode: prod\n  private_key: ${KEY}\n  credential_broker: stub\n`,
    },
    args: [...EVAL, '--trace-out', 't.json'],
    expect: (o) => {
      expect(o.exit).toBe(0);
      expect(o.json).toMatchObject({ profile: 'oss-prod', verdict: 'allow', credential_issuer: 'stub' });
      expect(o.json['warnings']).toBeUndefined(); // prod key: no dev warning
    },
  },
  {
    name: 'cli.md §2.11 with --no-config: policy missing',
    files: { 'brokered.yaml': BROKERED, '.gait/config.yaml': `gate: {policy: brokered.yaml, profile: oss-prod, key_mode: prod, private_key: ${KEY}, credential_broker: stub}\n` },
    args: [...EVAL, '--no-config'],
    expect: (o) => expect(error(o)).toBe('both --policy and --intent are required'),
  },
  {
    name: 'cli.md §2.11 with --config missing.yaml',
    files: { 'brokered.yaml': BROKERED, '.gait/config.yaml': `gate: {policy: brokered.yaml, profile: oss-prod, key_mode: prod, private_key: ${KEY}, credential_broker: stub}\n` },
    args: [...EVAL, '--config', 'missing.yaml'],
    expect: (o) => expect(o.exit).toBe(6),
  },
  {
    name: 'a configured private key with --key-mode dev from the flag',
    files: { '.gait/config.yaml': `gate: {policy: p.yaml, private_key: ${KEY}}\n` },
    args: [...EVAL, '--trace-out', 't.json'],
    expect: (o) => expect(error(o)).toBe('dev mode does not accept explicit key sources'),
  },
  {
    name: 'config and flag fill different key sources: both set',
    files: { '.gait/config.yaml': `gate: {policy: p.yaml, key_mode: prod, private_key: ${KEY}}\n` },
    args: [...EVAL, '--private-key-env', 'SOME_KEY', '--trace-out', 't.json'],
    expect: (o) => expect(error(o)).toBe('private key source: set either path or env'),
  },
  {
    name: 'a configured approval key is the explicit oss-prod verify key',
    files: {
      'approval.yaml': APPROVAL,
      '.gait/config.yaml': `gate: {policy: approval.yaml, profile: oss-prod, key_mode: prod, private_key: ${KEY}, credential_broker: stub, approval_private_key: ${KEY}}\n`,
    },
    args: [...EVAL, '--trace-out', 't.json'],
    expect: (o) => {
      expect(o.exit).toBe(4);
      expect(o.json).toMatchObject({ verdict: 'require_approval' });
    },
  },
  {
    name: 'the configured env broker prefix',
    files: { 'brokered.yaml': BROKERED, '.gait/config.yaml': 'gate: {policy: brokered.yaml, credential_broker: env, credential_env_prefix: MYP_}\n' },
    args: [...EVAL, '--trace-out', 't.json'],
    env: { MYP_EGRESS: 'from-config-prefix' },
    expect: (o) => expect(o.json).toMatchObject({ verdict: 'allow', credential_issuer: 'env' }),
  },
  {
    name: 'configured evidence path, reference and scopes',
    files: { 'brokered.yaml': BROKERED, '.gait/config.yaml': 'gate: {policy: brokered.yaml, credential_broker: stub, credential_ref: cfgref, credential_scopes: "a,b", credential_evidence_path: ev/e.json}\n' },
    args: [...EVAL, '--trace-out', 't.json'],
    expect: (o) => {
      expect(o.json).toMatchObject({ credential_evidence_path: 'ev/e.json' });
      expect(o.files).toContain('ev/e.json');
    },
  },
  {
    name: 'the configured rate-limit state file',
    files: {
      'limited.yaml': 'default_verdict: block\nrules:\n  - name: limited\n    effect: allow\n    rate_limit: {requests: 5, window: hour, scope: tool}\n    match:\n      tool_names: [tool.write]\n',
      'st/keep': '',
      '.gait/config.yaml': 'gate: {policy: limited.yaml, rate_limit_state: st/rl.json}\n',
    },
    args: [...EVAL, '--trace-out', 't.json'],
    expect: (o) => {
      expect(o.json).toMatchObject({ verdict: 'allow', rate_limit_used: 1 });
      expect(o.files).toContain('st/rl.json');
    },
  },
  {
    name: 'the configured Wrkr inventory',
    files: { 'inv.json': INVENTORY, '.gait/config.yaml': 'gate: {policy: p.yaml, wrkr_inventory_path: inv.json}\n' },
    args: [...EVAL, '--trace-out', 't.json'],
    expect: (o) => expect(o.json).toMatchObject({ verdict: 'allow', context_source: 'inv.json' }),
  },
  {
    name: 'a configured Wrkr inventory that is missing, at high risk: fail-closed',
    files: { '.gait/config.yaml': 'gate: {policy: p.yaml, wrkr_inventory_path: missing.json}\n' },
    args: [...EVAL, '--trace-out', 't.json'],
    expect: (o) => {
      expect(o.exit).toBe(3);
      expect(error(o)).toMatch(/^wrkr inventory unavailable in fail-closed mode: /);
    },
  },
];

describe('gate eval project config', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    c.expect(await ours(c.files, c.args, c.env));
  });

  it('a FIFO or a device is refused (Gait would block on a FIFO and reads /dev/null as empty)', async () => {
    const o = await ours({}, [...EVAL, '--config', '/dev/null', '--policy', 'p.yaml']);
    expect(o.exit).toBe(6);
    expect(error(o)).toBe('read project config: read /dev/null: not a regular file');
  });

  it('the config generator is deterministic per seed and makes valid and broken files', () => {
    const files = { policy: 'policy.yaml', intent: 'i.json', privateKey: KEY };
    expect(generateConfigCase(mulberry32(7), files)).toEqual(generateConfigCase(mulberry32(7), files));
    const kinds = new Set(Array.from({ length: 300 }, (_, i) => generateConfigCase(mulberry32(i), files).kind.split('/')[0]));
    for (const k of ['valid', 'syntax', 'type', 'null', 'multi-doc']) expect(kinds).toContain(k);
  });

  it('--help lists the flags', async () => {
    const run = await gait(['gate', 'eval', '--help']);
    expect(run.stdout).toContain('[--config .gait/config.yaml] [--no-config]');
  });
});

describe.skipIf(!ORACLE)('gate eval project config against the Gait oracle', () => {
  it.each(CASES.filter((c) => !c.differs).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const ref = reference(c.files, c.args, c.env);
    const cand = await ours(c.files, c.args, c.env);
    expect(view(cand)).toEqual(view(ref));
  });

  it('generated configs (test/oracle/gen-config.mjs) give the same results', async () => {
    const seed = Number(process.env['GAIT_CONFIG_SEED'] ?? 20261203);
    for (let i = 0; i < 40; i++) {
      const c = generateConfigCase(mulberry32(seed + i), { policy: 'policy.yaml', intent: 'i.json', privateKey: KEY });
      const files = { 'policy.yaml': BROKERED, ...c.files };
      const label = `seed ${seed + i} ${c.kind}: ${JSON.stringify(c.files)} ${JSON.stringify(c.args)}`;
      expect(view(await ours(files, c.args)), label).toEqual(view(reference(files, c.args)));
    }
  });
});

function view(o: Outcome) {
  const json = comparable(o.json);
  // Gait's YAML errors quote the source after the message; the position must agree (decision 9).
  json['error'] = comparableConfigError(json['error']);
  if (json['error'] === undefined) delete json['error'];
  // Stub and env credential references carry a random or keyed part.
  if (typeof json['credential_ref'] === 'string') json['credential_ref'] = json['credential_ref'].split(':')[0];
  return { exit: o.exit, json, files: o.files };
}
