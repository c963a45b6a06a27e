/**
 * The boundary between the TypeScript bindings and the WebAssembly core: word offsets of the
 * compiled-policy, encoded-intent and result buffers. This file is compiled by both TypeScript and
 * AssemblyScript (plain integer constants only), so the two sides cannot drift apart.
 *
 * All buffers are little-endian i32 words. "List" = a word offset (relative to the buffer's base)
 * of a block `count, item0, item1, ...`. Strings are interned to ids at policy-compile time; ids
 * are assigned in byte-wise string order, so sorting ids sorts the strings. Id 0 = absent/unknown.
 */

// Verdicts, by restrictiveness (allow < dry_run < require_approval < block).
export const V_ALLOW = 0;
export const V_DRY_RUN = 1;
export const V_REQUIRE_APPROVAL = 2;
export const V_BLOCK = 3;
/** Sub-block action not set (endpoint.destructive_action). */
export const V_NONE = -1;

export const POLICY_MAGIC = 0x31544147; // "GAT1"

// Compiled policy header.
export const P_MAGIC = 0;
export const P_RULE_COUNT = 1;
export const P_DEFAULT_VERDICT = 2;
export const P_FC_ENABLED = 3;
export const P_FC_REQUIRED = 4; // bitmask of FC_REQ_*
export const P_FC_RISK = 5; // list of risk-class ids
export const P_SCRIPT_MAX_STEPS = 6;
export const P_SCRIPT_APPROVAL_ABOVE = 7;
export const P_SCRIPT_BLOCK_MIXED = 8;
export const P_RULES = 9; // list of rule record offsets, in normalized order
// Rule indexes: each rule is filed under one equality selector (its most selective), as
// `count, (valueId, ruleListOffset)*` sorted by valueId; lists hold rule indices in rule order.
export const P_IDX_TOOL = 10; // match.tool_names vs the subject's tool
export const P_WILDCARD = 11; // list of rule indices filed under no index
export const P_BUILTINS = 12; // block of BUILTIN_COUNT ids, indexed by B_*
export const P_EMPTY = 13; // an empty list
export const P_IDX_IDENTITY = 14; // match.identities vs context.identity
export const P_IDX_TARGET_VALUE = 15; // match.target_values vs any target's value
export const P_IDX_RISK = 16; // match.risk_classes vs context.risk_class
// match.workspace_prefixes: `count, (byteOffset, byteLength, ruleListOffset)*` sorted byte-wise by
// prefix, and the list of their distinct byte lengths (ascending): a lookup is one binary search
// per length for the workspace's own prefix of that length.
export const P_IDX_WORKSPACE = 17;
export const P_IDX_WORKSPACE_LENGTHS = 18;
export const P_HEADER_WORDS = 19;

export const FC_REQ_TARGETS = 1;
export const FC_REQ_ARG_PROVENANCE = 2;
export const FC_REQ_ENDPOINT_CLASS = 4;
export const FC_REQ_DELEGATION = 8;
export const FC_REQ_CONTEXT_EVIDENCE = 16;

// Built-in strings the core needs to recognise or emit. The compiler interns each and writes its
// id into the P_BUILTINS block at the index below; BUILTIN_STRINGS (bindings/core/builtins.ts)
// lists them in this order.
export const B_DEFAULT_ALLOW = 0;
export const B_DEFAULT_DRY_RUN = 1;
export const B_DEFAULT_REQUIRE_APPROVAL = 2;
export const B_DEFAULT_BLOCK = 3;
export const B_FAIL_CLOSED_INTENT_INVALID = 4;
export const B_INTENT_NOT_EVALUABLE = 5;
export const B_FC_MISSING_TARGETS = 6;
export const B_MISSING_TARGETS = 7;
export const B_FC_MISSING_ARG_PROVENANCE = 8;
export const B_MISSING_ARG_PROVENANCE = 9;
export const B_FC_MISSING_ENDPOINT_CLASS = 10;
export const B_MISSING_ENDPOINT_CLASS = 11;
export const B_FC_MISSING_DELEGATION = 12;
export const B_MISSING_DELEGATION = 13;
export const B_CONTEXT_EVIDENCE_MISSING = 14;
export const B_MISSING_CONTEXT_EVIDENCE = 15;
export const B_FC_ENDPOINT_CLASS_UNKNOWN = 16;
export const B_ENDPOINT_CLASS_UNKNOWN = 17;
export const B_CONTEXT_SET_DIGEST_MISSING = 18;
export const B_CONTEXT_EVIDENCE_MODE_MISMATCH = 19;
export const B_CONTEXT_EVIDENCE_MODE_VIOLATION = 20;
export const B_CONTEXT_FRESHNESS_EXCEEDED = 21;
export const B_CONTEXT_FRESHNESS_VIOLATION = 22;
export const B_ENDPOINT_PATH_DENIED = 23;
export const B_ENDPOINT_PATH_NOT_ALLOWLISTED = 24;
export const B_ENDPOINT_DOMAIN_DENIED = 25;
export const B_ENDPOINT_DOMAIN_NOT_ALLOWLISTED = 26;
export const B_ENDPOINT_EGRESS_CLASS_NOT_ALLOWED = 27;
export const B_ENDPOINT_DESTRUCTIVE_OPERATION = 28;
export const B_DESTRUCTIVE_OPERATION = 29;
export const B_PLAN_PHASE_NON_DESTRUCTIVE = 30;
export const B_DESTRUCTIVE_APPLY_REQUIRES_APPROVAL = 31;
export const B_SCRIPT_MAX_STEPS_EXCEEDED = 32;
export const B_SCRIPT_STEP_THRESHOLD_APPROVAL = 33;
export const B_SCRIPT_MIXED_RISK_BLOCKED = 34;
export const B_SCRIPT_MIXED_RISK = 35;
export const B_KIND_PATH = 36;
export const B_KIND_HOST = 37;
export const B_KIND_URL = 38;
export const B_KIND_BUCKET = 39;
export const B_KIND_QUEUE = 40;
export const B_KIND_TOPIC = 41;
export const B_CLASS_OTHER = 42;
export const B_CLASS_FS_DELETE = 43;
export const B_CLASS_PROC_EXEC = 44;
export const B_CLASS_FS_WRITE = 45;
export const B_CLASS_NET_HTTP = 46;
export const B_CLASS_NET_DNS = 47;
export const BUILTIN_COUNT = 48;

