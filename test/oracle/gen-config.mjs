// Generated project configs for the differential runner: a plausible `.gait/config.yaml` (valid
// or broken) and the `gate eval` argv to run with it, so that both CLIs see the same defaults.
//
//   import { generateConfigCase, comparableConfigError } from './gen-config.mjs';
//   const c = generateConfigCase(rng, { policy: 'policy.yaml', intent: 'intent.json', privateKey: KEY });
//   for (const [name, text] of Object.entries(c.files)) write(join(dir, name), text); // may be {}
//   run(['gate', 'eval', ...c.args]);
//
// `rng` returns floats in [0, 1) (mulberry32 of conformance/generator.mjs). Every case names a
// trace path (flag or config) so no run writes a trace_<id>.json of a random name, uses only the
// stub broker (no environment needed) and keeps rate-limit state in the working directory
// (Gait's first-run lock bug only hits a missing directory). Error texts of
// `parse project config: [line:col] …` differ in wording (spec decision 9): compare them
// through comparableConfigError.

/** `parse project config: [l:c] <anything>` -> `parse project config: [l:c]`; other texts unchanged. */
export function comparableConfigError(message) {
  return typeof message === 'string' ? message.replace(/^(parse project config: \[\d+:\d+\]) [^]*$/, '$1') : message;
}

const DEFAULT = '.gait/config.yaml';

/**
 * One case. `files`: the case's own file names, `{ policy, intent, privateKey }` (privateKey: a
 * path to an ed25519 private key both CLIs can read). Returns `{ files, args, kind }`: files to
 * write (relative path -> text), gate eval's arguments (without `gate eval`), and a label.
 */
export function generateConfigCase(rng, files) {
  const chance = (p) => rng() < p;
  const pick = (xs) => xs[Math.floor(rng() * xs.length)];
  const pad = (s) => (chance(0.2) ? `"  ${s}  "` : chance(0.2) ? `'${s}'` : s);

  // Which settings come from the config and which from flags.
  const gate = {};
  const args = ['--intent', files.intent, '--json'];
  const policyFrom = pick(['config', 'config', 'flag', 'both', 'blank-flag', 'none']);
  if (policyFrom === 'config' || policyFrom === 'blank-flag') gate.policy = pad(files.policy);
  if (policyFrom === 'flag') args.push('--policy', files.policy);
  if (policyFrom === 'both') {
    gate.policy = 'not-this-policy.yaml';
    args.push('--policy', files.policy);
  }
  if (policyFrom === 'blank-flag') args.push('--policy', pick(['', ' ']));

  const keysFrom = pick(['config', 'flag', 'mixed', 'dev', 'dev-with-key']);
  if (keysFrom === 'config') Object.assign(gate, { key_mode: pick(['prod', 'PROD', ' prod ']), private_key: files.privateKey });
  if (keysFrom === 'flag') args.push('--key-mode', 'prod', '--private-key', files.privateKey);
  if (keysFrom === 'mixed') {
    gate.key_mode = 'prod';
    args.push('--private-key', files.privateKey);
  }
  if (keysFrom === 'dev-with-key') gate.private_key = files.privateKey; // dev mode refuses it

  const traceFrom = pick(['config', 'flag', 'both']);
  if (traceFrom !== 'flag') gate.trace_path = pick(['trace.json', 'out/trace.json', './trace.json']);
  if (traceFrom !== 'config') args.push('--trace-out', 'trace.json');

  if (chance(0.3)) gate.profile = pick(['standard', 'STANDARD', 'oss-prod', ' ', 'bogus']);
  if (chance(0.3)) args.push('--profile', pick(['', 'standard', 'oss-prod']));
  if (chance(0.3)) {
    gate.credential_broker = pick(['stub', 'off', 'none', 'Stub']);
    if (chance(0.5)) gate.credential_ref = pick(['egress', 'cfg-ref']);
    if (chance(0.5)) gate.credential_scopes = pick(['a,b', 'write', ' ']);
    if (chance(0.3)) gate.credential_evidence_path = pick(['evidence.json', 'ev/evidence.json']);
  }
  if (chance(0.2)) gate.rate_limit_state = 'rl_state.json';
  if (chance(0.15)) gate.approval_private_key = files.privateKey;
  if (chance(0.1)) gate.wrkr_inventory_path = 'missing-inventory.json';
  if (chance(0.2)) gate[pick(['kill_switch_state', 'unknown_key', 'Policy', 'context_envelope'])] = pick(['x.json', '[1, 2]', '{a: 1}']);

  let text = render(rng, gate);

  // Broken variants.
  let kind = 'valid';
  if (chance(0.3)) {
    kind = pick(['syntax', 'type', 'section', 'duplicate', 'alias', 'null', 'tab', 'bool', 'int', 'later-doc']);
    text = breakConfig(kind, text, rng);
  } else if (chance(0.15)) {
    kind = pick(['empty', 'whitespace', 'comment', 'other-sections', 'multi-doc', 'anchors']);
    text = decorate(kind, text, files);
  }

  // Where the file is and how it is named on the command line.
  let path = DEFAULT;
  const where = pick(['default', 'default', 'default', 'explicit', 'spelled', 'missing-default', 'missing-explicit', 'no-config', 'empty-flag']);
  if (where === 'explicit') {
    path = 'cfg/project.yaml';
    args.push('--config', path);
  } else if (where === 'spelled') args.push('--config', pick(['./.gait/config.yaml', ' .gait//config.yaml ', '.gait/../.gait/config.yaml']));
  else if (where === 'missing-explicit') args.push('--config', 'missing-config.yaml');
  else if (where === 'no-config') args.push(pick(['--no-config', '--no-config=true', '--no-config=false']));
  else if (where === 'empty-flag') args.push('--config', pick(['', ' ']));
  const out = where === 'missing-default' || where === 'missing-explicit' ? {} : { [path]: text };
  return { files: out, args: shuffleFlags(rng, args), kind: `${kind}/${where}/policy-${policyFrom}/keys-${keysFrom}` };
}

