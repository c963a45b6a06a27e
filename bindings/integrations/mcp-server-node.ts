/**
 * The MCP gating server over stdio (Node): spawns the upstream MCP server as a child process,
 * connects to it as a client, and serves the gated tools on this process's stdin/stdout. Used by
 * `gait mcp gate -- <upstream command...>`.
 */
import type { Readable, Writable } from 'node:stream';
import type { Gate } from '../gate.js';
import { createMcpGateServer, type McpGateOptions } from './mcp-server.js';
import { VERSION } from '../version.js';
import { GaitError } from '../errors.js';

export interface McpUpstreamCommand {
  command: string;
  args?: string[];
  /** The upstream's environment. Default: this process's whole environment (the client configured it for the upstream). */
  env?: Record<string, string>;
  cwd?: string;
  /** Default `inherit`: the upstream's log lines go where ours go (MCP clients keep a server's stderr). */
  stderr?: 'inherit' | 'pipe' | 'ignore';
}

export interface McpGateStdioOptions extends McpGateOptions {
  upstream: McpUpstreamCommand;
  /** The downstream transport's streams; default this process's stdin and stdout. */
  stdin?: Readable;
  stdout?: Writable;
}

export interface McpGateStdio {
  /** Resolves when either side has closed; the other side is closed too. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

/** Starts the upstream, then serves the gated tools. Rejects if the upstream cannot be started or initialized. */
export async function runMcpGateStdio(gate: Gate, options: McpGateStdioOptions): Promise<McpGateStdio> {
  const [{ Client }, { StdioClientTransport }, { StdioServerTransport }] = await Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/client/stdio.js'),
    import('@modelcontextprotocol/sdk/server/stdio.js'),
  ]);
  const { upstream: command, stdin, stdout, ...gateOptions } = options;
  const upstream = new Client({ name: 'gait-mcp-gate', version: VERSION });
  const upstreamTransport = new StdioClientTransport({
    command: command.command,
    args: command.args ?? [],
    env: command.env ?? definedEnv(process.env),
    cwd: command.cwd,
    stderr: command.stderr ?? 'inherit',
  });
  try {
    await upstream.connect(upstreamTransport);
  } catch (err) {
    await upstream.close().catch(() => undefined);
    throw new GaitError(`upstream MCP server did not start (${command.command}): ${err instanceof Error ? err.message : String(err)}`, 'io_failure');
  }

  let server;
  try {
    server = await createMcpGateServer(gate, upstream, gateOptions);
    await server.connect(new StdioServerTransport(stdin, stdout));
  } catch (err) {
    await upstream.close();
    throw err;
  }

  let closing: Promise<void> | undefined;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await Promise.allSettled([server.close(), upstream.close()]);
      resolveClosed();
    })());
  // Either side going away ends the session: no client means no calls; no upstream means none can run.
  server.onclose = () => void close();
  upstream.onclose = () => void close();
  // The stdio server transport does not notice the client closing stdin by itself.
  (stdin ?? process.stdin).once('end', () => void close());
  return { closed, close };
}

function definedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
