/**
 * The export lines of the tool-call boundary (mcp.md §11): one JSON line per evaluation for a
 * log file and one for an OpenTelemetry-style file. Both are written like Go's json.Marshal
 * (HTML-escaped); the log line is a struct (fixed key order, empty values omitted), the OTel line
 * a map (keys sorted at every level, every attribute kept).
 */
import type { McpExportEvent } from './types.js';
import { goJson } from '../canonical/go-json.js';
import { invalidInput } from '../errors.js';
import { parseRfc3339 } from '../time.js';

/** The log export line: JSON plus "\n". */
export function exportLogLine(e: McpExportEvent): string {
  const line: Record<string, unknown> = {
    created_at: e.created_at,
    producer_version: e.producer_version,
    run_id: e.run_id,
    session_id: e.session_id || undefined,
    trace_id: e.trace_id,
    trace_path: e.trace_path || undefined,
    tool_name: e.tool_name,
    verdict: e.verdict,
    reason_codes: e.reason_codes.length > 0 ? e.reason_codes : undefined,
    policy_digest: e.policy_digest,
    intent_digest: e.intent_digest,
    decision_latency_ms: e.decision_latency_ms || undefined,
    delegation_ref: e.delegation_ref || undefined,
    delegation_depth: e.delegation_depth || undefined,
  };
  return goJson(line, { sortKeys: false }) + '\n';
}

/** The OTel export line: JSON plus "\n". */
export function exportOtelLine(e: McpExportEvent): string {
  const line = {
    attributes: {
      'gait.decision_latency_ms': e.decision_latency_ms,
      'gait.delegation_depth': e.delegation_depth,
      'gait.delegation_ref': e.delegation_ref,
      'gait.intent_digest': e.intent_digest,
      'gait.policy_digest': e.policy_digest,
      'gait.reason_codes': e.reason_codes.length > 0 ? e.reason_codes : null,
      'gait.run_id': e.run_id,
      'gait.session_id': e.session_id,
      'gait.tool_name': e.tool_name,
      'gait.trace_path': e.trace_path,
      'gait.verdict': e.verdict,
    },
    body: 'gait.mcp.proxy.decision',
    severity_text: 'INFO',
    time_unix_nano: unixNanos(e.created_at),
    trace_id: e.trace_id,
  };
  return goJson(line, { sortKeys: true }) + '\n';
}

/** Go's `t.UnixNano()`: nanoseconds since 1970 as an int64, wrapping outside 1678..2262 as Go's does. */
function unixNanos(createdAt: string): bigint {
  let t;
  try {
    t = parseRfc3339(createdAt);
  } catch (err) {
    throw invalidInput(`export created_at: ${err instanceof Error ? err.message : String(err)}`);
  }
  return BigInt.asIntN(64, BigInt(t.epochSeconds) * 1_000_000_000n + BigInt(t.nanos));
}
