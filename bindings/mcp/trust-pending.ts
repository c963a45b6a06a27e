/**
 * TEMPORARY stand-in for bindings/mcp/trust.ts and exports.ts (branch mcp-trust) with the
 * contract's signatures, until that branch is merged. Trust enabled → fail closed.
 */
import { GaitError } from '../errors.js';
import type { PolicyMcpTrust, Verdict } from '../policy/model.js';
import type { McpExportEvent, McpServerInfo, McpTrustDecision, ReadTrustSnapshot } from './types.js';

export async function decideMcpTrust(
  trust: PolicyMcpTrust, _server: McpServerInfo | undefined, _riskClass: string, _now: Date, _read: ReadTrustSnapshot,
): Promise<McpTrustDecision | undefined> {
  if (!trust.enabled) return undefined;
  throw new GaitError('mcp trust is not implemented yet', 'internal_failure');
}

export function applyMcpTrust(
  current: { verdict: Verdict; reason_codes: string[]; violations: string[] }, _decision: McpTrustDecision, _action: string,
): { verdict: Verdict; reason_codes: string[]; violations: string[] } {
  return current;
}

export function exportLogLine(e: McpExportEvent): string {
  return JSON.stringify({
    created_at: e.created_at, producer_version: e.producer_version, run_id: e.run_id, session_id: e.session_id || undefined,
    trace_id: e.trace_id, trace_path: e.trace_path || undefined, tool_name: e.tool_name, verdict: e.verdict,
    reason_codes: e.reason_codes.length ? e.reason_codes : undefined, policy_digest: e.policy_digest, intent_digest: e.intent_digest,
    decision_latency_ms: e.decision_latency_ms || undefined, delegation_ref: e.delegation_ref || undefined,
    delegation_depth: e.delegation_depth || undefined,
  }) + '\n';
}

export function exportOtelLine(e: McpExportEvent): string {
  return JSON.stringify({
    attributes: {
      'gait.decision_latency_ms': e.decision_latency_ms, 'gait.delegation_depth': e.delegation_depth, 'gait.delegation_ref': e.delegation_ref,
      'gait.intent_digest': e.intent_digest, 'gait.policy_digest': e.policy_digest, 'gait.reason_codes': e.reason_codes.length ? e.reason_codes : null,
      'gait.run_id': e.run_id, 'gait.session_id': e.session_id, 'gait.tool_name': e.tool_name, 'gait.trace_path': e.trace_path, 'gait.verdict': e.verdict,
    },
    body: 'gait.mcp.proxy.decision', severity_text: 'INFO', time_unix_nano: Date.parse(e.created_at) * 1e6, trace_id: e.trace_id,
  }) + '\n';
}
