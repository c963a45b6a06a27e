/**
 * The tool-call boundary (mcp.md §4, §7.2 steps 2–15, §8): one agent tool call in, a signed
 * decision out. Decode with an adapter, map to an intent once, evaluate through the Gate, apply
 * MCP trust and the emergency stop, sign the trace, export. The tool is never executed. All I/O
 * goes through ports (trace sink, export targets, trust snapshot, job state, envelope loader),
 * so this runs unchanged in Node, Deno, browsers and workerd. Errors are GaitErrors; nothing
 * that failed ever comes back as an allow.
 */
import type { Gate, EvaluateOptions } from '../gate.js';
import type { Verdict } from '../policy/model.js';
import type { NormalizedIntent } from '../intent/model.js';
import type { ContextEnvelope } from '../context/envelope.js';
import { invalidInput } from '../errors.js';
import { goTrim } from '../canonical/text.js';
import { sortedUnique } from '../canonical/order.js';
import { privateKeyOf, type KeyInput, type Lazy } from '../enforce.js';
import { DEV_MODE_WARNING } from '../crypto/keys.js';
import { generateKeyPairAsync } from '../crypto/ed25519.js';
import { buildTraceRecord, signTrace, traceId as computeTraceId, type TraceRecord } from '../crypto/trace.js';
import { delegationDigest } from '../intent/digest.js';
import { normalizeIntent } from '../intent/normalize.js';
import type { RawIntent } from '../intent/decode.js';
import { formatRfc3339Nano } from '../time.js';
import { toRfcTime, type TimeInput } from '../tokens/common.js';
import { verdictExitCode } from '../decision.js';
import { VERSION } from '../version.js';
import { decodeToolCall } from './adapters.js';
import { toolCallIntent } from './call-intent.js';
import { checkOAuthBoundary } from './oauth.js';
import { resolveRunId } from './run-id.js';
import type { ToolCall } from './tool-call.js';
import type { McpExportEvent, McpProxyOutput, McpTrustDecision, ReadJobState, ReadTrustSnapshot } from './types.js';
import { decideMcpTrust, applyMcpTrust } from './trust.js';
import { exportLogLine, exportOtelLine } from './exports.js';

export interface McpExportTarget {
  readonly name: string;
  append(line: string): Promise<void> | void;
}

export interface McpProxyOptions {
  /** Default `mcp`; trimmed and lowercased; unknown → `unsupported adapter: <name>`. */
  adapter?: string;
  /** `standard` (default) or `oss-prod`. */
  profile?: string;
  /** Run id override (`--run-id`, request `run_id`), normalized (§8.2). */
  runId?: string;
  /** The boundary's context envelope (`--context-envelope`). */
  contextEnvelope?: EvaluateOptions['contextEnvelope'];
  /** Loads a call's `context.context_envelope_path`; absent: such calls are rejected (the CLI's rule). */
  callEnvelopePath?: (path: string) => Promise<ContextEnvelope | string | Uint8Array | object>;
  /** Evaluation time (envelope age); default: the clock. */
  now?: TimeInput;
  /** The clock port: trust freshness, the trace's observed_at, latency. */
  clock?: () => Date;
  /** The trace signing key. Absent: dev mode (ephemeral key + warning), refused under oss-prod. */
  signingKey?: Lazy<KeyInput>;
  /** The trust snapshot port; absent: the snapshot is unavailable. */
  readTrustSnapshot?: ReadTrustSnapshot;
  /** The job-state port; absent: any call with a job_id is blocked (§7.6). */
  readJobState?: ReadJobState;
  /** Keeps the signed trace; what it returns is reported as `trace_path`. A throw fails the call. */
  traceSink?: (trace: TraceRecord) => string | void | Promise<string | void>;
  exports?: { log?: McpExportTarget; otel?: McpExportTarget };
  /** `producer_version` of the trace and exports; default this library's version. */
  producerVersion?: string;
}

export interface McpProxyResult {
  /** HTTP key order; the CLI sorts it and adds `correlation_id`, the HTTP service adds `exit_code`. */
  output: McpProxyOutput;
  exit_code: 0 | 3 | 4;
  trace: TraceRecord;
  intent: NormalizedIntent | undefined;
  call: ToolCall;
}

export const STANDARD_PROFILE_WARNING =
  'standard profile applied fallback intent context; use --profile oss-prod for strict context enforcement';
export const EMERGENCY_STOP_UNAVAILABLE = 'emergency_stop_state_unavailable';
export const EMERGENCY_STOP_PREEMPTED = 'emergency_stop_preempted';
export const EMERGENCY_STOP_ACTIVE = 'emergency_stop_active';
const JOB_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const unavailableSnapshot: ReadTrustSnapshot = () => Promise.reject(new Error('trust snapshot unavailable'));

function parseProfile(value: string | undefined): 'standard' | 'oss-prod' {
  const profile = goTrim(value ?? '').toLowerCase() || 'standard';
  if (profile !== 'standard' && profile !== 'oss-prod') {
    throw invalidInput(`unsupported --profile value "${value}" (expected standard or oss-prod)`);
  }
  return profile;
}

