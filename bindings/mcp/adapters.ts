/**
 * The five payload formats Gait's boundary reads (mcp.md §2): each becomes a ToolCall. Only the
 * canonical "mcp" format carries server, context and delegation; the others give a name and
 * arguments (Claude Code also a session id, an auth context and inferred targets).
 */
import { invalidInput } from '../errors.js';
import { goTrim } from '../canonical/text.js';
import { ANY, MAP, RAW_MESSAGE, STRING, type GoStruct, type GoType, type RawObject } from '../intent/go-decode.js';
import { parseJsonTree, type JNode } from '../intent/json-tree.js';
import { decodeAs, decodeMcpToolCall, emptyToolCall, payloadTree, PayloadError, type ToolCall, type ToolCallTarget } from './tool-call.js';
import type { McpAdapterName } from './types.js';

/** The adapter name as Gait reads it (trimmed, lowercased); throws `unsupported adapter: <name>`. */
export function resolveAdapter(name: string | undefined): McpAdapterName {
  const key = goTrim(name ?? '').toLowerCase();
  switch (key) {
    case '':
    case 'mcp':
      return 'mcp';
    case 'openai':
      return 'openai';
    case 'anthropic':
      return 'anthropic';
    case 'claude_code':
    case 'claude-code':
    case 'claudecode':
      return 'claude_code';
    case 'langchain':
      return 'langchain';
    default:
      throw invalidInput(`unsupported adapter: ${name}`);
  }
}

/** Decodes a payload with an adapter (default `mcp`). Throws GaitError with Gait's messages. */
export function decodeToolCall(payload: string | Uint8Array | object, adapter?: string): ToolCall {
  switch (resolveAdapter(adapter)) {
    case 'mcp':
      return decodeMcpToolCall(payload);
    case 'openai':
      return decodeOpenAi(payload);
    case 'anthropic':
      return decodeAnthropic(payload);
    case 'claude_code':
      return decodeClaudeCode(payload);
    case 'langchain':
      return decodeLangChain(payload);
  }
}

// ---- shared ------------------------------------------------------------------------------------

const anonymous = (typeName: string, fields: Record<string, GoType>): GoType => ({
  t: 'struct',
  ptr: false,
  spec: { name: '', pkg: '', typeName, fields, zero: () => ({}) } satisfies GoStruct,
});

/**
 * Decodes with `type`, mapping Go's errors to `<prefix>: <go error>`. A `null` payload leaves Go's
 * zero struct (every field empty), so the adapter then reports the missing name.
 */
function decodeWith<T extends object>(payload: string | Uint8Array | object, type: GoType, prefix: string): Partial<T> {
  try {
    return decodeAs<T | undefined>(payloadTree(payload), type) ?? {};
  } catch (err) {
    if (err instanceof PayloadError) throw invalidInput(`${prefix}: ${err.message}`);
    throw err;
  }
}

/** JSON text that must hold an object (`null` gives {}). Throws PayloadError. */
function objectFromText(text: string): RawObject {
  let tree: JNode;
  try {
    tree = parseJsonTree(text, 1000, 'exceeded max depth');
  } catch (err) {
    throw new PayloadError((err as Error).message);
  }
  return decodeAs<RawObject | null>(tree, MAP) ?? new Map();
}

/** §2.1 decodeArguments: absent/null → {}, object, blank string → {}, a JSON string holding an object. */
function decodeArguments(node: JNode | undefined): RawObject {
  if (node === undefined || node.k === 'null') return new Map();
  if (node.k === 'str') return goTrim(node.v) === '' ? new Map() : objectFromText(node.v);
  return decodeAs<RawObject | null>(node, MAP) ?? new Map();
}

function withArgs(name: string, args: RawObject): ToolCall {
  const call = emptyToolCall();
  call.name = name;
  call.args = args;
  return call;
}

function argumentsOrFail(node: JNode | undefined, prefix: string): RawObject {
  try {
    return decodeArguments(node);
  } catch (err) {
    if (err instanceof PayloadError) throw invalidInput(`${prefix}: ${err.message}`);
    throw err;
  }
}

// ---- openai (§2.2) -----------------------------------------------------------------------------

const OPENAI_FUNCTION =
  'struct { Name string "json:\\"name\\""; Arguments json.RawMessage "json:\\"arguments\\"" }';
const OPENAI = anonymous(`struct { Function ${OPENAI_FUNCTION} "json:\\"function\\"" }`, {
  function: anonymous(OPENAI_FUNCTION, { name: STRING, arguments: RAW_MESSAGE }),
});

function decodeOpenAi(payload: string | Uint8Array | object): ToolCall {
  // Gait's first, string-typed decode is a special case of this raw one; its failure is never shown.
  const call = decodeWith<{ function?: { name?: string; arguments?: JNode } }>(payload, OPENAI, 'parse openai tool call');
  return withArgs(call.function?.name ?? '', argumentsOrFail(call.function?.arguments, 'decode openai arguments'));
}

// ---- anthropic (§2.3) --------------------------------------------------------------------------

const ANTHROPIC = anonymous(
  'struct { Type string "json:\\"type\\""; Name string "json:\\"name\\""; Input map[string]interface {} "json:\\"input\\"" }',
  { type: STRING, name: STRING, input: MAP },
);

