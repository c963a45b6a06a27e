#!/usr/bin/env node
// Pins Gait's `policy fmt` output as test/fixtures/gait/fmt-scalars.json, so that
// test/policy/fmt-gait.test.ts checks byte identity without the binary:
//   - `scalars`: a corpus of awkward strings, each written as a rule's `match.tool_name`; for each,
//     Gait's spelling of it (the text after `tool_name: `, literal block lines included) and whether
//     Gait reads its own output back to the same output (`gaitFixedPoint`);
//   - `documents`: Gait's whole output for every policy under test/fixtures/gait that it accepts,
//     and for a few policies with awkward strings in every string position.
//
//   GAIT_ORACLE=/work/shared/oracle/gait node scripts/pin-gait-fmt.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ORACLE = process.env.GAIT_ORACLE;
if (!ORACLE) {
  console.error('pin-gait-fmt: set GAIT_ORACLE to a Gait v1.3.6 binary');
  process.exit(2);
}
const FIXTURES = fileURLToPath(new URL('../test/fixtures/gait/', import.meta.url));
const OUT = join(FIXTURES, 'fmt-scalars.json');
const dir = mkdtempSync(join(tmpdir(), 'pin-gait-fmt-'));

const CORPUS = [
  // empty, spaces, indicators first / last / after a space
  '', ' ', 'a', ' a', 'a ', 'a b', 'a b ', 'a: b', 'a:', 'a: ', 'a:b', 'a :b', 'a #b', 'a#b', '#a', '#', '- a', '-a', '-', '- ',
  '--', '---', '...', '? a', '?a', '?', 'a?', ': a', ':a', ':', '*a', '&a', '!a', '|a', '>a', '%a', '@a', '`a', "'a", '"a',
  "a'b", 'a"b', "a'", 'a"', '"', "'", '[a', ']a', '{a', '}a', ',a', 'a,b', 'a[b', 'a]', 'a{b}', '[]', '{}', '!', '&', '*', '|',
  '%', '@', '`', '<<', '=', '$a', '(a)', 'a|b', 'a>b', 'a!b', 'a&b', 'a*b', 'a%b', 'a@b', 'a`b', 'a - b', 'a * b', 'a -b', '+',
  'a\\b', '\\', '\\n', 'key:', 'a~', '~',
  // URLs and globs
  'http://x.com/p?q=1', 'https://api.example.com:8443/v1/*', 'a?b', '/tmp/*', '/tmp/gait/**', '*.ex.com', 'api.*.ex', 'a[0-9]',
  // reserved words
  'true', 'True', 'TRUE', 'tRue', 'false', 'False', 'FALSE', 'yes', 'Yes', 'YES', 'yEs', 'no', 'No', 'NO', 'on', 'On', 'ON',
  'off', 'Off', 'OFF', 'y', 'Y', 'n', 'N', 'null', 'Null', 'NULL', 'nULL',
  // numbers
  '0', '1', '-1', '+1', '++1', '+-1', '-+1', '--1', '-0', '007', '09', '0x1F', '0X1F', '0o17', '0O17', '0b101', '0o8', '0b2',
  '0b1_0', '-0x1F', '-0b1', '-0o7', '+0x1F', '0_x1F', '0x_1F', '0x', '0xG', '0b', '0o', '1e3', '1E3', '1e+3', '1e', 'e3',
  '12e', '1.5', '.5', '5.', '0.', '1_000', '1_0.5', '1__0', '_1', '1_', '0.5_', '_0.5', '1,000', '08.5', '-.5', '+.5',
  '++1.5', '+-1.5', '-+1.5', '--1.5', '-.5e3', '1.5e3', '1.e3', '1.5E+3', '1.0e999', '-1.5e999', '0x1.8p3', '0X1.8p3',
  '0X1.8P3', '0X1p3', '0X.8p1', '99999999999999999999', '-99999999999999999999', '1.0.0', '1.2.3', '1.5.', '.', '..', 'a.',
  'inf', '.inf', '.Inf', '.INF', '-.inf', '-.Inf', '-.INF', '+.inf', '+.Inf', 'nan', '.nan', '.NaN', '.NAN', '.Nan',
  'Infinity', 'NaN',
  // times
  '1:30', '1:3', '1:60', '9:5', '00:00', '12:30', '23:59', '24:00', '123:4', '1:30:', '12:30:00', '2026-01-01', '2026-1-1',
  '2026-02-29', '2024-02-29', '2026-02-30', '2026-13-01', '0000-01-01', '2026-01-01T00:00:00Z', '2026-01-01t00:00:00Z',
  '2026-01-01T00:00:00z', '2026-01-01T1:00:00Z', '2026-01-01T00:00:00+01:00', '2026-01-01T00:00:00-00:00',
  '2026-01-01T00:00:00+24:00', '2026-01-01T00:00:00+25:00', '2026-01-01T00:00:00+01:61', '2026-01-01T00:00:00.123Z',
  '2026-01-01T00:00:00,123Z', '2026-01-01 00:00:00', '2026-01-01 00:00:00.5', '2026-01-01  00:00:00', '2026-01-01 0:00:00',
  '2026-01-0100:00:00',
  // tabs, line breaks, control and non-ASCII characters
  'a\tb', '\ta', 'a\t', 'a:\t', 'a#\tb', 'a\nb', 'a\n', '\na', 'a\n\n', 'a\n\n\n', '\n\na', 'a\n\nb', '\n', '\n\n', 'a\n b',
  '\n a', 'a\n  b', 'a \nb', '  a\nb', 'a\n#b', 'a\n- b', 'a: b\nc', '#x\ny', 'a\nb: c', 'a\nb\n\n\n', 'a\tb\nc', '\ta\nb',
  'a\rb', 'a\r\nb', 'a\r\nb\r\n', 'a\nb\rc', 'a\n\u2028b', 'a\n\u0085b', 'a\n\u0001b', 'a\n\u00a0', '\u00e9\n\u{1f600}',
  'a\u0000b', 'a\u0001b', 'a\u001bb', 'a\u007fb', 'a\u0085b', 'a\u00a0b', 'a\u2028b', 'a\u2029b', 'a\u000bb', 'a\u000cb',
  'a\u0007', 'a\u001f', 'a\u0000', '\ufeffa', '\ufeff', 'a\u00a0', '\u00a0a', 'a\u2028', '\u2029', 'é', 'café', 'Ünïcödé',
  '\u{1f600}', '\u{1f600} a', 'emoji \u{1f680} rule', '中文', 'a\u0300', 'aé#', 'é#', '\u{1f600}#', '\u00a0#', '\u0085#',
  '\u2028#', '\u200b#', '\u00ad#', 'a\u0000#', '\u007f#', '\u0001#', '\ufeff#', '\u0300#', '\ue000#', '\u4e2d#',
  'Ünïcode rule <&> "q"',
  // long
  'x'.repeat(100), 'x'.repeat(300), 'word '.repeat(30).trim(), ('a: b ' + 'y'.repeat(120)),
];

