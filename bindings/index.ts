/**
 * gait-wasm's portable entry: everything but the runtime-specific loading of core.wasm. Each
 * runtime entry (node, deno, browser, workerd) re-exports this and adds a loader.
 */
export { instantiate, instantiateSync, createGate, type CoreSource, type GatePolicy } from './api.js';
export {
  compilePolicy, loadCompiledPolicy, verifyCompiledPolicy, isLoadedCompiledPolicy, CompiledPolicyError, COMPILED_POLICY_FORMAT_VERSION,
  type CompilePolicyOptions, type LoadCompiledPolicyOptions, type LoadedCompiledPolicy, type CompiledPolicyErrorCode,
} from './compiled/index.js';
export { Engine, EngineError, type LoadedPolicy } from './core/engine.js';
export { Gate, DecisionGate, type GateEvaluation, type GateResult, type GateVerdict, type StepVerdict, type EvaluateOptions, type WrkrInventory, type WrkrEntry } from './gate.js';
export { decide, decisionPayload, verdictExitCode, type Decision, type DecisionPayload, type DecideOptions } from './decision.js';
export { ToolAdapter, GateEnforcementError, GateEvaluationError, type AdapterOutcome, type AdapterMode, type JudgedIntent, type ToolAdapterOptions } from './adapter.js';
export {
  enforce, LIMIT_STORE_UNAVAILABLE, type EnforceOptions, type EnforceResult, type EnforceArtifact, type ArtifactSink,
  type CredentialBroker, type CredentialRequest, type IssuedCredential, type CredentialEvidenceRecord, type KeyInput, type Lazy, type TokenInput,
} from './enforce.js';
export { type LimitStore, type LimitRequest, type LimitCount, LimitStoreError } from './stores/types.js';
export { memoryLimitStore } from './stores/memory.js';
export { denoKvLimitStore, DEFAULT_KV_PREFIX, type DenoKvLimitStoreOptions, type KvLike, type KvAtomicLike, type KvKey, type KvKeyPart } from './stores/deno-kv.js';
export {
  mintApprovalToken, parseApprovalToken, serializeApprovalToken, validateApprovalToken, approvalContext,
  mintDelegationToken, parseDelegationToken, serializeDelegationToken, validateDelegationToken,
  mintRegistryEntry, parseRegistry, serializeRegistry, upsertRegistryEntry, verifyRegistry, verifyRegistryEntry,
  type ApprovalToken, type DelegationToken, type ApprovedScriptEntry, type ApprovedScriptRegistry,
  type MintApprovalTokenInput, type MintDelegationTokenInput, type MintRegistryEntryInput,
} from './tokens/index.js';
export { signTrace, verifyTrace, serializeTrace, type TraceRecord } from './crypto/trace.js';
export { generateKeyPair, keyId, encodePrivateKey, encodePublicKey, parsePrivateKey, parsePublicKey } from './crypto/keys.js';
export { GaitError, type ErrorCategory } from './errors.js';
export { parsePolicyYaml, policyDigest, formatPolicy, policyWarnings, type Policy, type Verdict } from './policy/index.js';
export type {
  NormalizedIntent, IntentRequest, IntentInput, IntentRequestFields, IntentRequestTarget, IntentRequestArgProvenance,
  IntentRequestSkillProvenance, IntentRequestDelegation, IntentRequestDelegationLink, IntentRequestContext, IntentRequestScript,
  IntentRequestScriptStep, IntentJsonObject, IntentTargetKind, IntentEndpointClass, IntentDiscoveryMethod, IntentProvenanceSource,
  IntentRiskClass,
} from './intent/index.js';
export { normalizeIntent, intentDigest, parseWrkrInventory } from './public.js';
export {
  parseContextEnvelope, isVerifiedContextEnvelope, contextEvidence, contextSetDigest,
  type ContextEnvelope, type ContextRecord, type ContextEvidence,
} from './context/envelope.js';
export { VERSION } from './version.js';
export {
  evaluateToolCall, prepareToolCall, checkBoundary, STANDARD_PROFILE_WARNING,
  type McpProxyOptions, type McpProxyResult, type McpExportTarget,
} from './mcp/proxy.js';
export { decodeToolCall, resolveAdapter, normalizeClaudeToolName, inferClaudeTargets } from './mcp/adapters.js';
export { toolCallIntent } from './mcp/call-intent.js';
export { normalizeRunId } from './mcp/run-id.js';
export { type ToolCall, type ToolCallTarget, type ToolCallContext } from './mcp/tool-call.js';
export type {
  McpAdapterName, McpServerInfo, McpTrustDecision, ReadTrustSnapshot, ReadJobState, McpExportEvent, McpProxyOutput,
} from './mcp/types.js';
export {
  decideMcpTrust, applyMcpTrust, mcpVerifyRiskClass, parseMcpTrustSnapshot, McpTrustSnapshotError, MCP_TRUST_VIOLATION,
  type McpTrustSnapshot, type McpTrustSnapshotEntry, type McpRegistryVerification,
} from './mcp/trust.js';
export { exportLogLine, exportOtelLine } from './mcp/exports.js';
export { verifyMcpServer, parseMcpServerDescription, type McpVerifyOutput, type McpVerifyResult, type McpVerifyOptions } from './mcp/verify.js';
export {
  createDecisionService, DEFAULT_MAX_REQUEST_BYTES, type DecisionService, type DecisionServiceOptions, type TraceTarget,
} from './mcp/decision-service.js';
export { simulatePolicies, testIntent, type SimulationReport, type SimulationChange, type PolicyTestOutcome, type IntentSource } from './policy/simulate.js';
export { policyErrorPosition, ruleLineRange, type TextPosition, type LineRange } from './ui-lib/policy-text.js';