async function load<T>(value: Lazy<T>): Promise<T> {
  return typeof value === 'function' ? await (value as () => T | Promise<T>)() : value;
}

interface Outcome {
  verdict: Verdict;
  reason_codes: string[];
  violations: string[];
}

/** §7.6: a job id blocks unless its state is readable and not emergency-stopped. */
async function emergencyStop(jobId: string, read: ReadJobState | undefined, current: Outcome, warnings: Set<string>): Promise<Outcome> {
  let state: { status: string; stop_reason: string };
  try {
    if (!JOB_ID_PATTERN.test(jobId)) throw new Error(`job_id must match ${JOB_ID_PATTERN.source}`);
    if (!read) throw new Error('job state unavailable');
    state = await read(jobId);
  } catch (err) {
    warnings.add(`job_status_unavailable=${err instanceof Error ? err.message : String(err)}`);
    return block(current, EMERGENCY_STOP_UNAVAILABLE);
  }
  if (state?.status === 'emergency_stopped' && state?.stop_reason === 'emergency_stopped') return block(current, EMERGENCY_STOP_PREEMPTED);
  return current;
}

function block(current: Outcome, reason: string): Outcome {
  return {
    verdict: 'block',
    reason_codes: sortedUnique([...current.reason_codes, reason]),
    violations: sortedUnique([...current.violations, EMERGENCY_STOP_ACTIVE]),
  };
}

/**
 * §7.2 steps 2–3: decode the payload with the adapter, then the call's own envelope path
 * (rejected unless a loader is given and the boundary has no envelope). Throws GaitError.
 */
export async function prepareToolCall(
  payload: string | Uint8Array | object, options: Pick<McpProxyOptions, 'adapter' | 'contextEnvelope' | 'callEnvelopePath'> = {},
): Promise<{ call: ToolCall; envelope: EvaluateOptions['contextEnvelope'] }> {
  const call = decodeToolCall(payload, options.adapter ?? 'mcp');
  let envelope = options.contextEnvelope;
  const callEnvelope = goTrim(call.context.context_envelope_path);
  if (callEnvelope !== '') {
    if (!options.callEnvelopePath) throw invalidInput('call.context.context_envelope_path is not supported; use --context-envelope at the boundary');
    if (envelope !== undefined) throw invalidInput('context envelope is already configured at the boundary; remove call.context.context_envelope_path');
    envelope = await options.callEnvelopePath(callEnvelope);
  }
  return { call, envelope };
}

/** §7.2 steps 4–6: the profile, the OAuth boundary check, oss-prod's prod key. Returns the profile. */
export function checkBoundary(call: ToolCall, options: Pick<McpProxyOptions, 'profile' | 'signingKey'> = {}): 'standard' | 'oss-prod' {
  const profile = parseProfile(options.profile);
  checkOAuthBoundary(call, profile);
  if (profile === 'oss-prod' && options.signingKey === undefined) throw invalidInput('oss-prod profile requires --key-mode prod');
  return profile;
}

/**
 * Evaluates one tool call at the boundary (the library form of `gait mcp proxy`). Throws
 * GaitError (invalid_input → exit 6) with Gait's messages for bad payloads and options.
 */