/** YAML for `gate:` in block or flow style, sometimes with comments. */
function render(rng, gate) {
  const entries = Object.entries(gate);
  if (rng() < 0.3) return `gate: {${entries.map(([k, v]) => `${k}: ${v}`).join(', ')}}\n`;
  const lines = ['gate:'];
  for (const [k, v] of entries) {
    lines.push(`  ${k}: ${v}`);
    if (rng() < 0.1) lines.push('  # a comment');
  }
  return lines.join('\n') + '\n';
}

function breakConfig(kind, text, rng) {
  switch (kind) {
    case 'syntax': return text + (rng() < 0.5 ? 'extra: [1, 2\n' : 'extra: {a: 1\n');
    case 'type': return text + 'retention: {trace_ttl: [1]}\n';
    case 'section': return rng() < 0.5 ? 'gate: [a, b]\n' : 'gate: just-a-string\n';
    case 'duplicate': return text + 'gate: {policy: other.yaml}\n';
    case 'alias': return text + 'extra: *nowhere\n';
    case 'null': return rng() < 0.5 ? 'null\n' : '~\n';
    case 'tab': return 'gate:\n\tpolicy: policy.yaml\n';
    case 'bool': return text + `mcp_serve: {enabled: ${rng() < 0.5 ? 'yes' : '1'}}\n`;
    case 'int': return text + `mcp_serve: {max_request_bytes: ${rng() < 0.5 ? 'abc' : '9223372036854775808'}}\n`;
    default: return text + '---\nextra: [\n'; // later-doc: a syntax error in the second document
  }
}

function decorate(kind, text, files) {
  switch (kind) {
    case 'empty': return '';
    case 'whitespace': return '\n   \n\t\n';
    case 'comment': return '# project defaults\n' + text;
    case 'other-sections':
      return text + 'mcp_serve:\n  enabled: true\n  listen: 127.0.0.1:8787\n  max_request_bytes: "1048576"\nretention: {trace_ttl: 168h}\nunrelated: [1, 2]\n';
    case 'multi-doc': return text + '---\ngate: {policy: second-document.yaml}\n';
    default: return `paths: &p ${files.policy}\n` + text.replace(/\bpolicy: [^,}\n]*/, 'policy: *p');
  }
}

/** Flags in a random order, each flag kept with its value. */
function shuffleFlags(rng, args) {
  const groups = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const takesValue = !a.includes('=') && a !== '--json' && !a.startsWith('--no-config');
    groups.push(takesValue ? [a, args[++i]] : [a]);
  }
  for (let i = groups.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [groups[i], groups[j]] = [groups[j], groups[i]];
  }
  return groups.flat();
}
