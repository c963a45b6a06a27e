/**
 * Gait's project defaults file, `.gait/config.yaml` (signed_artifacts.md §1.7, cli.md §2.2):
 * text -> typed defaults, and the defaults applied to `gate eval`'s flags. Pure (no I/O); the
 * file is read by project-config-node.ts.
 *
 * Established against Gait v1.3.6:
 * - Non-strict decoding: unknown keys and sections are ignored, but the three known sections
 *   (`gate`, `mcp_serve`, `retention`) are type-checked as Go structs, so `mcp_serve.enabled: yes`
 *   fails a `gate eval` too. Keys are case-sensitive. Of several YAML documents the first is used.
 * - Text that is only whitespace is an empty config; a document that is a written `null` is an error.
 * - Every string value is trimmed. Relative paths stay relative to the working directory, not to
 *   the config file.
 * - A value fills a flag only when the flag is empty after trimming (`--profile ' '` is empty).
 */
import { YamlSource, YAML_ERROR_PREFIX } from './policy/yaml-source.js';
import { decodeDocument } from './policy/decode.js';
import type { Struct } from './policy/schema.js';
import { goTrim } from './canonical/text.js';

export const DEFAULT_PROJECT_CONFIG_PATH = '.gait/config.yaml';

/** The `gate:` section: defaults for `gait gate eval`. */
export interface GateDefaults {
  policy: string;
  profile: string;
  key_mode: string;
  private_key: string;
  private_key_env: string;
  approval_public_key: string;
  approval_public_key_env: string;
  approval_private_key: string;
  approval_private_key_env: string;
  rate_limit_state: string;
  credential_broker: string;
  credential_env_prefix: string;
  credential_ref: string;
  credential_scopes: string;
  credential_command: string;
  credential_command_args: string;
  credential_evidence_path: string;
  trace_path: string;
  wrkr_inventory_path: string;
}

/** The `mcp_serve:` section (read by Gait's `mcp serve`; checked here only because Gait decodes it). */
export interface McpServeDefaults {
  enabled: boolean;
  listen: string;
  auth_mode: string;
  auth_token_env: string;
  max_request_bytes: number;
  http_verdict_status: string;
  allow_client_artifact_paths: boolean;
}

/** The `retention:` section (durations as written; not validated on load). */
export interface RetentionDefaults {
  trace_ttl: string;
  session_ttl: string;
  export_ttl: string;
}

export interface ProjectConfig {
  gate: GateDefaults;
  mcp_serve: McpServeDefaults;
  retention: RetentionDefaults;
}

export type ProjectConfigResult = { ok: true; config: ProjectConfig } | { ok: false; error: string };

/** `gate eval` flag -> `gate:` key it falls back to. No key exists for delegation or approved-script flags. */
export const GATE_FLAG_DEFAULTS: ReadonlyArray<readonly [flag: string, key: keyof GateDefaults]> = [
  ['policy', 'policy'],
  ['profile', 'profile'],
  ['key-mode', 'key_mode'],
  ['private-key', 'private_key'],
  ['private-key-env', 'private_key_env'],
  ['approval-public-key', 'approval_public_key'],
  ['approval-public-key-env', 'approval_public_key_env'],
  ['approval-private-key', 'approval_private_key'],
  ['approval-private-key-env', 'approval_private_key_env'],
  ['rate-limit-state', 'rate_limit_state'],
  ['credential-broker', 'credential_broker'],
  ['credential-env-prefix', 'credential_env_prefix'],
  ['credential-ref', 'credential_ref'],
  ['credential-scopes', 'credential_scopes'],
  ['credential-command', 'credential_command'],
  ['credential-command-args', 'credential_command_args'],
  ['credential-evidence-out', 'credential_evidence_path'],
  ['trace-out', 'trace_path'],
  ['wrkr-inventory', 'wrkr_inventory_path'],
];

