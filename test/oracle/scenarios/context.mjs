// The project-context scenarios: `gate eval --context-envelope` with generated envelopes (valid
// or broken; gen-envelope.mjs) and `gate eval` with a generated `.gait/config.yaml` supplying
// flags (gen-config.mjs), each on a generated policy and intent.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import YAML from 'yaml';
import { createGenerator, mulberry32 } from '../../../conformance/generator.mjs';
import { FIXTURE_KEYS, crossVerifyTraces } from '../harness.mjs';
import { RANDOM_FIELDS } from '../known-differences.mjs';
import { generateEnvelope } from '../gen-envelope.mjs';
import { generateConfigCase } from '../gen-config.mjs';

const signing = ['--key-mode', 'prod', '--private-key', FIXTURE_KEYS.private];
const FIXTURE_KEY_ID = createHash('sha256').update(Buffer.from(readFileSync(FIXTURE_KEYS.public, 'utf8').trim(), 'base64')).digest('hex');
// generateEnvelope also writes its file: into a scratch folder (the case carries the text).
const SCRATCH = mkdtempSync(`${tmpdir()}/gait-oracle-envelopes-`);
const tryParse = (parse, text) => {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
};

function envelopeCase(seed) {
  const base = createGenerator(seed).randomCase();
  const intent = tryParse(JSON.parse, base.intent);
  const e = generateEnvelope({ rng: mulberry32(seed ^ 0x5eed), policy: tryParse(YAML.parse, base.policy), intent: intent ?? {}, dir: SCRATCH });
  return { ...base, intent: intent && typeof intent === 'object' ? JSON.stringify(e.intent) : base.intent, envelope: e.text, kind: e.kind, clockDependent: e.clockDependent };
}

function configCase(seed) {
  const base = createGenerator(seed).randomCase();
  const c = generateConfigCase(mulberry32(seed ^ 0xc0f1), { policy: 'policy.yaml', intent: 'intent.json', privateKey: FIXTURE_KEYS.private });
  return { ...base, configFiles: c.files, args: c.args, kind: c.kind };
}

export const CONTEXT_SCENARIOS = [
  {
    name: 'eval-envelope',
    command: 'gate eval',
    label: 'gate eval --context-envelope',
    generate: envelopeCase,
    files: (c) => ({ 'policy.yaml': c.policy, 'intent.json': c.intent, 'context_envelope.json': c.envelope }),
    steps: () => [{ argv: ['gate', 'eval', '--policy', 'policy.yaml', '--intent', 'intent.json', '--context-envelope', 'context_envelope.json', '--json', ...signing, '--trace-out', 'trace.json'], capture: { trace: 'trace.json' } }],
    // A stale envelope's age is measured to each CLI's own clock: its digest may differ by a second.
    randomFields: (c) => (c.clockDependent ? [...RANDOM_FIELDS, 'intent_digest', 'trace_id', 'relationship.entity_refs', 'relationship.related_entity_ids', 'approval_audit_path', 'delegation_audit_path'] : RANDOM_FIELDS),
    check: (ours, gait, _c, env) => crossVerifyTraces(ours, gait, env),
  },
  {
    name: 'eval-config',
    command: 'gate eval',
    label: 'gate eval with .gait/config.yaml',
    generate: configCase,
    files: (c) => ({ 'policy.yaml': c.policy, 'intent.json': c.intent, ...c.configFiles }),
    steps: (c) => [{ argv: ['gate', 'eval', ...c.args], capture: { trace: 'trace.json', trace_in_folder: 'out/trace.json' } }],
    // Dev-mode runs sign with a throw-away key: key ids are compared below as "the fixture key or
    // not", and traces signed with the fixture key must verify on the other side.
    randomFields: () => [...RANDOM_FIELDS, 'signature.key_id'],
    check: async (ours, gait, _c, env) => {
      const diffs = [];
      for (const label of ['trace', 'trace_in_folder']) {
        const keyId = (r) => tryParse(JSON.parse, r.files?.[label] ?? '')?.signature?.key_id;
        const [a, b] = [keyId(ours[0]), keyId(gait[0])];
        if (a === undefined || b === undefined) continue;
        if ((a === FIXTURE_KEY_ID) !== (b === FIXTURE_KEY_ID)) diffs.push({ path: `${label}.signature.key_id`, ours: a, gait: b });
        else if (a === FIXTURE_KEY_ID) diffs.push(...(await crossVerifyTraces(ours, gait, env, label)));
      }
      return diffs;
    },
  },
];
