/**
 * `NormalizeIntent` (intent.md §2): a decoded intent in, the canonical normalized intent with its
 * three digests out. Checks run in the order of §1.11 and stop at the first failure, which is an
 * invalid-input GaitError carrying Gait's exact message (callers add `normalize intent: `).
 */
import type { JsonObject, IntentArgProvenance, IntentContext, IntentDelegation, IntentDelegationLink, IntentScriptStep, IntentSkillProvenance, IntentTarget, NormalizedIntent } from './model.js';
import type { RawContext, RawDelegation, RawIntent, RawObject, RawScript, RawSkillProvenance } from './decode.js';
import { invalidInput } from '../errors.js';
import { goTrim, trimLower } from '../canonical/text.js';
import { sortedUnique } from '../canonical/order.js';
import { compareTime, formatRfc3339Nano, isZeroTime, parseRfc3339, TimeParseError, unchangedUtcText, type RfcTime } from '../time.js';
import { EmptyKeyError, normalizeObject, setMember } from './json-value.js';
import { HEX64, NormalizeError, normalizeProvenance, normalizeTargets } from './targets.js';
import { normalizeRelationship } from './relationship.js';
import { computeIntentDigests } from './digest.js';

export const INTENT_SCHEMA_ID = 'gait.gate.intent_request';
export const INTENT_SCHEMA_VERSION = '1.0.0';
export const MAX_SCRIPT_STEPS = 64;


function fail(message: string): never {
  throw new NormalizeError(message);
}

/** JSON value normalization with the caller's prefix on the empty-key error. */
function normalizeArgs(obj: RawObject | JsonObject | null | undefined, field: string): JsonObject {
  try {
    return normalizeObject(obj);
  } catch (err) {
    if (err instanceof EmptyKeyError) fail(`normalize ${field}: ${err.message}`);
    throw err;
  }
}

/** A decoded time (null = unset) as Go RFC3339Nano UTC text, '' for unset or the zero time. */
export function utcText(text: string | null): string {
  if (text === null || text === '') return '';
  const same = unchangedUtcText(text);
  if (same !== undefined && !same.startsWith('0001-01-01T00:00:00Z')) return same; // not the zero time
  const t = parseTime(text);
  return isZeroTime(t) ? '' : formatRfc3339Nano(t, true);
}

function parseTime(text: string): RfcTime {
  try {
    return parseRfc3339(text);
  } catch (err) {
    // Decoded intents hold validated times; only a hand-built RawIntent can get here.
    if (err instanceof TimeParseError) throw invalidInput(`parse intent json: ${err.message}`);
    throw err;
  }
}

/** Non-zero times only; "strictly after" as Go's `!expires.After(issued)` check reads. */
function expiresNotAfter(issued: string, expires: string): boolean {
  if (issued === '' || expires === '') return false;
  return compareTime(parseTime(expires), parseTime(issued)) <= 0;
}

function normalizeScript(raw: RawScript): IntentScriptStep[] {
  if (raw.steps.length === 0) fail('script.steps must not be empty');
  if (raw.steps.length > MAX_SCRIPT_STEPS) fail(`script.steps exceeds max supported steps (${MAX_SCRIPT_STEPS})`);
  const steps: IntentScriptStep[] = new Array(raw.steps.length);
  for (let i = 0; i < raw.steps.length; i++) {
    const step = raw.steps[i]!;
    const toolName = trimLower(step.tool_name);
    if (toolName === '') fail(`script.steps[${i}].tool_name is required`);
    // Error prefixes are built only on failure: a script has up to 64 steps.
    let part = 'args';
    try {
      const args = normalizeObject(step.args);
      part = 'targets';
      const targets = normalizeTargets(step.targets, toolName);
      part = 'arg_provenance';
      const provenance = normalizeProvenance(step.arg_provenance);
      steps[i] = { tool_name: toolName, args, targets, arg_provenance: provenance };
    } catch (err) {
      if (err instanceof EmptyKeyError || err instanceof NormalizeError) fail(`normalize script.steps[${i}].${part}: ${err.message}`);
      throw err;
    }
  }
  return steps;
}

