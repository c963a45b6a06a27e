/**
 * `gait mcp` (mcp.md §7): the dispatch (usage, `--explain` anywhere), and `proxy` with its alias
 * `bridge`: the Node adapter over evaluateToolCall (files and stdin in; the trace file, export
 * files and the printed result out). `verify` and `serve` live in their own modules.
 */
import type { CommandContext } from './output.js';
import { printJson, printError } from './output.js';
import { parseFlagsUntilError, flagString, type ParsedFlags } from './flags.js';
import { invalidInput } from '../errors.js';
import { goTrim } from '../canonical/text.js';
import { loadPolicyFile } from '../policy/load-node.js';
import { loadContextEnvelopeFile } from '../context/envelope-node.js';
import { readRegularFile, readFailureText, FileTooLargeError } from '../read-file-node.js';
import { Gate } from '../gate.js';
import { createEngine } from '../load/node.js';
import { resolveSigningKey } from '../crypto/keys.js';
import { nodeKeyIO } from '../crypto/io-node.js';
import { evaluateToolCall, prepareToolCall, checkBoundary, type McpExportTarget } from '../mcp/proxy.js';
import { normalizeRunId } from '../mcp/run-id.js';
import { fileJobState } from '../mcp/job-state-node.js';
import { nodeTrustSnapshotReader } from '../mcp/trust-node.js';
import { exportFileTarget, exportFilePath } from './mcp-export-file.js';
import { writeOutputFile } from './files.js';
import { toPrettyJson } from './json.js';
import { resolveTracePath, fileTimestamp } from './trace-path.js';
import { VERSION } from '../version.js';

const PROXY_FLAGS =
  '--policy <policy.yaml> --call <tool_call.json|-> [--context-envelope <context_envelope.json>] [--adapter mcp|openai|anthropic|langchain|claude_code] ' +
  '[--profile standard|oss-prod] [--job-root ./gait-out/jobs] [--trace-out trace.json] [--run-id run_...] [--runpack-out runpack.zip] ' +
  '[--pack-out pack_run.zip] [--export-log-out events.jsonl] [--export-otel-out otel.jsonl]';

export const MCP_USAGE = `Usage:
  gait mcp proxy ${PROXY_FLAGS} [--json] [--explain]
  gait mcp bridge ${PROXY_FLAGS} [--json] [--explain]
  gait mcp verify --policy <policy.yaml> --server <server.json> [--risk-class <class>] [--json] [--explain]
  gait mcp serve --policy <policy.yaml> [--context-envelope <context_envelope.json>] [--listen 127.0.0.1:8787] [--adapter mcp|openai|anthropic|langchain|claude_code] [--profile standard|oss-prod] [--job-root ./gait-out/jobs] [--auth-mode off|token] [--auth-token-env <VAR>] [--max-request-bytes <bytes>] [--http-verdict-status compat|strict] [--allow-client-artifact-paths] [--trace-dir <dir>] [--runpack-dir <dir>] [--pack-dir <dir>] [--session-dir <dir>] [--trace-max-age <dur>] [--trace-max-count <n>] [--runpack-max-age <dur>] [--runpack-max-count <n>] [--pack-max-age <dur>] [--pack-max-count <n>] [--session-max-age <dur>] [--session-max-count <n>] [--json] [--explain]
    serve endpoints: POST /v1/evaluate, POST /v1/evaluate/sse, POST /v1/evaluate/stream
`;

export const MCP_PROXY_USAGE = `Usage:
  gait mcp proxy ${PROXY_FLAGS} [--key-mode dev|prod] [--private-key <path>|--private-key-env <VAR>] [--json] [--explain]
`;

/** Gait prints this for `--explain` anywhere after `mcp` (its per-subcommand sentences are unreachable). */
export const MCP_EXPLAIN = 'Proxy tool-call protocol payloads through Gate policy evaluation and emit signed traces with optional exports.\n';

const PROXY_STRING_FLAGS = [
  'policy', 'call', 'adapter', 'profile', 'context-envelope', 'job-root', 'trace-out', 'run-id', 'runpack-out', 'pack-out',
  'export-log-out', 'export-otel-out', 'key-mode', 'private-key', 'private-key-env',
];

/** A call payload larger than this is refused (Gait reads any size; a tool call is small). */
const MAX_CALL_BYTES = 16 << 20;

export async function runMcp(ctx: CommandContext, args: readonly string[]): Promise<number> {
  if (args.includes('--explain')) {
    ctx.io.stdout(MCP_EXPLAIN);
    return 0;
  }
  const [sub, ...rest] = args;
  switch (sub) {
    case 'proxy':
    case 'bridge':
      return runMcpProxy(ctx, rest);
    case 'verify':
      return (await import('./mcp-verify.js')).runMcpVerify(ctx, rest);
    case 'gate':
      return (await import('./mcp-gate.js')).runMcpGate(ctx, rest);
    case 'serve':
      return (await import('./mcp-serve.js')).runMcpServe(ctx, rest);
    case 'help':
    case '--help':
    case '-help':
    case '-h':
      // Gait exits 6 here (it is an unknown subcommand to it); help is not an error (spec README decision 4).
      ctx.io.stdout(MCP_USAGE);
      return 0;
    default:
      // Text usage even with --json, as Gait does.
      ctx.io.stdout(MCP_USAGE);
      return 6;
  }
}

/** The failure output of the mcp commands: the error envelope with `executed:false`, or `mcp proxy error: …`. */
export function printProxyError(ctx: CommandContext, err: unknown): number {
  return printError(ctx, 'mcp proxy', err, { executed: false });
}

