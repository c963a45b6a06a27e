/**
 * MCP server trust (mcp.md §5, §6): the local trust snapshot, the trust decision for a server
 * and how an enforced decision raises a verdict. Pure: the snapshot's bytes come through a
 * ReadTrustSnapshot port, read again on every decision as Gait does.
 */
import type { PolicyMcpTrust, Verdict } from '../policy/model.js';
import type { McpServerInfo, McpTrustDecision, ReadTrustSnapshot } from './types.js';
import { parseGoDuration } from '../policy/duration.js';
import { goTrim, trimLower, goLower } from '../canonical/text.js';
import { compareBytewise, sortedUnique } from '../canonical/order.js';
import { parseJsonTree } from '../intent/json-tree.js';
import { goDecode, BOOL, FLOAT64, STRING, TIME, type GoStruct } from '../intent/go-decode.js';
import { formatRfc3339Nano, isZeroTime, parseRfc3339, toUtc, ZERO_TIME, type RfcTime } from '../time.js';

export const MCP_TRUST_SNAPSHOT_SCHEMA_ID = 'gait.mcp.trust_snapshot';
export const MCP_TRUST_SNAPSHOT_SCHEMA_VERSION = '1.0.0';

/** An entry's registry evidence; only the four booleans decide anything. */
export interface McpRegistryVerification {
  pack_name: string;
  pack_version: string;
  digest: string;
  metadata_path: string;
  pin_path: string;
  pin_digest: string;
  pin_present: boolean;
  pin_verified: boolean;
  signature_verified: boolean;
  signature_error: string;
  publisher_allowed: boolean;
  publisher: string;
  source: string;
}

/** A snapshot entry after loading: identity, publisher, source and status normalized (§5 step 3). */
export interface McpTrustSnapshotEntry {
  /** lowercase(server_id), else lowercase(server_name): what a server is looked up by. */
  key: string;
  server_id: string;
  server_name: string;
  publisher: string;
  source: string;
  endpoint: string;
  status: string;
  /** ZERO_TIME when the entry has none. */
  updated_at: RfcTime;
  score: number;
  evidence_path: string;
  registry_verification: McpRegistryVerification | null;
}

export interface McpTrustSnapshot {
  schema_id: string;
  schema_version: string;
  created_at: RfcTime;
  producer_version: string;
  /** Sorted by key. */
  entries: McpTrustSnapshotEntry[];
}

/** A snapshot that is not valid (the boundary reports only `mcp_trust_snapshot_invalid`). */
export class McpTrustSnapshotError extends Error {}

const REGISTRY_VERIFICATION: GoStruct = {
  name: 'RegistryVerification',
  pkg: 'mcp',
  fields: {
    pack_name: STRING, pack_version: STRING, digest: STRING, metadata_path: STRING, pin_path: STRING, pin_digest: STRING,
    pin_present: BOOL, pin_verified: BOOL, signature_verified: BOOL, signature_error: STRING, publisher_allowed: BOOL,
    publisher: STRING, source: STRING,
  },
  zero: () => ({
    pack_name: '', pack_version: '', digest: '', metadata_path: '', pin_path: '', pin_digest: '', pin_present: false,
    pin_verified: false, signature_verified: false, signature_error: '', publisher_allowed: false, publisher: '', source: '',
  }),
};

const SNAPSHOT_ENTRY: GoStruct = {
  name: 'TrustSnapshotEntry',
  pkg: 'mcp',
  fields: {
    server_id: STRING, server_name: STRING, publisher: STRING, source: STRING, endpoint: STRING, status: STRING,
    updated_at: TIME, score: FLOAT64, evidence_path: STRING,
    registry_verification: { t: 'struct', spec: REGISTRY_VERIFICATION, ptr: true },
  },
  zero: () => ({
    server_id: '', server_name: '', publisher: '', source: '', endpoint: '', status: '', updated_at: null, score: 0,
    evidence_path: '', registry_verification: null,
  }),
};

const SNAPSHOT: GoStruct = {
  name: 'TrustSnapshot',
  pkg: 'mcp',
  fields: { schema_id: STRING, schema_version: STRING, created_at: TIME, producer_version: STRING, entries: { t: 'slice', spec: SNAPSHOT_ENTRY } },
  zero: () => ({ schema_id: '', schema_version: '', created_at: null, producer_version: '', entries: [] }),
};

// Go's decoder nests 10000 levels deep; the snapshot's meaningful depth is 4.
const MAX_SNAPSHOT_DEPTH = 10000;