/** Every step's targets, in step order (a loop: flatMap is slow in V8). */
export function stepTargets(steps: readonly IntentScriptStep[]): IntentTarget[] {
  const out: IntentTarget[] = [];
  for (let i = 0; i < steps.length; i++) {
    const ts = steps[i]!.targets;
    for (let k = 0; k < ts.length; k++) out.push(ts[k]!);
  }
  return out;
}

/** Every step's argument provenance, in step order. */
export function stepProvenance(steps: readonly IntentScriptStep[]): IntentArgProvenance[] {
  const out: IntentArgProvenance[] = [];
  for (let i = 0; i < steps.length; i++) {
    const ps = steps[i]!.arg_provenance;
    for (let k = 0; k < ps.length; k++) out.push(ps[k]!);
  }
  return out;
}

/** Throws NormalizeError (and GaitError for an unparsable time, which decoding rules out). */
export function normalizeSkill(raw: RawSkillProvenance | null): IntentSkillProvenance | undefined {
  if (!raw) return undefined;
  const s: IntentSkillProvenance = {
    skill_name: goTrim(raw.skill_name),
    skill_version: goTrim(raw.skill_version),
    source: trimLower(raw.source),
    publisher: goTrim(raw.publisher),
    digest: trimLower(raw.digest),
    signature_key_id: goTrim(raw.signature_key_id),
  };
  if (s.skill_name === '' || s.source === '' || s.publisher === '') fail('skill provenance requires skill_name, source, and publisher');
  if (s.digest !== '' && !HEX64.test(s.digest)) fail(`invalid skill provenance digest: ${s.digest}`);
  return s;
}

function normalizeContext(raw: RawContext): IntentContext {
  const identity = goTrim(raw.identity);
  const workspace = goTrim(raw.workspace).replaceAll('\\', '/');
  const riskClass = trimLower(raw.risk_class);
  if (identity === '') fail('context.identity is required');
  if (workspace === '') fail('context.workspace is required');
  if (riskClass === '') fail('context.risk_class is required');
  const auth = normalizeArgs(raw.auth_context, 'context.auth_context');
  const setDigest = trimLower(raw.context_set_digest);
  if (setDigest !== '' && !HEX64.test(setDigest)) fail('context.context_set_digest must be sha256 hex');
  const mode = trimLower(raw.context_evidence_mode);
  if (mode !== '' && mode !== 'best_effort' && mode !== 'required') fail('context.context_evidence_mode must be best_effort or required');
  const phase = trimLower(raw.phase) || 'apply';
  if (phase !== 'plan' && phase !== 'apply') fail('context.phase must be plan or apply');
  return {
    identity,
    workspace,
    risk_class: riskClass,
    phase,
    job_id: goTrim(raw.job_id),
    session_id: goTrim(raw.session_id),
    request_id: goTrim(raw.request_id),
    auth_context: Object.keys(auth).length > 0 ? auth : undefined,
    credential_scopes: sortedUnique(raw.credential_scopes.map(goTrim)),
    environment_fingerprint: goTrim(raw.environment_fingerprint),
    context_set_digest: setDigest,
    context_evidence_mode: mode,
    context_refs: sortedUnique(raw.context_refs.map(goTrim)),
  };
}

