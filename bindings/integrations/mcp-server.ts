/**
 * An MCP gating server (@modelcontextprotocol/sdk): it sits between an MCP client and an upstream
 * MCP server, lists the upstream's tools unchanged, and sends every `tools/call` through
 * `evaluateToolCall` (adapter `mcp`) first. Only an `allow` reaches the upstream; a block, an
 * approval requirement, a dry run or any evaluation error is answered here with a tool result
 * marked `isError` that carries the decision, and the upstream never sees the call.
 *
 * Transport-free and Node-free: connect the returned Server to any transport and the upstream
 * Client to any upstream (mcp-server-node.ts does both over stdio). The SDK is an optional peer
 * dependency, imported only when a gating server is made.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { CallToolResult, Implementation } from '@modelcontextprotocol/sdk/types.js';
import type { Gate } from '../gate.js';
import type { Verdict } from '../policy/model.js';
import type { McpServerInfo } from '../mcp/types.js';
import type { McpProxyOptions, McpProxyResult } from '../mcp/proxy.js';
import { VERSION } from '../version.js';

/** The context every gated call carries (the ToolCall's `context`, mcp.md §1). */
export interface McpGateContext {
  identity?: string;
  workspace?: string;
  /**
   * Default `high`, the gate's own default: set explicitly because MCP trust is only enforced for
   * a call that names its risk class (mcp.md §6.4), and a gating server exists to enforce it.
   */
  risk_class?: string;
  session_id?: string;
  phase?: string;
}

export interface McpGateOptions extends Omit<McpProxyOptions, 'adapter'> {
  /**
   * The upstream's identity for `mcp_trust` (mcp.md §6). Fields left out are empty, except
   * `server_name`, which defaults to the name the upstream gave at initialization.
   */
  server?: Partial<McpServerInfo>;
  context?: McpGateContext;
  /** This server's own name and version in the MCP handshake. */
  serverInfo?: Implementation;
  /** Called once per `tools/call` with what was decided (for logs and audits). */
  onDecision?: (decision: McpGateDecision) => void;
}

/** What the gate did with one `tools/call`. */
export interface McpGateDecision {
  tool: string;
  /** The final verdict; absent when the call could not be evaluated. */
  verdict?: Verdict;
  /** Whether the call was sent to the upstream. */
  forwarded: boolean;
  evaluation?: McpProxyResult;
  /** Why the call could not be evaluated (it was refused: fail closed). */
  error?: string;
}

export interface McpToolCallParams {
  name: string;
  arguments?: Record<string, unknown>;
}

/** The gate's answer to one call: forward it, or answer it with `result` and do not forward. */
export type McpGateVerdict =
  | { forward: true; decision: McpGateDecision }
  | { forward: false; decision: McpGateDecision; result: CallToolResult };

/** The ToolCall (mcp adapter, mcp.md §1) for an MCP `tools/call`: name, arguments → args, server, context. */
export function mcpToolCall(params: McpToolCallParams, server: Partial<McpServerInfo> | undefined, context: McpGateContext = {}): object {
  const call: Record<string, unknown> = {
    name: params.name,
    args: params.arguments ?? {},
    context: { risk_class: 'high', ...defined(context) },
  };
  const identity = defined(server ?? {});
  if (Object.values(identity).some((v) => typeof v === 'string' && v.trim() !== '')) call['server'] = identity;
  return call;
}