export async function evaluateToolCall(gate: Gate, payload: string | Uint8Array | object, options: McpProxyOptions = {}): Promise<McpProxyResult> {
  const clock = options.clock ?? (() => new Date());
  const started = clock().getTime();
  const adapterLabel = goTrim(options.adapter ?? 'mcp').toLowerCase();
  const { call, envelope } = await prepareToolCall(payload, options);
  const profile = checkBoundary(call, options);

  const producerVersion = options.producerVersion ?? VERSION;
  const now = options.now !== undefined ? toRfcTime(options.now, 'now') : toRfcTime(clock(), 'clock');
  const raw = toolCallIntent(call, profile);
  const evaluation = gate.evaluateRaw(raw, { producerVersion, contextEnvelope: envelope, now });
  const intent = evaluation.prepared;
  let outcome: Outcome = {
    verdict: evaluation.result.verdict,
    reason_codes: sortedUnique(evaluation.result.reason_codes),
    violations: sortedUnique(evaluation.result.violations),
  };

  const trustPolicy = gate.policy.mcp_trust;
  const trust: McpTrustDecision | undefined = await decideMcpTrust(
    trustPolicy, call.server ?? undefined, call.context.risk_class, clock(), options.readTrustSnapshot ?? unavailableSnapshot,
  );
  if (trust) outcome = applyMcpTrust(outcome, trust, trustPolicy.action);

  const stopWarnings = new Set<string>();
  const jobId = goTrim(call.context.job_id);
  if (jobId !== '') outcome = await emergencyStop(jobId, options.readJobState, outcome, stopWarnings);

  let signingKey: Uint8Array;
  if (options.signingKey !== undefined) signingKey = await privateKeyOf(await load(options.signingKey));
  else {
    signingKey = (await generateKeyPairAsync()).privateKey;
    stopWarnings.add(DEV_MODE_WARNING);
  }

  const traceId = computeTraceId(evaluation.policy_digest, evaluation.intent_digest, outcome.verdict);
  const record = buildTraceRecord({
    createdAt: evaluation.result.created_at,
    observedAt: formatRfc3339Nano(toRfcTime(clock(), 'clock'), true),
    producerVersion,
    traceId,
    intent,
    policyDigest: evaluation.policy_digest,
    intentDigest: evaluation.intent_digest,
    policyId: gate.policy.schema_id,
    policyVersion: gate.policy.schema_version,
    verdict: outcome.verdict,
    violations: outcome.violations,
    contextSource: evaluation.context_source,
    script: intent?.script !== undefined,
    stepCount: intent?.script?.steps.length ?? 0,
    scriptHash: evaluation.script_hash,
    compositeRiskClass: evaluation.composite_risk_class,
    stepVerdicts: evaluation.step_verdicts,
    delegationChainDigest: intent?.delegation ? delegationDigest(intent) : undefined,
    // No reasonCodes: Gait's boundary trace has no delegation_ref.reason_codes (observed).
    mcpTrust: trust as Record<string, unknown> | undefined,
  });
  const trace = await signTrace(record, signingKey);
  const tracePath = (await options.traceSink?.(trace)) || undefined;

  const warnings = sortedUnique(stopWarnings);
  const rawContext = call.context;
  if (profile === 'standard' && [rawContext.identity, rawContext.workspace, rawContext.session_id].some((v) => goTrim(v) === '')) {
    warnings.push(STANDARD_PROFILE_WARNING);
  }
  const runId = resolveRunId(options.runId, rawContext.run_id, () => callIntentDigest(raw), traceId);
  const latency = Math.max(0, Math.floor(clock().getTime() - started));
  const matched = trace.matched_rule_ids ?? [];

  const output: McpProxyOutput = {
    ok: true,
    executed: false,
    adapter: adapterLabel || undefined,
    run_id: runId,
    job_id: intent?.context.job_id || undefined,
    phase: intent?.context.phase || undefined,
    session_id: intent?.context.session_id || undefined,
    tool_name: intent?.tool_name || undefined,
    verdict: outcome.verdict,
    reason_codes: outcome.reason_codes.length ? outcome.reason_codes : undefined,
    violations: outcome.violations.length ? outcome.violations : undefined,
    policy_digest: evaluation.policy_digest || undefined,
    policy_id: gate.policy.schema_id || undefined,
    policy_version: gate.policy.schema_version || undefined,
    matched_rule_ids: matched.length ? [...matched] : undefined,
    intent_digest: evaluation.intent_digest || undefined,
    decision_latency_ms: latency || undefined,
    trace_id: traceId,
    trace_path: tracePath,
    log_export: undefined,
    otel_export: undefined,
    mcp_trust: trust,
    warnings: warnings.length ? warnings : undefined,
    relationship: trace.relationship as Record<string, unknown> | undefined,
  };

  const exports = options.exports;
  if (exports?.log || exports?.otel) {
    const delegationRef = trace.delegation_ref;
    const event: McpExportEvent = {
      created_at: evaluation.result.created_at,
      producer_version: producerVersion,
      run_id: runId,
      session_id: intent?.context.session_id ?? '',
      trace_id: traceId,
      trace_path: tracePath ?? '',
      tool_name: intent?.tool_name ?? '',
      verdict: outcome.verdict,
      reason_codes: outcome.reason_codes,
      policy_digest: evaluation.policy_digest,
      intent_digest: evaluation.intent_digest,
      decision_latency_ms: latency,
      delegation_ref: delegationRef ? delegationRef.delegation_token_ref || delegationRef.chain_digest || '' : '',
      delegation_depth: delegationRef?.delegation_depth ?? 0,
    };
    if (exports.log) {
      await exports.log.append(exportLogLine(event));
      output.log_export = exports.log.name;
    }
    if (exports.otel) {
      await exports.otel.append(exportOtelLine(event));
      output.otel_export = exports.otel.name;
    }
  }
  return { output: withoutUndefined(output), exit_code: verdictExitCode(outcome.verdict) as 0 | 3 | 4, trace, intent, call };
}

/**
 * The digest of the call's own intent, as normalized before the gate strips unverified context
 * claims or binds an envelope: what Gait's default run id is made from (observed: with an
 * envelope or an `auth_context.context_age_seconds` claim it differs from `intent_digest`).
 * '' when the intent cannot be normalized.
 */
function callIntentDigest(raw: RawIntent): string {
  try {
    return normalizeIntent(raw).intent_digest;
  } catch {
    return '';
  }
}

function withoutUndefined<T extends object>(value: T): T {
  for (const k of Object.keys(value) as (keyof T)[]) if (value[k] === undefined) delete value[k];
  return value;
}

