/**
 * `gait mcp gate --policy <p> -- <upstream command...>`: an MCP server on stdio that gates an
 * upstream MCP server's tool calls (bindings/integrations/mcp-server*.ts). stdout is the MCP
 * channel, so everything else — start-up errors, one line per decision — goes to stderr.
 */
import type { CommandContext } from './output.js';
import { asGaitError } from './output.js';
import { parseFlags, flagString } from './flags.js';
import { exitCodeFor } from './envelope.js';
import { GaitError, invalidInput } from '../errors.js';
import { loadPolicyFile } from '../policy/load-node.js';
import { createEngine } from '../load/node.js';
import { Gate } from '../gate.js';
import type { McpGateContext, McpGateDecision } from '../integrations/mcp-server.js';
import type { McpServerInfo } from '../mcp/types.js';
import { INTEGRATION_FLAGS, INTEGRATION_FLAGS_USAGE, proxyOptionsFromFlags } from './integration-options.js';

export const MCP_GATE_USAGE = `Usage:
  gait mcp gate --policy <policy.yaml> [flags] -- <upstream command> [args...]

An MCP server on stdio in front of an upstream MCP server (started as a child process): the
upstream's tools are listed unchanged; every tools/call is evaluated against the policy (adapter
mcp) and only an allow is forwarded. block, require_approval, dry_run and evaluation errors are
answered with an isError tool result carrying the decision; the upstream never sees those calls.

Flags:
  --policy <p>            policy YAML (required)
${INTEGRATION_FLAGS_USAGE}  --identity <id>         context.identity of every call (default mcp-proxy)
  --workspace <w>         context.workspace (default .)
  --session-id <s>        context.session_id
  --risk-class <r>        context.risk_class (default high, so mcp_trust applies)
  --server-id <id>        the upstream's identity for mcp_trust (default: server_name from the
  --server-name <n>       upstream's initialize answer)
  --publisher <p>, --source <s>   more upstream identity for mcp_trust

Client config (Claude Desktop style):
  {"mcpServers":{"files":{"command":"npx","args":["gait","mcp","gate","--policy","/abs/policy.yaml",
    "--","npx","-y","@modelcontextprotocol/server-filesystem","/tmp"]}}}
`;

const CONTEXT_FLAGS: Record<string, keyof McpGateContext> = { identity: 'identity', workspace: 'workspace', 'session-id': 'session_id', 'risk-class': 'risk_class' };
const SERVER_FLAGS: Record<string, keyof McpServerInfo> = { 'server-id': 'server_id', 'server-name': 'server_name', publisher: 'publisher', source: 'source' };

export async function runMcpGate(ctx: CommandContext, args: readonly string[]): Promise<number> {
  let gate: Gate | undefined;
  try {
    const flags = parseFlags(args, { strings: ['policy', ...INTEGRATION_FLAGS, ...Object.keys(CONTEXT_FLAGS), ...Object.keys(SERVER_FLAGS)] }, false);
    if (flags.help) {
      ctx.io.stdout(MCP_GATE_USAGE);
      return 0;
    }
    const policyPath = flagString(flags, 'policy').trim();
    const [command, ...commandArgs] = flags.positionals;
    if (policyPath === '' || command === undefined || command.trim() === '') {
      throw invalidInput('expected --policy <policy.yaml> -- <upstream command> [args...]');
    }
    const context: McpGateContext = {};
    for (const [flag, key] of Object.entries(CONTEXT_FLAGS)) if (flags.strings.has(flag)) context[key] = flagString(flags, flag);
    const server: Partial<McpServerInfo> = {};
    for (const [flag, key] of Object.entries(SERVER_FLAGS)) if (flags.strings.has(flag)) server[key] = flagString(flags, flag);
    const proxyOptions = await proxyOptionsFromFlags(flags, ctx.io);

    gate = new Gate(await createEngine(), await loadPolicyFile(policyPath));
    const { runMcpGateStdio } = await import('../integrations/mcp-server-node.js');
    const session = await runMcpGateStdio(gate, {
      upstream: { command, args: commandArgs },
      ...proxyOptions,
      context,
      server,
      onDecision: (d) => ctx.io.stderr(decisionLine(d)),
    }).catch((err: unknown) => {
      throw isMissingModule(err) ? missingSdk(err) : err;
    });
    await session.closed;
    return 0;
  } catch (err) {
    const failure = asGaitError(err);
    ctx.io.stderr(`mcp gate error: ${failure.message}\n`);
    return exitCodeFor(failure.category);
  } finally {
    gate?.dispose();
  }
}

function decisionLine(d: McpGateDecision): string {
  const outcome = d.forwarded ? 'forwarded' : 'refused';
  if (d.error !== undefined) return `gait mcp gate: ${d.tool} ${outcome} (fail closed): ${d.error}\n`;
  const codes = d.evaluation?.output.reason_codes ?? [];
  return `gait mcp gate: ${d.tool} verdict=${d.verdict} reason_codes=${codes.join(',')} ${outcome}\n`;
}

function isMissingModule(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((err as Error).message).includes('@modelcontextprotocol/sdk');
}

function missingSdk(err: unknown): GaitError {
  const detail = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  return new GaitError(`gait mcp gate needs the MCP SDK: npm install @modelcontextprotocol/sdk (${detail})`, 'dependency_missing');
}