// Rule record (words from the record's start).
export const R_TIER = 0; // dense rank of priority
export const R_EFFECT = 1;
export const R_NAME_ID = 2;
export const R_REASONS = 3; // list (already holds matched_rule_<name> when the rule has none)
export const R_VIOLATIONS = 4;
export const R_MIN_APPROVALS = 5;
export const R_FLAGS = 6; // RF_*
export const R_MAX_CONTEXT_AGE_LO = 7; // i64 split in two words
export const R_MAX_CONTEXT_AGE_HI = 8;
export const R_BROKER_REF_ID = 9;
export const R_BROKER_SCOPES = 10;
export const R_DELEGATION_SCOPES = 11;
export const R_M_TOOL_NAMES = 12;
export const R_M_RISK_CLASSES = 13;
export const R_M_TARGET_KINDS = 14;
export const R_M_TARGET_VALUES = 15;
export const R_M_ENDPOINT_CLASSES = 16;
export const R_M_DISCOVERY = 17;
export const R_M_SKILL_PUBLISHERS = 18;
export const R_M_SKILL_SOURCES = 19;
export const R_M_DATA_CLASSES = 20;
export const R_M_DEST_KINDS = 21;
export const R_M_DEST_VALUES = 22;
export const R_M_DEST_OPS = 23;
export const R_M_PROV_SOURCES = 24;
export const R_M_IDENTITIES = 25;
export const R_M_WORKSPACE_PREFIXES = 26; // pattern list
export const R_M_CTX_TOOL = 27;
export const R_M_CTX_DATA = 28;
export const R_M_CTX_ENDPOINT = 29;
export const R_M_CTX_AUTONOMY = 30;
export const R_M_DELEGATORS = 31;
export const R_M_DELEGATES = 32;
export const R_M_ANNOT_READ_ONLY = 33; // -1 unset, 0 false, 1 true
export const R_M_ANNOT_DESTRUCTIVE = 34;
export const R_M_ANNOT_IDEMPOTENT = 35;
export const R_M_ANNOT_OPEN_WORLD = 36;
export const R_M_MAX_DEPTH = 37; // -1 unset
export const R_EP_PATH_ALLOW = 38; // pattern list
export const R_EP_PATH_DENY = 39;
export const R_EP_DOMAIN_ALLOW = 40;
export const R_EP_DOMAIN_DENY = 41;
export const R_EP_EGRESS = 42;
export const R_EP_ACTION = 43;
export const R_EP_DESTRUCTIVE_ACTION = 44; // V_NONE when unset
export const R_EP_REASON_ID = 45;
export const R_EP_VIOLATION_ID = 46;
export const R_DF_TAINTED = 47;
export const R_DF_KINDS = 48;
export const R_DF_VALUES = 49;
export const R_DF_OPS = 50;
export const R_DF_ACTION = 51;
export const R_DF_REASON_ID = 52;
export const R_DF_VIOLATION_ID = 53;
export const R_RATE_REQUESTS = 54;
export const R_RATE_WINDOW = 55; // 0 minute, 1 hour, 2 other
export const R_RATE_SCOPE_ID = 56;
export const R_BUDGET_REQUESTS = 57;
export const R_BUDGET_WINDOW = 58;
export const R_BUDGET_SCOPE_ID = 59;
export const RULE_WORDS = 60;

