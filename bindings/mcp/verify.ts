/**
 * `gait mcp verify` as a library call (mcp.md §9): the trust preflight for a server description,
 * without a tool call, a gate evaluation or a trace.
 */
import type { Policy, Verdict } from '../policy/model.js';
import type { McpServerInfo, McpTrustDecision, ReadTrustSnapshot } from './types.js';
import { decideMcpTrust, mcpVerifyRiskClass, MCP_TRUST_VIOLATION } from './trust.js';
import { goTrim } from '../canonical/text.js';
import { parseJsonTree } from '../intent/json-tree.js';
import { goDecode, STRING, type GoStruct } from '../intent/go-decode.js';
import { invalidInput } from '../errors.js';

/** The answer in Gait's shape (the CLI prints it sorted with a `correlation_id`). */
export interface McpVerifyOutput {
  ok: boolean;
  server_id?: string;
  server_name?: string;
  trust_model?: 'local_snapshot';
  snapshot_path?: string;
  verdict: Verdict;
  reason_codes?: string[];
  violations?: string[];
  mcp_trust?: McpTrustDecision;
}

export interface McpVerifyResult {
  output: McpVerifyOutput;
  /** 0 allow, 3 block, 4 require_approval. */
  exit_code: 0 | 3 | 4;
}

export interface McpVerifyOptions {
  /** `--risk-class`; blank: the policy's most severe required class (mcp.md §6.4). */
  riskClass?: string;
  now?: Date;
  /** Absent: the snapshot is unavailable (an enforced `missing` decision when required). */
  readTrustSnapshot?: ReadTrustSnapshot;
}

const SERVER_INFO: GoStruct = {
  name: 'ServerInfo',
  pkg: 'mcp',
  fields: { server_id: STRING, server_name: STRING, publisher: STRING, source: STRING, endpoint: STRING },
  zero: () => ({ server_id: '', server_name: '', publisher: '', source: '', endpoint: '' }),
};

const MAX_DEPTH = 10000; // Go's decoder limit

/**
 * A server description file (`{server_id, server_name, publisher, source, endpoint}`), decoded
 * as Go does (unknown keys dropped, case-insensitive keys). Throws GaitError (invalid input):
 * `parse server description: <go error>`, or `server description requires server_id or server_name`.
 */
export function parseMcpServerDescription(input: string | Uint8Array): McpServerInfo {
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { ignoreBOM: true }).decode(input);
  let server: McpServerInfo;
  try {
    server = goDecode(parseJsonTree(text, MAX_DEPTH, 'exceeded max depth'), { t: 'struct', spec: SERVER_INFO, ptr: false }, SERVER_INFO.zero()) as McpServerInfo;
  } catch (err) {
    throw invalidInput(`parse server description: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (goTrim(server.server_id) === '' && goTrim(server.server_name) === '') {
    throw invalidInput('server description requires server_id or server_name');
  }
  return server;
}

const nonEmpty = (s: string | undefined): string | undefined => (s ? s : undefined);

/** The trust preflight (mcp.md §9) for a parsed policy and server description. */
export async function verifyMcpServer(policy: Policy, server: McpServerInfo, options: McpVerifyOptions = {}): Promise<McpVerifyResult> {
  const trust = policy.mcp_trust;
  const riskClass = mcpVerifyRiskClass(trust, options.riskClass ?? '');
  const unavailable: ReadTrustSnapshot = () => Promise.reject(new Error('no trust snapshot reader'));
  const decision = await decideMcpTrust(trust, server, riskClass, options.now ?? new Date(), options.readTrustSnapshot ?? unavailable);
  if (!decision) {
    return {
      output: { ok: true, server_id: nonEmpty(goTrim(server.server_id)), server_name: nonEmpty(goTrim(server.server_name)), verdict: 'allow' },
      exit_code: 0,
    };
  }
  const snapshotPath = goTrim(trust.snapshot);
  const base = {
    server_id: decision.server_id,
    server_name: decision.server_name,
    trust_model: snapshotPath !== '' ? ('local_snapshot' as const) : undefined,
    snapshot_path: nonEmpty(snapshotPath),
  };
  if (!decision.enforced) {
    return { output: { ok: true, ...base, verdict: 'allow', reason_codes: decision.reason_codes, mcp_trust: decision }, exit_code: 0 };
  }
  const approval = goTrim(trust.action).toLowerCase() === 'require_approval';
  return {
    output: {
      ok: false,
      ...base,
      verdict: approval ? 'require_approval' : 'block',
      reason_codes: decision.reason_codes,
      violations: [MCP_TRUST_VIOLATION],
      mcp_trust: decision,
    },
    exit_code: approval ? 4 : 3,
  };
}
