/**
 * The tool-call boundary's shared types (spec mcp.md): what the adapters, the trust check, the
 * proxy evaluation, the HTTP decision service and the framework integrations pass between them.
 * Objects whose key order is observable (HTTP bodies, mcp.md §10.5) declare their keys in that order.
 */
import type { Verdict } from '../policy/model.js';

/** The adapters Gait accepts (mcp.md §2); the name is trimmed and lowercased first. */
export type McpAdapterName = 'mcp' | 'openai' | 'anthropic' | 'claude_code' | 'langchain';

/** `server` of a ToolCall, or a server description for `gait mcp verify` (mcp.md §1, §9). */
export interface McpServerInfo {
  server_id: string;
  server_name: string;
  publisher: string;
  source: string;
  endpoint: string;
}

/** The `mcp_trust` object (mcp.md §6.5), keys in HTTP (struct) order; empty/0/false are omitted except `updated_at`. */
export interface McpTrustDecision {
  server_id?: string;
  server_name?: string;
  publisher?: string;
  source?: string;
  status: 'trusted' | 'missing' | 'invalid' | 'unknown' | 'untrusted' | 'stale' | 'below_threshold';
  decision_source?: string;
  score?: number;
  threshold?: number;
  /** Always present: `0001-01-01T00:00:00Z` when unknown. */
  updated_at: string;
  max_age_seconds?: number;
  required?: boolean;
  enforced?: boolean;
  registry_verified?: boolean;
  publisher_allowed?: boolean;
  reason_codes: string[];
}

/**
 * The trust-snapshot port: the snapshot's bytes for the policy's `mcp_trust.snapshot` path (read
 * on every evaluation, as Gait does). Rejecting means "unavailable" (mcp.md §5 step 2).
 */
export type ReadTrustSnapshot = (path: string) => Promise<string | Uint8Array>;

/**
 * The job-state port for the emergency stop (mcp.md §7.6): resolves the job's `status` and
 * `stop_reason`, or rejects with the reason it is unavailable (e.g. `job not found`), which
 * blocks the call. Absent: every call with a `job_id` is blocked (no job runtime).
 */
export type ReadJobState = (jobId: string) => Promise<{ status: string; stop_reason: string }>;

/** One export event (mcp.md §11), from which the log and OTel lines are written. */
export interface McpExportEvent {
  created_at: string;
  producer_version: string;
  run_id: string;
  session_id: string;
  trace_id: string;
  trace_path: string;
  tool_name: string;
  verdict: Verdict;
  reason_codes: string[];
  policy_digest: string;
  intent_digest: string;
  decision_latency_ms: number;
  delegation_ref: string;
  delegation_depth: number;
}

/**
 * The proxy's answer (mcp.md §8.1) in HTTP key order (§10.5); the CLI prints it sorted with a
 * `correlation_id`, the HTTP service appends `exit_code`. Optional keys are omitted when empty.
 */
export interface McpProxyOutput {
  ok: true;
  executed: false;
  adapter?: string;
  run_id: string;
  job_id?: string;
  phase?: string;
  session_id?: string;
  tool_name?: string;
  verdict: Verdict;
  reason_codes?: string[];
  violations?: string[];
  policy_digest?: string;
  policy_id?: string;
  policy_version?: string;
  matched_rule_ids?: string[];
  intent_digest?: string;
  decision_latency_ms?: number;
  trace_id?: string;
  trace_path?: string;
  log_export?: string;
  otel_export?: string;
  mcp_trust?: McpTrustDecision;
  warnings?: string[];
  relationship?: Record<string, unknown>;
}