// Awkward strings in every string position fmt prints (normalization may trim, lowercase or sort).
const EVERYWHERE = ['http://h.example/p?q=1', '\u{1f600} é', 'a:b', 'a?b', 'a\nb'];
const everywhere = (s) => `default_verdict: block
mcp_trust:
  enabled: false
  snapshot: ${JSON.stringify(s)}
  max_age: 1h
  publisher_allowlist: [${JSON.stringify(s)}]
rules:
  - name: ${JSON.stringify(s)}
    effect: allow
    match:
      tool_name: ${JSON.stringify(s)}
      tool_names: [${JSON.stringify(s)}]
      risk_classes: [high]
      target_kinds: [${JSON.stringify(s)}]
      target_values: [${JSON.stringify(s)}]
      skill_publishers: [${JSON.stringify(s)}]
      skill_sources: [${JSON.stringify(s)}]
      data_classes: [${JSON.stringify(s)}]
      destination_kinds: [${JSON.stringify(s)}]
      destination_values: [${JSON.stringify(s)}]
      destination_operations: [${JSON.stringify(s)}]
      provenance_sources: [${JSON.stringify(s)}]
      identities: [${JSON.stringify(s)}]
      workspace_prefixes: [${JSON.stringify(s)}]
      context_tool_names: [${JSON.stringify(s)}]
      context_data_classes: [${JSON.stringify(s)}]
      allowed_delegator_identities: [${JSON.stringify(s)}]
      allowed_delegate_identities: [${JSON.stringify(s)}]
      delegation_scopes: [${JSON.stringify(s)}]
    endpoint:
      enabled: true
      path_allowlist: [${JSON.stringify(s)}]
      path_denylist: [${JSON.stringify(s)}]
      domain_allowlist: [${JSON.stringify(s)}]
      domain_denylist: [${JSON.stringify(s)}]
      reason_code: ${JSON.stringify(s)}
      violation: ${JSON.stringify(s)}
    reason_codes: [${JSON.stringify(s)}]
    violations: [${JSON.stringify(s)}]
    broker_scopes: [${JSON.stringify(s)}]
    rate_limit: {requests: 3, window: minute, scope: identity}
    dataflow:
      enabled: true
      tainted_sources: [${JSON.stringify(s)}]
      destination_values: [${JSON.stringify(s)}]
      reason_code: ${JSON.stringify(s)}
      violation: ${JSON.stringify(s)}
`;

function fmt(text) {
  const file = join(dir, 'policy.yaml');
  writeFileSync(file, text);
  return spawnSync(ORACLE, ['policy', 'fmt', file], { encoding: 'utf8' });
}

function fixedPoint(out) {
  const again = fmt(out);
  return again.status === 0 && again.stdout === out;
}

const scalars = CORPUS.map((value) => {
  const policy = `default_verdict: block\nrules:\n  - name: r\n    effect: allow\n    match:\n      tool_name: ${JSON.stringify(value)}\n`;
  const g = fmt(policy);
  if (g.status !== 0) throw new Error(`Gait refused ${JSON.stringify(value)}: ${g.stdout}${g.stderr}`);
  const spelled = /\n {4}tool_name: ([^]*?)\n {4}tool_names:/.exec(g.stdout)[1];
  return { value, tool_name: spelled, gaitFixedPoint: fixedPoint(g.stdout) };
});

const documents = [];
const walk = (d) => {
  for (const name of readdirSync(d).sort()) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.ya?ml$/.test(name)) {
      const g = fmt(readFileSync(p, 'utf8'));
      if (g.status === 0) documents.push({ file: relative(FIXTURES, p), gait: g.stdout, gaitFixedPoint: fixedPoint(g.stdout) });
    }
  }
};
walk(FIXTURES);
for (const s of EVERYWHERE) {
  const policy = everywhere(s);
  const g = fmt(policy);
  if (g.status !== 0) throw new Error(`Gait refused the everywhere policy for ${JSON.stringify(s)}: ${g.stdout}${g.stderr}`);
  documents.push({ policy, gait: g.stdout, gaitFixedPoint: fixedPoint(g.stdout) });
}

const version = spawnSync(ORACLE, ['version'], { encoding: 'utf8' }).stdout.trim();
writeFileSync(OUT, JSON.stringify({ oracle: version || 'gait', scalars, documents }, null, 1) + '\n');
console.log(`pinned ${scalars.length} scalars and ${documents.length} documents in ${relative(process.cwd(), OUT)}`);
