/** Run ids (mcp.md §8.2). */
import { goTrim } from '../canonical/text.js';

/**
 * Gait's normalizeRunID: trimmed, every run of characters outside `[A-Za-z0-9_-]` becomes `_`,
 * outer `_` trimmed, `run_` prefixed unless present; '' stays ''.
 */
export function normalizeRunId(value: string): string {
  const cleaned = goTrim(value).replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '');
  if (cleaned === '') return '';
  return cleaned.startsWith('run_') ? cleaned : `run_${cleaned}`;
}

/**
 * The run id of an evaluation: the override, else the call's `context.run_id`, else `run_mcp_` +
 * 12 hex of the call's intent digest (computed only then). An intent that could not be
 * normalized (a fail-closed block, spec README decision 2; Gait errors instead) has no digest:
 * the trace id's hex is used.
 */
export function resolveRunId(override: string | undefined, callRunId: string, intentDigest: () => string, traceId = ''): string {
  return normalizeRunId(override ?? '') || normalizeRunId(callRunId) || `run_mcp_${(intentDigest() || traceId).slice(0, 12)}`;
}