export const RF_DISTINCT_APPROVERS = 1;
export const RF_BROKER = 2;
export const RF_REQUIRE_DELEGATION = 4;
export const RF_CONTEXT_CONSTRAINED = 8;
export const RF_CONTEXT_MODE_REQUIRED = 16;
export const RF_DELEGATION_CONSTRAINED = 32;
export const RF_DATAFLOW = 64;
export const RF_ENDPOINT = 128;

// A pattern list is `count, (byteOffset, byteLength)*`; offsets are relative to the buffer base.

// Encoded intent header (words from the intent base).
export const I_FLAGS = 0; // IF_*
export const I_TOOL_ID = 1;
export const I_RISK_ID = 2;
export const I_IDENTITY_ID = 3;
export const I_WORKSPACE_OFF = 4;
export const I_WORKSPACE_LEN = 5;
export const I_CTX_TOOL = 6;
export const I_CTX_DATA = 7;
export const I_CTX_ENDPOINT = 8;
export const I_CTX_AUTONOMY = 9;
export const I_SKILL_PUBLISHER = 10;
export const I_SKILL_SOURCE = 11;
export const I_DELEG_REQUESTER = 12;
export const I_DELEG_SCOPE = 13;
export const I_CHAIN = 14; // `count, (delegatorId, delegateId, scopeId)*`
export const I_CONTEXT_AGE_LO = 15;
export const I_CONTEXT_AGE_HI = 16;
export const I_TARGETS = 17; // `count, target record*`
export const I_PROVENANCE = 18; // list of source ids
export const I_STEPS = 19; // `count, step record*`
export const I_HEADER_WORDS = 20;

export const IF_SCRIPT = 1;
export const IF_DELEGATION = 2;
export const IF_SKILL = 4;
export const IF_PHASE_PLAN = 8;
export const IF_INVALID = 16; // normalization failed; only I_RISK_ID (raw risk class) is set
export const IF_CONTEXT_DIGEST = 32;
export const IF_CONTEXT_MODE_REQUIRED = 64;
export const IF_CONTEXT_AGE = 128;

// Target record.
export const T_KIND = 0;
export const T_VALUE_ID = 1;
export const T_VALUE_OFF = 2;
export const T_VALUE_LEN = 3;
export const T_OPERATION = 4;
export const T_SENSITIVITY = 5;
export const T_CLASS = 6;
export const T_DOMAIN_ID = 7;
export const T_DOMAIN_OFF = 8;
export const T_DOMAIN_LEN = 9;
export const T_DISCOVERY = 10;
export const T_FLAGS = 11; // TF_*
export const TARGET_WORDS = 12;

export const TF_DESTRUCTIVE = 1;
export const TF_READ_ONLY = 2;
export const TF_DESTRUCTIVE_HINT = 4;
export const TF_IDEMPOTENT = 8;
export const TF_OPEN_WORLD = 16;

// Script step record.
export const S_TOOL_ID = 0;
export const S_TARGETS = 1; // word offset of `count, target record*`
export const S_PROVENANCE = 2; // list of source ids
export const S_CTX_TOOL = 3; // per-step Wrkr context (enrichment does not leak between steps)
export const S_CTX_DATA = 4;
export const S_CTX_ENDPOINT = 5;
export const S_CTX_AUTONOMY = 6;
export const STEP_WORDS = 7;

// Result header (words from the output base). Lists follow from O_LISTS, in this order:
// reasons, violations, matched rule-name ids, broker-reference ids, broker scopes, delegation
// scopes; then, per script step: verdict, reasons, violations, matched rule-name ids.
export const O_STATUS = 0; // ST_*
export const O_VERDICT = 1;
export const O_FLAGS = 2; // OF_*
export const O_MIN_APPROVALS = 3;
export const O_RATE_RULE = 4; // rule index or -1
export const O_BUDGET_RULE = 5;
export const O_COMPOSITE_RISK = 6; // -1, or 0 low, 1 medium, 2 high
export const O_STEP_COUNT = 7;
export const O_LISTS = 8;

export const ST_OK = 0;
/** Intent failed normalization and fail-closed does not apply: the caller reports the error. */
export const ST_INTENT_INVALID = 1;
/** The compiled policy or encoded intent is malformed: fail closed. */
export const ST_BAD_INPUT = 2;
/** The scratch or output region was too small: fail closed. */
export const ST_NO_SPACE = 3;

export const OF_DISTINCT_APPROVERS = 1;
export const OF_BROKER = 2;
export const OF_REQUIRE_DELEGATION = 4;
export const OF_DATAFLOW_TRIGGERED = 8;
export const OF_FAIL_CLOSED = 16;
export const OF_SCRIPT = 32;
export const OF_DEFAULT = 64;