/** The keys whose value is not undefined (a payload holds JSON values only). */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Decides one `tools/call`. Never throws: an error is a refusal. */
export async function gateMcpToolCall(gate: Gate, params: McpToolCallParams, options: McpGateOptions = {}): Promise<McpGateVerdict> {
  const { server, context, serverInfo: _serverInfo, onDecision: _onDecision, ...proxyOptions } = options;
  const tool = typeof params.name === 'string' ? params.name : '';
  let evaluation: McpProxyResult;
  try {
    evaluation = await gate.evaluateToolCall(mcpToolCall(params, server, context), { ...proxyOptions, adapter: 'mcp' });
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return { forward: false, decision: { tool, forwarded: false, error }, result: refusal(`gait: ${tool} was not run because the call could not be evaluated (fail closed): ${error}`, { tool, executed: false, error }) };
  }
  const { output } = evaluation;
  if (output.verdict === 'allow') return { forward: true, decision: { tool, verdict: 'allow', forwarded: true, evaluation } };
  const decision: McpGateDecision = { tool, verdict: output.verdict, forwarded: false, evaluation };
  return { forward: false, decision, result: refusal(refusalText(tool, output.verdict, output.reason_codes ?? []), decisionSummary(tool, evaluation)) };
}

/**
 * A gating Server in front of a connected upstream Client. Connect it to the downstream
 * transport yourself (`await server.connect(transport)`).
 */
export async function createMcpGateServer(gate: Gate, upstream: Client, options: McpGateOptions = {}): Promise<Server> {
  const [{ Server }, types] = await Promise.all([import('@modelcontextprotocol/sdk/server/index.js'), import('@modelcontextprotocol/sdk/types.js')]);
  const upstreamInfo = upstream.getServerVersion();
  const server: Partial<McpServerInfo> = { ...options.server };
  if (!server.server_name?.trim() && !server.server_id?.trim() && upstreamInfo?.name) server.server_name = upstreamInfo.name;
  const gateOptions: McpGateOptions = { ...options, server };
  const listChanged = upstream.getServerCapabilities()?.tools?.listChanged === true;

  const gating = new Server(options.serverInfo ?? { name: 'gait-mcp-gate', version: VERSION }, {
    capabilities: { tools: listChanged ? { listChanged: true } : {} },
    instructions: upstream.getInstructions(),
  });
  gating.setRequestHandler(types.ListToolsRequestSchema, async (request, extra) => upstream.listTools(request.params, { signal: extra.signal }));
  gating.setRequestHandler(types.CallToolRequestSchema, async (request, extra) => {
    const params = request.params;
    const verdict = await gateMcpToolCall(gate, { name: params.name, arguments: params.arguments }, gateOptions);
    options.onDecision?.(verdict.decision);
    if (!verdict.forward) return verdict.result;
    // Upstream failures (it exited, it answered an error) reach the client as errors, not results.
    return upstream.callTool(params, undefined, { signal: extra.signal });
  });
  if (listChanged) {
    upstream.setNotificationHandler(types.ToolListChangedNotificationSchema, async () => {
      await gating.sendToolListChanged();
    });
  }
  return gating;
}

function refusal(text: string, decision: Record<string, unknown>): CallToolResult {
  return {
    isError: true,
    content: [
      { type: 'text', text },
      { type: 'text', text: JSON.stringify({ gait: decision }) },
    ],
  };
}

function refusalText(tool: string, verdict: Verdict, codes: string[]): string {
  const why = codes.length ? ` (reason codes: ${codes.join(', ')})` : '';
  switch (verdict) {
    case 'block':
      return `gait: ${tool} was blocked by policy${why}; it was not run.`;
    case 'require_approval':
      return `gait: ${tool} requires approval${why}; it was not run.`;
    case 'dry_run':
      return `gait: ${tool} is a dry run under this policy${why}; it was not run.`;
    default:
      return `gait: ${tool} was not run (verdict ${verdict})${why}.`;
  }
}

function decisionSummary(tool: string, { output }: McpProxyResult): Record<string, unknown> {
  return {
    tool,
    executed: false,
    verdict: output.verdict,
    reason_codes: output.reason_codes ?? [],
    violations: output.violations ?? [],
    tool_name: output.tool_name,
    trace_id: output.trace_id,
    intent_digest: output.intent_digest,
    policy_digest: output.policy_digest,
    ...(output.mcp_trust ? { mcp_trust: output.mcp_trust } : {}),
  };
}
