/**
 * A one-pass fast path for `normalizeIntent(decodeIntentValue(value), { digests: false })` on a
 * parsed intent object: the normalized intent built straight from the object, without the
 * decoded Go struct (and its Maps) in between. It takes intents and scripts, with delegation and
 * skill provenance (normalized by normalize.ts's own steps) but no relationship, read by
 * plain-intent.ts. For anything else, including every input the full path rejects, it returns
 * `undefined` (it never throws) and the caller takes the full path. test/intent/normalize-object.test.ts checks it equals the full path, member order
 * included, over the conformance corpus, the fixtures and seeded mutations.
 */
import type { IntentContext, IntentDelegation, IntentScriptStep, IntentSkillProvenance, NormalizedIntent } from './model.js';
import { goTrim, trimLower } from '../canonical/text.js';
import { sortedUnique } from '../canonical/order.js';
import { isPlainRfc3339 } from '../time.js';
import { INTENT_SCHEMA_ID, INTENT_SCHEMA_VERSION, MAX_SCRIPT_STEPS, normalizeDelegation, normalizeSkill, stepProvenance, stepTargets, utcText } from './normalize.js';
import { normalizeProvenance, normalizeTargets } from './targets.js';
import { bail, contextCore, hasOwn, normalObject, normalTargetsAndProvenance, rawDelegation, rawSkill, str, trimmedStrings } from './plain-intent.js';
import { isPlainArray, isPlainObject } from './fast-decode.js';

/** created_at as normalization leaves it (normalize.ts's utcText), for the plain RFC 3339 shape. */
function createdAt(v: unknown): string {
  const text = str(v);
  if (text !== '' && !isPlainRfc3339(text)) bail(); // other shapes: the full path decides (and words the error)
  return utcText(text);
}

/** normalize.ts's own step for skill provenance and delegation; any failure bails. */
function normalizedOrBail<R, T>(normalize: (raw: R) => T | undefined, raw: R): T | undefined {
  try {
    return normalize(raw);
  } catch {
    return bail();
  }
}

/** `script`: null, or `{ steps }` with 1 to 64 plain steps (each normalized like an intent's parts). */
function scriptSteps(v: unknown): IntentScriptStep[] | undefined {
  if (v === null || v === undefined) return undefined;
  if (!isPlainObject(v)) bail();
  let raw: unknown;
  for (const key in v) {
    if (!hasOwn.call(v, key) || key !== 'steps') bail();
    raw = v[key];
  }
  if (!isPlainArray(raw) || raw.length === 0 || raw.length > MAX_SCRIPT_STEPS) bail();
  const steps: IntentScriptStep[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) steps[i] = scriptStep(raw[i]);
  return steps;
}

function scriptStep(v: unknown): IntentScriptStep {
  if (!isPlainObject(v)) bail();
  let tool = '';
  let args: IntentScriptStep['args'] = {};
  let targetsValue: unknown;
  let provenanceValue: unknown;
  for (const key in v) {
    if (!hasOwn.call(v, key)) bail();
    const item = v[key];
    switch (key) {
      case 'tool_name': tool = str(item); break;
      case 'args': args = normalObject(item, 4); break;
      case 'targets': targetsValue = item; break;
      case 'arg_provenance': provenanceValue = item; break;
      default: bail();
    }
  }
  tool = trimLower(tool);
  if (tool === '') bail();
  const { targets, provenance } = normalTargetsAndProvenance(targetsValue, provenanceValue, tool);
  return { tool_name: tool, args, targets, arg_provenance: provenance };
}

