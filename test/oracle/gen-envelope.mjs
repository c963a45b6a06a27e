// Context envelopes for differential runs of `gate eval --context-envelope` (intent.md §4.2):
// given a generated policy and intent, writes a plausible envelope file, valid or broken, and says
// what kind it is. Deterministic for a given rng (a function returning [0, 1), e.g. mulberry32).
//
//   const e = generateEnvelope({ rng, policy, intent, dir });
//   // write e.intent (it may carry claims) and run both CLIs with --context-envelope e.path
//
// Ages: valid envelopes are retrieved in the future, so their age is 0 whenever the two CLIs run
// and intent digests compare exactly. Kinds with `clockDependent: true` have an age measured to
// each CLI's own clock: their intent_digest (and trace_id, trace file names) may differ by a
// second between the two runs and should be compared without them.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FUTURE = ['2099-01-01T00:00:00Z', '2098-06-30T12:34:56.5Z', '2099-12-31T23:00:00-05:00'];
const PAST = ['2020-01-01T00:00:00Z', '2024-02-29T12:00:00+02:00'];
const SOURCES = ['doc', 'web', 'sql', 'vector'];
const REDACTIONS = ['none', 'hash', 'redacted'];

/** Valid kinds (the envelope verifies) and broken ones (Gait exits 6 or blocks fail-closed). */
export const ENVELOPE_KINDS = [
  'fresh', 'fresh-best-effort', 'no-records', 'stated-digest', 'claims-agree', 'stale',
  'claim-digest-mismatch', 'claim-mode-mismatch',
  'unknown-field', 'digest-mismatch', 'bad-record-digest', 'missing-set-id', 'bad-mode', 'bad-time',
  'bad-immutability', 'negative-sla', 'wrong-schema', 'truncated', 'empty', 'not-object',
];

const hex = (rng) => Array.from({ length: 64 }, () => '0123456789abcdef'[Math.floor(rng() * 16)]).join('');
const pick = (rng, xs) => xs[Math.floor(rng() * xs.length)];

/** One record already in normal form (UTC time, explicit immutability), so its digest is easy. */
function record(rng, ref, retrievedAt) {
  return {
    ref_id: ref, source_type: pick(rng, SOURCES), source_locator: `file:///ctx/${ref}`,
    query_digest: hex(rng), content_digest: hex(rng), retrieved_at: retrievedAt,
    redaction_mode: pick(rng, REDACTIONS), immutability: pick(rng, ['unknown', 'mutable', 'immutable']),
  };
}

/** SHA-256 of the JCS form of normalized string-only records, sorted as Gait sorts them. */
function setDigest(records) {
  const key = (r) => [r.ref_id, r.source_type, r.source_locator, r.content_digest];
  const sorted = [...records].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    return 0;
  });
  const jcs = JSON.stringify(sorted.map((r) => Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]]))));
  return createHash('sha256').update(jcs).digest('hex');
}

/** Go's UTC RFC3339Nano: trailing zeros of the fraction dropped. */
const utc = (text) => new Date(text).toISOString().replace(/(\.\d*?)0+Z$/, '$1Z').replace('.Z', 'Z');

/** Does any rule ask for context evidence in `required` mode? */
function wantsRequired(policy) {
  const rules = Array.isArray(policy?.rules) ? policy.rules : []; // an invalid policy may have anything here
  return rules.some((r) => r && (r.require_context_evidence || String(r.required_context_evidence_mode ?? '').trim().toLowerCase() === 'required'));
}

/**
 * Writes `<dir>/<name>` and returns { path, kind, valid, clockDependent, intent, text }:
 * `intent` is the given intent, or a copy carrying context claims for the claim kinds.
 */
export function generateEnvelope({ rng, policy, intent, dir, name = 'context_envelope.json', kind }) {
  kind ??= pick(rng, rng() < 0.6 ? ENVELOPE_KINDS.slice(0, 6) : ENVELOPE_KINDS);
  const mode = kind === 'fresh-best-effort' ? 'best_effort' : wantsRequired(policy) || rng() < 0.5 ? 'required' : 'best_effort';
  const when = kind === 'stale' ? PAST : FUTURE;
  const count = kind === 'no-records' ? 0 : 1 + Math.floor(rng() * 3);
  const refs = Array.from({ length: count }, (_, i) => (rng() < 0.2 && i > 0 ? 'ref-0' : `ref-${i}`));
  // Records: normal form, times converted to UTC so the stated digest below stays right.
  const records = refs.map((ref) => record(rng, ref, utc(pick(rng, when))));
  const envelope = {
    schema_id: 'gait.context.envelope', schema_version: '1.0.0',
    created_at: kind === 'stale' ? PAST[0] : FUTURE[0],
    producer_version: 'gen-envelope', context_set_id: `set-${Math.floor(rng() * 1000)}`,
    evidence_mode: mode, records,
  };
  const digest = setDigest(records);
  let out = intent;
  const withClaims = (claims) => ({ ...intent, context: { ...(intent?.context ?? {}), ...claims } });
  switch (kind) {
    case 'stated-digest': envelope.context_set_digest = rng() < 0.5 ? digest.toUpperCase() : digest; break;
    case 'claims-agree': out = withClaims({ context_set_digest: digest, context_evidence_mode: mode.toUpperCase() }); break;
    case 'claim-digest-mismatch': out = withClaims({ context_set_digest: hex(rng) }); break;
    case 'claim-mode-mismatch': out = withClaims({ context_evidence_mode: mode === 'required' ? 'best_effort' : 'required' }); break;
    case 'unknown-field': envelope.extra_field = true; break;
    case 'digest-mismatch': envelope.context_set_digest = hex(rng); break;
    case 'bad-record-digest': if (records[0]) records[0].content_digest = 'not-hex'; else envelope.context_set_digest = 'zz'; break;
    case 'missing-set-id': delete envelope.context_set_id; break;
    case 'bad-mode': envelope.evidence_mode = 'sometimes'; break;
    case 'bad-time': envelope.created_at = 'yesterday'; break;
    case 'bad-immutability': if (records[0]) records[0].immutability = 'frozen'; else envelope.schema_version = '9.9.9'; break;
    case 'negative-sla': if (records[0]) records[0].freshness_sla_seconds = -1; else envelope.evidence_mode = 'sometimes'; break;
    case 'wrong-schema': envelope.schema_id = 'gait.context.other'; break;
    default: break;
  }
  let text = JSON.stringify(envelope, null, rng() < 0.5 ? 2 : 0);
  if (kind === 'truncated') text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  if (kind === 'empty') text = '';
  if (kind === 'not-object') text = JSON.stringify(records);
  const path = join(dir, name);
  writeFileSync(path, text);
  const valid = ['fresh', 'fresh-best-effort', 'no-records', 'stated-digest', 'claims-agree', 'stale'].includes(kind);
  return { path, kind, valid, clockDependent: kind === 'stale', intent: out, text };
}