export function normalizeDelegation(raw: RawDelegation | null): IntentDelegation | undefined {
  if (!raw) return undefined;
  const requester = goTrim(raw.requester_identity);
  if (requester === '') fail('delegation.requester_identity is required');
  const chain: IntentDelegationLink[] = [];
  raw.chain.forEach((l, i) => {
    const link: IntentDelegationLink = {
      delegator_identity: goTrim(l.delegator_identity),
      delegate_identity: goTrim(l.delegate_identity),
      scope_class: trimLower(l.scope_class),
      token_ref: goTrim(l.token_ref),
      issued_at: utcText(l.issued_at),
      expires_at: utcText(l.expires_at),
    };
    if (link.delegator_identity === '' || link.delegate_identity === '') {
      fail(`delegation.chain[${i}] requires delegator_identity and delegate_identity`);
    }
    if (i > 0 && link.delegator_identity !== chain[i - 1]!.delegate_identity) {
      fail(`delegation.chain[${i}] delegator_identity must match delegation.chain[${i - 1}].delegate_identity`);
    }
    if (expiresNotAfter(link.issued_at, link.expires_at)) fail(`delegation.chain[${i}] expires_at must be after issued_at`);
    chain.push(link);
  });
  const issued = utcText(raw.issued_at);
  const expires = utcText(raw.expires_at);
  if (expiresNotAfter(issued, expires)) fail('delegation.expires_at must be after issued_at');
  if (chain.length > 0 && chain[chain.length - 1]!.delegate_identity !== requester) {
    fail('delegation.chain last delegate_identity must match delegation.requester_identity');
  }
  return {
    requester_identity: requester,
    scope_class: trimLower(raw.scope_class),
    token_refs: sortedUnique(raw.token_refs.map(goTrim)),
    issued_at: issued,
    expires_at: expires,
    chain,
  };
}

/** Fills in the three digests (in place) and returns the intent. */
export function computeDigests(n: NormalizedIntent): NormalizedIntent {
  return computeIntentDigests(n);
}

/** Digest fields stay '' with `digests: false`: evaluation needs none, a result needs one. */
export interface NormalizeOptions {
  digests?: boolean;
}

function finish(n: NormalizedIntent, options: NormalizeOptions): NormalizedIntent {
  return options.digests === false ? n : computeDigests(n);
}

/** A copy with another context (digests recomputed unless `digests: false`). */
function withContext(n: NormalizedIntent, context: IntentContext, options: NormalizeOptions): NormalizedIntent {
  return finish({
    schema_id: n.schema_id,
    schema_version: n.schema_version,
    created_at: n.created_at,
    producer_version: n.producer_version,
    tool_name: n.tool_name,
    args: n.args,
    targets: n.targets,
    arg_provenance: n.arg_provenance,
    skill_provenance: n.skill_provenance,
    delegation: n.delegation,
    context,
    script: n.script,
    relationship: n.relationship,
    args_digest: '',
    intent_digest: '',
    script_hash: '',
  }, options);
}

function build(raw: RawIntent, options: NormalizeOptions): NormalizedIntent {
  // 1. script, 2. tool_name
  const steps = raw.script ? normalizeScript(raw.script) : undefined;
  const toolName = steps ? 'script' : trimLower(raw.tool_name);
  if (toolName === '') fail('tool_name is required');
  // 3. args
  const args = normalizeArgs(raw.args, 'args');
  // 4. targets: a script without top-level targets takes its steps' (already inferred) targets.
  const targets = steps && raw.targets.length === 0
    ? normalizeTargets(stepTargets(steps), toolName)
    : normalizeTargets(raw.targets, toolName);
  // 5. provenance, same aggregation rule
  const provenance = steps && raw.arg_provenance.length === 0
    ? normalizeProvenance(stepProvenance(steps))
    : normalizeProvenance(raw.arg_provenance);
  // 6. skill provenance, 7. context, 8. delegation
  const skill = normalizeSkill(raw.skill_provenance);
  const context = normalizeContext(raw.context);
  const delegation = normalizeDelegation(raw.delegation);
  return finish({
    schema_id: raw.schema_id || INTENT_SCHEMA_ID,
    schema_version: raw.schema_version || INTENT_SCHEMA_VERSION,
    created_at: utcText(raw.created_at),
    producer_version: raw.producer_version,
    tool_name: toolName,
    args,
    targets,
    arg_provenance: provenance,
    skill_provenance: skill,
    delegation,
    context,
    script: steps ? { steps } : undefined,
    relationship: normalizeRelationship(raw.relationship),
    args_digest: '',
    intent_digest: '',
    script_hash: '',
  }, options);
}

/** NormalizeIntent. Throws GaitError (invalid_input) with Gait's message, without prefix. */
export function normalizeIntent(raw: RawIntent, options: NormalizeOptions = {}): NormalizedIntent {
  try {
    return build(raw, options);
  } catch (err) {
    if (err instanceof NormalizeError) throw invalidInput(err.message);
    throw err;
  }
}