export async function runMcpProxy(ctx: CommandContext, args: readonly string[]): Promise<number> {
  const { flags, error } = parseFlagsUntilError(args, { strings: PROXY_STRING_FLAGS, bools: ['json'] }, true);
  // JSON output only if --json was parsed before a failing flag (Gait's rule).
  const out: CommandContext = { ...ctx, json: flags.bools.has('json') };
  if (error) return printProxyError(out, error);
  if (flags.help) {
    ctx.io.stdout(MCP_PROXY_USAGE);
    return 0;
  }
  try {
    return await proxy(out, flags);
  } catch (err) {
    return printProxyError(out, err);
  }
}

async function readStdin(ctx: CommandContext): Promise<Uint8Array> {
  if (ctx.io.readStdin) return ctx.io.readStdin();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_CALL_BYTES) throw new Error(`stdin exceeds maximum size of ${MAX_CALL_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

async function readPayload(ctx: CommandContext, callPath: string): Promise<Uint8Array> {
  if (goTrim(callPath) === '-') {
    try {
      return await readStdin(ctx);
    } catch (err) {
      throw invalidInput(`read stdin payload: ${(err as Error).message}`);
    }
  }
  try {
    return await readRegularFile(callPath, MAX_CALL_BYTES);
  } catch (err) {
    if (err instanceof FileTooLargeError) throw invalidInput(`read call payload: ${err.message}`);
    throw invalidInput(`read call payload: ${readFailureText(err, callPath)}`);
  }
}

/** An export target whose path is checked (and file opened) only when the evaluation gets there. */
function deferredExport(given: string): McpExportTarget {
  return { name: goTrim(given), append: (line) => exportFileTarget(given).append(line) };
}

async function proxy(ctx: CommandContext, flags: ParsedFlags): Promise<number> {
  const positionals = [...flags.positionals];
  let policyPath = flagString(flags, 'policy');
  let callPath = flagString(flags, 'call');
  if (policyPath === '' && positionals.length > 0) policyPath = positionals.shift()!;
  if (callPath === '' && positionals.length > 0) callPath = positionals.shift()!;
  if (policyPath === '' || callPath === '' || positionals.length > 0) throw invalidInput('expected --policy <policy.yaml> and --call <tool_call.json|->');
  // Runpacks and packs are out of scope: refuse before anything is read or written.
  for (const flag of ['runpack-out', 'pack-out'] as const) {
    if (goTrim(flagString(flags, flag)) !== '') {
      throw invalidInput(`--${flag} is not supported by gait-wasm (${flag === 'runpack-out' ? 'runpacks' : 'packs'} are out of scope); remove the flag`);
    }
  }

  const adapter = flags.strings.has('adapter') ? flagString(flags, 'adapter') : 'mcp';
  const payload = await readPayload(ctx, callPath);
  const { call } = await prepareToolCall(payload, { adapter });
  const envelopePath = flagString(flags, 'context-envelope');
  const contextEnvelope = goTrim(envelopePath) !== '' ? await loadContextEnvelopeFile(envelopePath) : undefined;

  const keyMode = goTrim(flagString(flags, 'key-mode') || 'dev').toLowerCase();
  const privateKeyPath = flagString(flags, 'private-key') || undefined;
  const privateKeyEnv = flagString(flags, 'private-key-env') || undefined;
  // Dev mode without key sources: the library makes the throw-away key and says so; anything
  // else goes through Gait's key loader after the evaluation (its errors come that late in Gait).
  const signingKey = keyMode === 'dev' && !privateKeyPath && !privateKeyEnv
    ? undefined
    : async () => (await resolveSigningKey({ mode: keyMode, privateKeyPath, privateKeyEnv }, nodeKeyIO(ctx.io.env))).privateKey;
  const profile = flagString(flags, 'profile');
  checkBoundary(call, { profile, signingKey: keyMode === 'prod' ? signingKey : undefined });

  const gate = new Gate(await createEngine(), await loadPolicyFile(policyPath));
  const runIdFlag = flags.strings.get('run-id');
  const traceFlag = goTrim(flagString(flags, 'trace-out'));
  const logFlag = goTrim(flagString(flags, 'export-log-out'));
  const otelFlag = goTrim(flagString(flags, 'export-otel-out'));
  const jobRoot = flagString(flags, 'job-root') || './gait-out/jobs';

  const result = await evaluateToolCall(gate, payload, {
    adapter,
    profile,
    runId: runIdFlag,
    contextEnvelope,
    signingKey,
    readJobState: fileJobState(jobRoot),
    readTrustSnapshot: nodeTrustSnapshotReader(ctx.io.cwd),
    producerVersion: VERSION,
    traceSink: async (trace) => {
      const file = traceFlag !== ''
        ? resolveTracePath(traceFlag, '')
        : `trace_${normalizeRunId(runIdFlag ?? '')}_${fileTimestamp(new Date())}.json`;
      // Export paths are checked before the trace is written: a bad one leaves nothing behind.
      if (logFlag !== '') exportFilePath(logFlag);
      if (otelFlag !== '') exportFilePath(otelFlag);
      await writeOutputFile(file, toPrettyJson(trace), 0o600, 'trace record');
      return traceFlag || file;
    },
    exports: {
      log: logFlag !== '' ? deferredExport(logFlag) : undefined,
      otel: otelFlag !== '' ? deferredExport(otelFlag) : undefined,
    },
  });
  if (ctx.json) return printJson(ctx, result.output, result.exit_code);
  ctx.io.stdout(`mcp proxy: verdict=${result.output.verdict}\ntrace: ${result.output.trace_path ?? ''}\n`);
  return result.exit_code;
}