const zeroGate = (): GateDefaults =>
  Object.fromEntries(GATE_FLAG_DEFAULTS.map(([, key]) => [key, ''])) as unknown as GateDefaults;
const zeroMcpServe = (): McpServeDefaults => ({
  enabled: false, listen: '', auth_mode: '', auth_token_env: '', max_request_bytes: 0, http_verdict_status: '',
  allow_client_artifact_paths: false,
});
const zeroRetention = (): RetentionDefaults => ({ trace_ttl: '', session_ttl: '', export_ttl: '' });

const GATE: Struct = { zero: zeroGate, fields: Object.fromEntries(GATE_FLAG_DEFAULTS.map(([, key]) => [key, 'string'])) };
const MCP_SERVE: Struct = {
  zero: zeroMcpServe,
  fields: {
    enabled: 'bool', listen: 'string', auth_mode: 'string', auth_token_env: 'string', max_request_bytes: 'int',
    http_verdict_status: 'string', allow_client_artifact_paths: 'bool',
  },
};
const RETENTION: Struct = { zero: zeroRetention, fields: { trace_ttl: 'string', session_ttl: 'string', export_ttl: 'string' } };
const CONFIG: Struct = {
  zero: () => ({ gate: zeroGate(), mcp_serve: zeroMcpServe(), retention: zeroRetention() }),
  fields: { gate: GATE, mcp_serve: MCP_SERVE, retention: RETENTION },
};

const PARSE_PREFIX = 'parse project config: ';
/** Gait reads the file whole; this bounds the work on hostile text (4 MiB, as for policies). */
export const MAX_PROJECT_CONFIG_BYTES = 4 * 1024 * 1024;

export function emptyProjectConfig(): ProjectConfig {
  return CONFIG.zero() as ProjectConfig;
}

/** Parse the text of a project config file. Errors are returned, never thrown. */
export function parseProjectConfig(text: string): ProjectConfigResult {
  if (text.length > MAX_PROJECT_CONFIG_BYTES) {
    return { ok: false, error: `project config exceeds maximum size of ${MAX_PROJECT_CONFIG_BYTES} bytes` };
  }
  if (goTrim(text) === '') return { ok: true, config: emptyProjectConfig() };
  let decoded: Record<string, unknown>;
  try {
    const src = YamlSource.parse(text, { firstDocumentOnly: true });
    const problem = src.firstProblem();
    if (problem) throw problem;
    decoded = decodeDocument(src, CONFIG, { strict: false, rootName: 'config' });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // The YAML layer words its errors for policies; the position and detail are the same.
    const detail = message.startsWith(YAML_ERROR_PREFIX) ? message.slice(YAML_ERROR_PREFIX.length) : message;
    return { ok: false, error: PARSE_PREFIX + detail };
  }
  const config = decoded as unknown as ProjectConfig;
  for (const section of [config.gate, config.mcp_serve, config.retention] as unknown as Record<string, unknown>[]) {
    for (const [key, value] of Object.entries(section)) if (typeof value === 'string') section[key] = goTrim(value);
  }
  config.mcp_serve.auth_mode = config.mcp_serve.auth_mode.toLowerCase();
  config.mcp_serve.http_verdict_status = config.mcp_serve.http_verdict_status.toLowerCase();
  return { ok: true, config };
}

/**
 * `gate eval`'s string flags with the `gate:` defaults applied, as Gait does: a flag that is
 * missing or blank is replaced by the config value, even an empty one (so `--policy ' '` becomes
 * missing when a config is read, and stays a path to open under `--no-config`). A missing flag
 * stays missing when the value is empty. Returns a new map; `flags` is not changed.
 */
export function applyGateDefaults(flags: ReadonlyMap<string, string>, gate: GateDefaults): Map<string, string> {
  const out = new Map(flags);
  for (const [flag, key] of GATE_FLAG_DEFAULTS) {
    const given = out.get(flag);
    if (given === undefined ? gate[key] !== '' : goTrim(given) === '') out.set(flag, gate[key]);
  }
  return out;
}