/** What goDecode fills in: times as their validated text, null when unset. */
interface RawEntry extends Omit<McpTrustSnapshotEntry, 'key' | 'updated_at'> {
  updated_at: string | null;
}
interface RawSnapshot {
  schema_id: string;
  schema_version: string;
  created_at: string | null;
  producer_version: string;
  entries: RawEntry[];
}

const timeOrZero = (text: string | null): RfcTime => (text === null ? ZERO_TIME : toUtc(parseRfc3339(text)));

/**
 * Parses a trust snapshot (§5): Go-lenient JSON (unknown keys dropped, case-insensitive keys),
 * the schema check, entry normalization and the identity checks. Throws McpTrustSnapshotError.
 */
export function parseMcpTrustSnapshot(input: string | Uint8Array): McpTrustSnapshot {
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { ignoreBOM: true }).decode(input);
  let raw: RawSnapshot;
  try {
    const tree = parseJsonTree(text, MAX_SNAPSHOT_DEPTH, 'exceeded max depth');
    raw = goDecode(tree, { t: 'struct', spec: SNAPSHOT, ptr: false }, SNAPSHOT.zero()) as RawSnapshot;
  } catch (err) {
    throw new McpTrustSnapshotError(`parse trust snapshot: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (raw.schema_id !== '' && raw.schema_id !== MCP_TRUST_SNAPSHOT_SCHEMA_ID) {
    throw new McpTrustSnapshotError(`unsupported trust snapshot schema_id ${JSON.stringify(raw.schema_id)}`);
  }
  if (raw.schema_version !== '' && raw.schema_version !== MCP_TRUST_SNAPSHOT_SCHEMA_VERSION) {
    throw new McpTrustSnapshotError(`unsupported trust snapshot schema_version ${JSON.stringify(raw.schema_version)}`);
  }
  const seen = new Map<string, number>();
  const entries = raw.entries.map((e, i): McpTrustSnapshotEntry => {
    const serverId = goTrim(e.server_id);
    const serverName = goTrim(e.server_name);
    const key = goLower(serverId !== '' ? serverId : serverName);
    if (key === '') throw new McpTrustSnapshotError(`trust snapshot entry[${i}] requires server_id or server_name`);
    const first = seen.get(key);
    if (first !== undefined) {
      throw new McpTrustSnapshotError(`trust snapshot contains duplicate server identity ${JSON.stringify(key)} at entries[${first}] and entries[${i}]`);
    }
    seen.set(key, i);
    return {
      key,
      server_id: serverId,
      server_name: serverName,
      publisher: trimLower(e.publisher),
      source: trimLower(e.source),
      endpoint: e.endpoint,
      status: trimLower(e.status),
      updated_at: timeOrZero(e.updated_at),
      score: e.score,
      evidence_path: goTrim(e.evidence_path),
      registry_verification: e.registry_verification,
    };
  });
  entries.sort((a, b) => compareBytewise(a.key, b.key));
  return {
    schema_id: raw.schema_id || MCP_TRUST_SNAPSHOT_SCHEMA_ID,
    schema_version: raw.schema_version || MCP_TRUST_SNAPSHOT_SCHEMA_VERSION,
    created_at: timeOrZero(raw.created_at),
    producer_version: raw.producer_version,
    entries,
  };
}

export const MCP_TRUST_REASONS = {
  verified: 'mcp_trust_verified',
  identifierMissing: 'mcp_trust_identifier_missing',
  snapshotInvalid: 'mcp_trust_snapshot_invalid',
  snapshotUnavailable: 'mcp_trust_snapshot_unavailable',
  serverUnknown: 'mcp_trust_server_unknown',
  statusUntrusted: 'mcp_trust_status_untrusted',
  publisherUntrusted: 'mcp_trust_publisher_untrusted',
  registryUnverified: 'mcp_trust_registry_unverified',
  stale: 'mcp_trust_stale',
  belowThreshold: 'mcp_trust_below_threshold',
} as const;

/** The violation an enforced decision adds. */
export const MCP_TRUST_VIOLATION = 'mcp_trust_policy';

const TRUSTED_STATUSES = ['trusted', 'allow', 'pass'];

/** The status a failed decision reports: the first failure in collection order decides (§6.2 step 7). */
const FAILURE_STATUS: ReadonlyMap<string, McpTrustDecision['status']> = new Map([
  [MCP_TRUST_REASONS.statusUntrusted, 'untrusted'],
  [MCP_TRUST_REASONS.publisherUntrusted, 'untrusted'],
  [MCP_TRUST_REASONS.registryUnverified, 'invalid'],
  [MCP_TRUST_REASONS.stale, 'stale'],
  [MCP_TRUST_REASONS.belowThreshold, 'below_threshold'],
]);

/** What the decision is built from, before the HTTP-ordered object with its omissions is made. */
interface DecisionFields {
  server_id: string;
  server_name: string;
  publisher: string;
  source: string;
  status: McpTrustDecision['status'];
  decision_source: string;
  score: number;
  threshold: number;
  updated_at: RfcTime;
  max_age_seconds: number;
  required: boolean;
  enforced: boolean;
  registry_verified: boolean;
  publisher_allowed: boolean;
  reason_codes: string[];
}

/** The `mcp_trust` object in HTTP key order, empty/0/false omitted except `updated_at` (§6.5). */
function decisionObject(f: DecisionFields): McpTrustDecision {
  const out: Partial<McpTrustDecision> = {};
  if (f.server_id !== '') out.server_id = f.server_id;
  if (f.server_name !== '') out.server_name = f.server_name;
  if (f.publisher !== '') out.publisher = f.publisher;
  if (f.source !== '') out.source = f.source;
  out.status = f.status;
  if (f.decision_source !== '') out.decision_source = f.decision_source;
  if (f.score !== 0) out.score = f.score;
  if (f.threshold !== 0) out.threshold = f.threshold;
  out.updated_at = formatRfc3339Nano(f.updated_at, true);
  if (f.max_age_seconds !== 0) out.max_age_seconds = f.max_age_seconds;
  if (f.required) out.required = true;
  if (f.enforced) out.enforced = true;
  if (f.registry_verified) out.registry_verified = true;
  if (f.publisher_allowed) out.publisher_allowed = true;
  out.reason_codes = f.reason_codes;
  return out as McpTrustDecision;
}

/** `max_age` in nanoseconds; 0 when empty, unparsable or not positive. */
function maxAgeNanos(maxAge: string): bigint {
  const text = goTrim(maxAge);
  if (text === '') return 0n;
  try {
    const d = parseGoDuration(text);
    return d > 0n ? d : 0n;
  } catch {
    return 0n; // a normalized policy cannot hold one; an unchecked section gets no age limit, as Gait's
  }
}

const epochNanos = (t: RfcTime): bigint => BigInt(t.epochSeconds) * 1_000_000_000n + BigInt(t.nanos);

/**
 * The trust decision for a server (§6.2), or undefined when the policy's `mcp_trust` is not
 * enabled. `riskClass` decides `required` (§6.4: the raw call risk class for the proxy,
 * mcpVerifyRiskClass for `mcp verify`). Never throws for a bad snapshot: a read failure is
 * `missing`/`mcp_trust_snapshot_unavailable`, a bad snapshot `invalid`/`mcp_trust_snapshot_invalid`.
 */
export async function decideMcpTrust(
  trust: PolicyMcpTrust,
  server: McpServerInfo | undefined,
  riskClass: string,
  now: Date,
  read: ReadTrustSnapshot,
): Promise<McpTrustDecision | undefined> {
  if (!trust.enabled) return undefined;
  const maxAge = maxAgeNanos(trust.max_age);
  const risk = trimLower(riskClass);
  const f: DecisionFields = {
    server_id: goTrim(server?.server_id ?? ''),
    server_name: goTrim(server?.server_name ?? ''),
    publisher: trimLower(server?.publisher ?? ''),
    source: trimLower(server?.source ?? ''),
    status: 'missing',
    decision_source: goTrim(trust.snapshot),
    score: 0,
    threshold: trust.min_score,
    updated_at: ZERO_TIME,
    max_age_seconds: Number(maxAge / 1_000_000_000n),
    required: trust.required_risk_classes.some((c) => trimLower(c) === risk),
    enforced: false,
    registry_verified: false,
    publisher_allowed: false,
    reason_codes: [],
  };
  const stop = (status: McpTrustDecision['status'], reason: string): McpTrustDecision =>
    decisionObject({ ...f, status, reason_codes: [reason], enforced: f.required });

  const key = goLower(f.server_id !== '' ? f.server_id : f.server_name);
  if (key === '') return stop('missing', MCP_TRUST_REASONS.identifierMissing);

  let bytes: string | Uint8Array;
  try {
    bytes = await read(f.decision_source);
  } catch {
    return stop('missing', MCP_TRUST_REASONS.snapshotUnavailable);
  }
  let snapshot: McpTrustSnapshot;
  try {
    snapshot = parseMcpTrustSnapshot(bytes);
  } catch (err) {
    if (err instanceof McpTrustSnapshotError) return stop('invalid', MCP_TRUST_REASONS.snapshotInvalid);
    throw err;
  }
  const entry = snapshot.entries.find((e) => e.key === key);
  if (!entry) return stop('unknown', MCP_TRUST_REASONS.serverUnknown);

  f.server_id = entry.server_id;
  f.server_name = entry.server_name;
  f.publisher = entry.publisher;
  f.source = entry.source;
  f.score = entry.score;
  f.updated_at = entry.updated_at;
  if (entry.evidence_path !== '') f.decision_source = entry.evidence_path;

  const failures: string[] = [];
  if (entry.status !== '' && !TRUSTED_STATUSES.includes(entry.status)) failures.push(MCP_TRUST_REASONS.statusUntrusted);
  if (trust.publisher_allowlist.length > 0) {
    f.publisher_allowed = trust.publisher_allowlist.some((p) => trimLower(p) === entry.publisher);
    if (!f.publisher_allowed) failures.push(MCP_TRUST_REASONS.publisherUntrusted);
  }
  if (trust.require_registry) {
    const rv = entry.registry_verification;
    f.registry_verified = rv !== null && rv.signature_verified && rv.publisher_allowed && (!rv.pin_present || rv.pin_verified);
    if (!f.registry_verified) failures.push(MCP_TRUST_REASONS.registryUnverified);
  }
  if (maxAge > 0n && (isZeroTime(entry.updated_at) || epochNanos(entry.updated_at) + maxAge < BigInt(now.getTime()) * 1_000_000n)) {
    failures.push(MCP_TRUST_REASONS.stale);
  }
  if (trust.min_score > 0 && entry.score < trust.min_score) failures.push(MCP_TRUST_REASONS.belowThreshold);

  if (failures.length === 0) return decisionObject({ ...f, status: 'trusted', reason_codes: [MCP_TRUST_REASONS.verified] });
  return decisionObject({ ...f, status: FAILURE_STATUS.get(failures[0]!)!, reason_codes: sortedUnique(failures), enforced: f.required });
}

/**
 * The risk class `gait mcp verify` decides `required` with (§6.4): the flag (trimmed,
 * lowercased) when not blank; else the policy's most severe required class (critical < high <
 * medium < low < anything else; ties keep the earlier entry); `high` for an empty list.
 */
export function mcpVerifyRiskClass(trust: PolicyMcpTrust, flag = ''): string {
  const given = trimLower(flag);
  if (given !== '') return given;
  const rank = (c: string): number => ({ critical: 0, high: 1, medium: 2, low: 3 } as Record<string, number>)[c] ?? 5;
  let best = '';
  for (const c of trust.required_risk_classes) {
    const candidate = trimLower(c);
    if (best === '' || rank(candidate) < rank(best)) best = candidate;
  }
  return best === '' ? 'high' : best;
}

/**
 * Combines a trust decision with the gate's result (§6.3): the decision's reasons always join the
 * reason codes (sorted union); an enforced decision raises the verdict towards `action` and adds
 * the `mcp_trust_policy` violation. The raise keeps a current `block` or `dry_run` (Gait's quirk:
 * `dry_run` is never raised), else `block` wins, else `require_approval`.
 */
export function applyMcpTrust(
  current: { verdict: Verdict; reason_codes: string[]; violations: string[] },
  decision: McpTrustDecision,
  action: string,
): { verdict: Verdict; reason_codes: string[]; violations: string[] } {
  const reason_codes = mergeCodes(current.reason_codes, decision.reason_codes);
  if (!decision.enforced) return { verdict: current.verdict, reason_codes, violations: [...current.violations] };
  return {
    verdict: raiseVerdict(current.verdict, trimLower(action) === 'require_approval' ? 'require_approval' : 'block'),
    reason_codes,
    violations: mergeCodes(current.violations, [MCP_TRUST_VIOLATION]),
  };
}

function raiseVerdict(current: Verdict, action: Verdict): Verdict {
  if (current === 'block' || current === 'dry_run') return current;
  if (action === 'block') return 'block';
  if (current === 'require_approval') return current;
  return action === 'require_approval' ? 'require_approval' : current;
}

/** Union of two code lists: trimmed, empties dropped, sorted byte-wise, de-duplicated. */
function mergeCodes(a: readonly string[], b: readonly string[]): string[] {
  return sortedUnique([...a, ...b].map(goTrim).filter((c) => c !== ''));
}