/** The raw intent's risk class, trimmed and lower-cased: decides fail-closed for invalid intents. */
export function rawRiskClass(raw: RawIntent): string {
  return trimLower(raw.context?.risk_class ?? '');
}

/**
 * §4.2 without an envelope: drops the unverified context-evidence claims (set digest, evidence
 * mode, refs, `auth_context.context_age_seconds`) and an auth_context left empty. A copy with
 * recomputed digests.
 */
export function stripContextClaims(n: NormalizedIntent, options: NormalizeOptions = {}): NormalizedIntent {
  return withContext(n, {
    ...n.context,
    auth_context: authWithoutClaims(n.context.auth_context),
    context_set_digest: '',
    context_evidence_mode: '',
    context_refs: [],
  }, options);
}

/**
 * stripContextClaims without the copy, for a freshly normalized intent the caller owns and has
 * not digested (the gate's own evaluation path): its context is changed in place.
 */
export function stripContextClaimsInPlace(n: NormalizedIntent): NormalizedIntent {
  const c = n.context;
  if (c.auth_context && Object.prototype.hasOwnProperty.call(c.auth_context, 'context_age_seconds')) {
    c.auth_context = authWithoutClaims(c.auth_context);
  }
  c.context_set_digest = '';
  c.context_evidence_mode = '';
  if (c.context_refs.length > 0) c.context_refs = [];
  return n;
}

/**
 * §4.2 with a verified envelope: the claims replaced by the envelope's digest, mode and refs, and
 * `auth_context.context_age_seconds` set to its age. The caller has checked the intent's own
 * claims against the envelope. A copy with recomputed digests.
 */
export function withContextEvidence(
  n: NormalizedIntent,
  evidence: { context_set_digest: string; context_evidence_mode: string; context_refs: string[]; context_age_seconds: number },
  options: NormalizeOptions = {},
): NormalizedIntent {
  const auth = authWithoutClaims(n.context.auth_context) ?? {};
  setMember(auth, 'context_age_seconds', evidence.context_age_seconds);
  return withContext(n, {
    ...n.context,
    auth_context: auth,
    context_set_digest: evidence.context_set_digest,
    context_evidence_mode: evidence.context_evidence_mode,
    context_refs: [...evidence.context_refs],
  }, options);
}

/** A copy with the same context, claims kept (digests recomputed unless `digests: false`). */
export function copyIntent(n: NormalizedIntent, options: NormalizeOptions = {}): NormalizedIntent {
  return withContext(n, { ...n.context }, options);
}

/** auth_context without `context_age_seconds` (a copy), undefined when nothing is left. */
function authWithoutClaims(auth: JsonObject | undefined): JsonObject | undefined {
  if (!auth) return undefined;
  const out: JsonObject = {};
  let any = false;
  for (const [k, v] of Object.entries(auth)) {
    if (k === 'context_age_seconds') continue;
    setMember(out, k, v);
    any = true;
  }
  return any ? out : undefined;
}

/**
 * A copy whose auth_context also holds `keys` (overwriting), normalized like any auth_context:
 * used for Wrkr enrichment of single intents (§5). Digests recomputed.
 */
export function withAuthContextKeys(n: NormalizedIntent, keys: Readonly<Record<string, string>>, options: NormalizeOptions = {}): NormalizedIntent {
  const merged: JsonObject = {};
  for (const [k, v] of Object.entries(n.context.auth_context ?? {})) setMember(merged, k, v);
  for (const [k, v] of Object.entries(keys)) {
    if (Object.prototype.hasOwnProperty.call(merged, k)) delete merged[k];
    setMember(merged, k, v);
  }
  let auth: JsonObject;
  try {
    auth = normalizeObject(merged);
  } catch (err) {
    if (err instanceof EmptyKeyError) throw invalidInput(`normalize context.auth_context: ${err.message}`);
    throw err;
  }
  return withContext(n, { ...n.context, auth_context: Object.keys(auth).length > 0 ? auth : undefined }, options);
}