function decodeAnthropic(payload: string | Uint8Array | object): ToolCall {
  const call = decodeWith<{ name?: string; input?: RawObject | null }>(payload, ANTHROPIC, 'parse anthropic tool call');
  return withArgs(call.name ?? '', call.input ?? new Map());
}

// ---- langchain (§2.4) --------------------------------------------------------------------------

const LANGCHAIN = anonymous('struct { Tool string "json:\\"tool\\""; ToolInput interface {} "json:\\"tool_input\\"" }', {
  tool: STRING,
  tool_input: ANY,
});

function decodeLangChain(payload: string | Uint8Array | object): ToolCall {
  const call = decodeWith<{ tool?: string; tool_input?: JNode }>(payload, LANGCHAIN, 'parse langchain tool call');
  return withArgs(call.tool ?? '', argumentsOrFail(call.tool_input, 'decode langchain tool_input'));
}

// ---- claude_code (§2.5–§2.7) -------------------------------------------------------------------

const CLAUDE = anonymous(
  'struct { Type string "json:\\"type\\""; Name string "json:\\"name\\""; Input interface {} "json:\\"input\\""; ' +
    'SessionID string "json:\\"session_id\\""; ToolName string "json:\\"tool_name\\""; ToolInput interface {} "json:\\"tool_input\\""; ' +
    'HookEventName string "json:\\"hook_event_name\\"" }',
  { type: STRING, name: STRING, input: ANY, session_id: STRING, tool_name: STRING, tool_input: ANY, hook_event_name: STRING },
);

interface ClaudePayload {
  name?: string;
  input?: JNode;
  session_id?: string;
  tool_name?: string;
  tool_input?: JNode;
  hook_event_name?: string;
}

const CANONICAL_CLAUDE_TOOLS: Readonly<Record<string, string>> = {
  read: 'tool.read', grep: 'tool.read', glob: 'tool.read', webfetch: 'tool.read', websearch: 'tool.read',
  write: 'tool.write', edit: 'tool.write', notebookedit: 'tool.write',
  bash: 'tool.exec',
  task: 'tool.delegate',
};

/** §2.6: Claude Code's tool names onto Gait's (`Bash` → `tool.exec`, `Custom Action` → `tool.custom_action`). */
export function normalizeClaudeToolName(raw: string): string {
  const trimmed = goTrim(raw);
  const canon = trimmed.toLowerCase().replace(/[ _-]/g, '');
  const known = Object.hasOwn(CANONICAL_CLAUDE_TOOLS, canon) ? CANONICAL_CLAUDE_TOOLS[canon] : undefined;
  if (known) return known;
  if (trimmed === '') return '';
  if (trimmed.includes('.')) return trimmed.toLowerCase();
  return 'tool.' + trimmed.toLowerCase().replace(/[ -]/g, '_');
}

/** The first key whose value is a string non-empty after trimming (trimmed), else ''. */
function firstString(args: RawObject, keys: readonly string[]): string {
  for (const k of keys) {
    const v = args.get(k);
    if (typeof v === 'string' && goTrim(v) !== '') return goTrim(v);
  }
  return '';
}

function target(kind: string, value: string, operation: string): ToolCallTarget {
  return {
    kind, value, operation, sensitivity: '', discovery_method: '', discoveryMethod: '', read_only_hint: false, readOnlyHint: false,
    destructive_hint: false, destructiveHint: false, idempotent_hint: false, idempotentHint: false, open_world_hint: false,
    openWorldHint: false, annotations: null,
  };
}

const PATH_KEYS = ['path', 'file_path', 'filepath', 'file'];

/** §2.7: targets inferred from the normalized tool name and the arguments. */
export function inferClaudeTargets(toolName: string, args: RawObject): ToolCallTarget[] {
  const out: ToolCallTarget[] = [];
  const add = (kind: string, keys: readonly string[], operation: string): void => {
    const value = firstString(args, keys);
    if (value !== '') out.push(target(kind, value, operation));
  };
  switch (toolName) {
    case 'tool.read':
      add('path', PATH_KEYS, 'read');
      add('url', ['url', 'uri'], 'read');
      break;
    case 'tool.write':
      add('path', PATH_KEYS, 'write');
      break;
    case 'tool.exec':
      add('other', ['command', 'cmd', 'script'], 'execute');
      break;
    case 'tool.delegate':
      add('other', ['task', 'prompt', 'description'], 'delegate');
      break;
  }
  return out;
}

function decodeClaudeCode(payload: string | Uint8Array | object): ToolCall {
  const p = decodeWith<ClaudePayload>(payload, CLAUDE, 'parse claude code tool call');
  const rawName = goTrim(p.tool_name ?? '') || goTrim(p.name ?? '');
  const name = normalizeClaudeToolName(rawName);
  if (name === '') throw invalidInput('claude code tool call name is required');
  const input = p.tool_input !== undefined && p.tool_input.k !== 'null' ? p.tool_input : p.input;
  const call = withArgs(name, argumentsOrFail(input, 'decode claude code tool_input'));
  const session = goTrim(p.session_id ?? '');
  if (session !== '') call.context.session_id = session;
  const hook = goTrim(p.hook_event_name ?? '');
  if (hook !== '') call.context.auth_context = new Map([['adapter', 'claude_code'], ['hook_event_name', hook]]);
  call.targets = inferClaudeTargets(name, call.args!);
  return call;
}