function context(v: unknown): IntentContext {
  if (!isPlainObject(v)) bail(); // absent or null: identity is required
  let identity = '';
  let workspace = '';
  let risk = '';
  let phase = '';
  let jobId = '';
  let sessionId = '';
  let requestId = '';
  let fingerprint = '';
  let setDigest = '';
  let mode = '';
  let scopes: string[] = [];
  let refs: string[] = [];
  let auth: Record<string, unknown> | undefined;
  for (const key in v) {
    if (!hasOwn.call(v, key)) bail();
    const item = v[key];
    switch (key) {
      case 'identity': identity = str(item); break;
      case 'workspace': workspace = str(item); break;
      case 'risk_class': risk = str(item); break;
      case 'phase': phase = str(item); break;
      case 'job_id': jobId = str(item); break;
      case 'session_id': sessionId = str(item); break;
      case 'request_id': requestId = str(item); break;
      case 'environment_fingerprint': fingerprint = str(item); break;
      case 'context_set_digest': setDigest = str(item); break;
      case 'context_evidence_mode': mode = str(item); break;
      case 'credential_scopes': scopes = trimmedStrings(item); break;
      case 'context_refs': refs = trimmedStrings(item); break;
      case 'auth_context': auth = normalObject(item, 3); break;
      default: bail();
    }
  }
  const c = contextCore(identity, workspace, risk, phase, setDigest, mode);
  let hasAuth = false;
  for (const _ in auth) {
    hasAuth = true;
    break;
  }
  return {
    identity: c.identity,
    workspace: c.workspace,
    risk_class: c.riskClass,
    phase: c.phase as IntentContext['phase'],
    job_id: goTrim(jobId),
    session_id: goTrim(sessionId),
    request_id: goTrim(requestId),
    auth_context: hasAuth ? (auth as IntentContext['auth_context']) : undefined,
    credential_scopes: sortedUnique(scopes),
    environment_fingerprint: goTrim(fingerprint),
    context_set_digest: c.contextSetDigest,
    context_evidence_mode: c.evidenceMode,
    context_refs: sortedUnique(refs),
  };
}

function normalize(value: unknown): NormalizedIntent {
  if (!isPlainObject(value)) bail();
  let schemaId = '';
  let schemaVersion = '';
  let created = '';
  let producer = '';
  let tool = '';
  let args: NormalizedIntent['args'] = {};
  let targetsValue: unknown;
  let provenanceValue: unknown;
  let contextValue: unknown;
  let steps: IntentScriptStep[] | undefined;
  let delegation: IntentDelegation | undefined;
  let skill: IntentSkillProvenance | undefined;
  for (const key in value) {
    if (!hasOwn.call(value, key)) bail();
    const item = value[key];
    switch (key) {
      case 'schema_id': schemaId = str(item); break;
      case 'schema_version': schemaVersion = str(item); break;
      case 'created_at': created = createdAt(item); break;
      case 'producer_version': producer = str(item); break;
      case 'tool_name': tool = str(item); break;
      case 'args': args = normalObject(item, 2); break;
      case 'targets': targetsValue = item; break;
      case 'arg_provenance': provenanceValue = item; break;
      case 'context': contextValue = item; break;
      case 'script': steps = scriptSteps(item); break;
      case 'delegation': delegation = item === null || item === undefined ? undefined : normalizedOrBail(normalizeDelegation, rawDelegation(item)); break;
      case 'skill_provenance': skill = item === null || item === undefined ? undefined : normalizedOrBail(normalizeSkill, rawSkill(item)); break;
      case 'relationship':
        if (item !== null && item !== undefined) bail();
        break;
      default:
        bail();
    }
  }
  tool = steps ? 'script' : trimLower(tool);
  if (tool === '') bail();
  const ctx = context(contextValue);
  let { targets, provenance } = normalTargetsAndProvenance(targetsValue, provenanceValue, tool);
  if (steps) {
    // A script without top-level targets (provenance) takes its steps', normalized again as
    // normalize.ts does (already valid, so this cannot fail).
    if (targets.length === 0) targets = normalizeTargets(stepTargets(steps), tool);
    if (provenance.length === 0) provenance = normalizeProvenance(stepProvenance(steps));
  }
  // Member order as normalize.ts builds it.
  return {
    schema_id: schemaId || INTENT_SCHEMA_ID,
    schema_version: schemaVersion || INTENT_SCHEMA_VERSION,
    created_at: created,
    producer_version: producer,
    tool_name: tool,
    args,
    targets,
    arg_provenance: provenance,
    skill_provenance: skill,
    delegation,
    context: ctx,
    script: steps ? { steps } : undefined,
    relationship: undefined,
    args_digest: '',
    intent_digest: '',
    script_hash: '',
  };
}

/**
 * The normalized intent (digests not computed) of a parsed intent object, or `undefined` when
 * the full path must handle it. Never throws. Shares nothing with the caller's object.
 */
export function normalizeIntentObject(value: unknown): NormalizedIntent | undefined {
  try {
    return normalize(value);
  } catch {
    return undefined; // a fallback, or e.g. a throwing getter: the full path raises it again
  }
}
