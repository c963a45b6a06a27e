/**
 * `gait mcp serve` (mcp.md §10): flags and startup validation in Gait's order and wording, the
 * Node ports of the decision service (policy file re-read per request, trace files, export files,
 * trust snapshots, job state, signing keys, retention), then bindings/mcp/decision-service.ts on
 * node:http until SIGINT/SIGTERM, which stop it gracefully.
 *
 * Not supported: session journals, runpacks and packs. Their flags are accepted (and their
 * directories created, as Gait does at startup) but nothing is written there; a request that asks
 * for a runpack, pack or journal file gets a 400 (see decision-service.ts). A note on stderr says
 * so when `--runpack-dir` or `--pack-dir` is given.
 */
import * as path from 'node:path';
import type { CommandContext } from './output.js';
import { printJson } from './output.js';
import { parseFlags, flagString, type ParsedFlags } from './flags.js';
import { parseIntFlag } from './signing-io.js';
import { mkdirAll, osErrorText, writeOutputFileSync } from './files.js';
import { toPrettyJson } from './json.js';
import { printProxyError } from './mcp-command.js';
import { resolveTracePath, fileTimestamp } from './trace-path.js';
import { exportFileTarget, exportFilePath } from './mcp-export-file.js';
import { GaitError, invalidInput, type ErrorCategory } from '../errors.js';
import { goTrim, trimLower } from '../canonical/text.js';
import { parseGoDuration, DurationError } from '../policy/duration.js';
import { readPolicyFileSync } from '../policy/load-node.js';
import { parsePolicyBytes } from '../policy/parse.js';
import { loadContextEnvelopeFile } from '../context/envelope-node.js';
import { Gate } from '../gate.js';
import type { Engine } from '../core/engine.js';
import { createEngine } from '../load/node.js';
import { resolveSigningKey } from '../crypto/keys.js';
import { nodeKeyIO } from '../crypto/io-node.js';
import type { TraceRecord } from '../crypto/trace.js';
import type { ContextEnvelope } from '../context/envelope.js';
import type { KeyInput, Lazy } from '../enforce.js';
import { createDecisionService, DEFAULT_MAX_REQUEST_BYTES, type DecisionServiceOptions, type TraceTarget } from '../mcp/decision-service.js';
import { serveFetchHandler, type NodeFetchServer } from '../mcp/serve-node.js';
import { retentionHook, type RetentionClass, type RetentionClassName } from '../mcp/retention-node.js';
import { isLoopbackHost, listenPort, ListenAddressError, splitHostPort } from '../mcp/listen-address.js';
import { VERSION } from '../version.js';
import { stopOnSignal } from './stop-on-signal.js';
import type { McpExportTarget } from '../mcp/proxy.js';
import { fileJobState } from '../mcp/job-state-node.js';
import { nodeTrustSnapshotReader } from '../mcp/trust-node.js';
import { leavePool, reportFailure, reportListening, startWorkers, workerSlot, WorkerStartError, type WorkerPool, type WorkerSlot } from '../mcp/serve-workers-node.js';

export const MCP_SERVE_USAGE = `Usage:
  gait mcp serve --policy <policy.yaml> [--context-envelope <context_envelope.json>] [--listen 127.0.0.1:8787] [--adapter mcp|openai|anthropic|langchain|claude_code] [--profile standard|oss-prod] [--job-root ./gait-out/jobs] [--auth-mode off|token] [--auth-token-env <VAR>] [--max-request-bytes <bytes>] [--http-verdict-status compat|strict] [--allow-client-artifact-paths] [--trace-dir <dir>] [--runpack-dir <dir>] [--pack-dir <dir>] [--session-dir <dir>] [--trace-max-age <dur>] [--trace-max-count <n>] [--runpack-max-age <dur>] [--runpack-max-count <n>] [--pack-max-age <dur>] [--pack-max-count <n>] [--session-max-age <dur>] [--session-max-count <n>] [--export-log-out events.jsonl] [--export-otel-out otel.jsonl] [--key-mode dev|prod] [--private-key <path>|--private-key-env <VAR>] [--workers <n>] [--json] [--explain]
  endpoints: POST /v1/evaluate (json), POST /v1/evaluate/sse (text/event-stream), POST /v1/evaluate/stream (application/x-ndjson)
  --workers <n>: serve the address from n processes (gait-wasm; default 1, one core); they share the trace, export and retention folders safely
`;

const CLASSES: readonly RetentionClassName[] = ['trace', 'runpack', 'pack', 'session'];

const STRING_FLAGS = [
  'policy', 'listen', 'adapter', 'profile', 'context-envelope', 'job-root', 'auth-mode', 'auth-token-env',
  'max-request-bytes', 'http-verdict-status', 'trace-dir', 'runpack-dir', 'pack-dir', 'session-dir',
  ...CLASSES.flatMap((c) => [`${c}-max-age`, `${c}-max-count`]),
  'export-log-out', 'export-otel-out', 'key-mode', 'private-key', 'private-key-env', 'workers',
];
const BOOL_FLAGS = ['json', 'allow-client-artifact-paths', 'explain'];
const INT_FLAGS = new Set(['max-request-bytes', 'workers', ...CLASSES.map((c) => `${c}-max-count`)]);

/** Ways to stop the server other than a signal (tests), and to learn its address. */
export interface McpServeHooks {
  signal?: AbortSignal;
  onListening?: (server: NodeFetchServer) => void;
}

/** The flag name of a token (`--json=false` → `json`), or undefined for a positional. */
function tokenFlag(token: string): string | undefined {
  if (token.length < 2 || token[0] !== '-' || token === '--') return undefined;
  const body = token.replace(/^--?/, '');
  return body.split('=')[0];
}

/**
 * Go `flag` parsing after Gait's reordering (flags may follow positionals; a value-taking flag
 * takes the next token). On a parse error, `json` says whether `--json` was parsed before it.
 */
function parseServeFlags(args: readonly string[]): { flags: ParsedFlags } | { error: GaitError; json: boolean } {
  const chunks: string[][] = [];
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    if (token === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    const name = tokenFlag(token);
    if (name === undefined) {
      positionals.push(token);
      continue;
    }
    const takesValue = STRING_FLAGS.includes(name) && !token.includes('=');
    chunks.push(takesValue && i + 1 < args.length ? [token, args[++i]!] : [token]);
  }
  const flags: ParsedFlags = { strings: new Map(), bools: new Set(), positionals, help: false };
  for (const chunk of chunks) {
    try {
      const one = parseFlags(chunk, { strings: STRING_FLAGS, bools: BOOL_FLAGS }, false);
      const name = tokenFlag(chunk[0]!)!;
      if (one.help) flags.help = true;
      for (const [k, v] of one.strings) {
        if (INT_FLAGS.has(k)) parseIntFlag(one, k); // Go's flag.Int fails at its own token
        flags.strings.set(k, v);
      }
      if (BOOL_FLAGS.includes(name)) {
        if (one.bools.has(name)) flags.bools.add(name);
        else flags.bools.delete(name);
      }
    } catch (err) {
      return { error: err instanceof GaitError ? err : invalidInput(String(err)), json: flags.bools.has('json') };
    }
  }
  return { flags };
}

/** A start-up error as Gait's mcp serve prints it: the proxy's (`mcp proxy error: <msg>`, sic). */
function printServeError(ctx: CommandContext, json: boolean, err: unknown): number {
  return printProxyError({ ...ctx, json }, err);
}

/** A Go duration flag for retention: `""`/0 disable; negative is refused. */
function retentionAge(flags: ParsedFlags, name: string): bigint {
  const text = goTrim(flagString(flags, name));
  if (text === '') return 0n;
  let ns: bigint;
  try {
    ns = parseGoDuration(text);
  } catch (err) {
    if (err instanceof DurationError) throw invalidInput(`parse --${name}: ${err.message}`);
    throw err;
  }
  if (ns < 0n) throw invalidInput(`parse --${name}: duration must be >= 0`);
  return ns;
}

interface ServeConfig {
  policyPath: string;
  listen: string;
  host: string;
  port: string;
  adapter: string;
  profile: string;
  token: string | undefined;
  maxRequestBytes: number;
  verdictStatus: 'compat' | 'strict';
  dirs: Record<RetentionClassName, string>;
  retention: RetentionClass[];
  /** Processes serving the address (`--workers`, ours; 1 is Gait's single server). */
  workers: number;
}

/** mcp.md §10.2 steps 2–10, in order. */
function validate(flags: ParsedFlags, env: Readonly<Record<string, string | undefined>>): ServeConfig {
  let policyPath = flagString(flags, 'policy');
  const positionals = [...flags.positionals];
  if (goTrim(policyPath) === '' && positionals.length > 0) policyPath = positionals.shift()!;
  if (goTrim(policyPath) === '' || positionals.length > 0) throw invalidInput('expected --policy <policy.yaml>');
  const ages = Object.fromEntries(CLASSES.map((c) => [c, retentionAge(flags, `${c}-max-age`)])) as Record<RetentionClassName, bigint>;
  const authMode = trimLower(flags.strings.has('auth-mode') ? flagString(flags, 'auth-mode') : 'off');
  if (authMode !== 'off' && authMode !== 'token') throw invalidInput('unsupported --auth-mode value (expected off or token)');
  const listen = goTrim(flags.strings.has('listen') ? flagString(flags, 'listen') : '127.0.0.1:8787');
  if (listen === '') throw invalidInput('listen address is required');
  let host: string;
  let port: string;
  try {
    ({ host, port } = splitHostPort(listen));
  } catch (err) {
    if (err instanceof ListenAddressError) throw invalidInput(`invalid --listen address: ${err.message}`);
    throw err;
  }
  if (!isLoopbackHost(host) && authMode !== 'token') throw invalidInput('non-loopback --listen requires --auth-mode token');
  let token: string | undefined;
  if (authMode === 'token') {
    const name = flagString(flags, 'auth-token-env');
    if (goTrim(name) === '') throw invalidInput('--auth-mode token requires --auth-token-env');
    token = goTrim(env[name] ?? '');
    if (token === '') throw invalidInput('--auth-token-env did not resolve to a non-empty value');
  }
  const maxRequestBytes = flags.strings.has('max-request-bytes') ? parseIntFlag(flags, 'max-request-bytes') : DEFAULT_MAX_REQUEST_BYTES;
  if (maxRequestBytes <= 0) throw invalidInput('--max-request-bytes must be > 0');
  const verdictStatus = trimLower(flags.strings.has('http-verdict-status') ? flagString(flags, 'http-verdict-status') : 'compat');
  if (verdictStatus !== 'compat' && verdictStatus !== 'strict') throw invalidInput('unsupported --http-verdict-status value (expected compat or strict)');
  const counts = Object.fromEntries(CLASSES.map((c) => [c, parseIntFlag(flags, `${c}-max-count`)])) as Record<RetentionClassName, number>;
  if (CLASSES.some((c) => counts[c] < 0)) throw invalidInput('retention max-count values must be >= 0');
  const workers = flags.strings.has('workers') ? parseIntFlag(flags, 'workers') : 1;
  if (workers < 1) throw invalidInput('--workers must be >= 1');
  const dirOf = (name: string, byDefault: string) => goTrim(flags.strings.has(name) ? flagString(flags, name) : byDefault);
  const dirs: Record<RetentionClassName, string> = {
    trace: dirOf('trace-dir', './gait-out/mcp-serve/traces'),
    runpack: dirOf('runpack-dir', ''),
    pack: dirOf('pack-dir', ''),
    session: dirOf('session-dir', './gait-out/mcp-serve/sessions'),
  };
  return {
    policyPath,
    listen,
    host,
    port,
    adapter: trimLower(flags.strings.has('adapter') ? flagString(flags, 'adapter') : 'mcp'),
    profile: trimLower(flags.strings.has('profile') ? flagString(flags, 'profile') : 'standard'),
    token,
    maxRequestBytes,
    verdictStatus,
    dirs,
    retention: CLASSES.map((name) => ({ name, dir: dirs[name], maxAgeNs: ages[name], maxCount: counts[name] })),
    workers,
  };
}

/** mcp.md §10.2 step 11: the trace dir, the envelope, then the runpack, pack and session dirs. */
async function prepare(flags: ParsedFlags, config: ServeConfig): Promise<ContextEnvelope | undefined> {
  const create = async (what: string, dir: string) => {
    if (dir === '') return;
    try {
      await mkdirAll(dir, 0o750);
    } catch (err) {
      throw invalidInput(`create ${what} directory: ${osErrorText(err, 'mkdir', (err as { path?: string }).path ?? dir)}`);
    }
  };
  await create('trace', config.dirs.trace);
  const envelopePath = flagString(flags, 'context-envelope');
  const envelope = goTrim(envelopePath) !== '' ? await loadContextEnvelopeFile(envelopePath) : undefined;
  await create('runpack', config.dirs.runpack);
  await create('pack', config.dirs.pack);
  await create('session', config.dirs.session);
  return envelope;
}

/**
 * The policy port: the file is read on every request, as Gait does; the compiled gate is reused
 * while the bytes stay the same. A replaced gate is disposed once requests that may still hold it
 * are over (the 30 s response deadline).
 */
function policyFromFile(file: string, engine: Engine): () => Gate {
  let cached: { bytes: Uint8Array; gate: Gate } | undefined;
  const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
  return () => {
    // Synchronous: a small bounded read costs less than the promise round trips of the async one.
    const bytes = readPolicyFileSync(file);
    if (cached && same(cached.bytes, bytes)) return cached.gate;
    const gate = new Gate(engine, parsePolicyBytes(bytes));
    const old = cached?.gate;
    cached = { bytes, gate };
    if (old) setTimeout(() => old.dispose(), 35_000).unref();
    return gate;
  };
}

/**
 * Default trace-name timestamps, strictly increasing within the process, so no two traces share a
 * name; a worker's are ≡ its index mod the worker count (in ns), so no two workers' do either.
 */
export function traceStamps(slot: WorkerSlot = { index: 0, count: 1 }): () => string {
  let last = -1n;
  const origin = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
  const count = BigInt(slot.count);
  const index = BigInt(slot.index);
  return () => {
    let ns = origin + process.hrtime.bigint();
    if (ns <= last) ns = last + 1n;
    ns += (index - (ns % count) + count) % count;
    last = ns;
    return fileTimestamp(new Date(Number(ns / 1_000_000n)), Number(ns % 1_000_000n));
  };
}

/**
 * The trace port: the client's path (cli.md §2.8 rules; reported as given, trimmed) or
 * `<trace-dir>/trace_<run>_<ts>.json`, written atomically (0600). Export paths are checked first,
 * so a bad one leaves no trace behind.
 */
function traceFiles(traceDir: string, exportPaths: readonly string[], slot: WorkerSlot | undefined): (trace: TraceRecord, target: TraceTarget) => string {
  const stamp = traceStamps(slot);
  return (trace, target) => {
    let file: string;
    if (target.path !== undefined) {
      file = resolveTracePath(target.path, '');
    } else {
      const name = `trace_${target.runId}_${stamp()}.json`;
      file = traceDir !== '' ? path.join(traceDir, name) : name;
    }
    for (const p of exportPaths) exportFilePath(p);
    writeOutputFileSync(file, toPrettyJson(trace), 0o600, 'trace record');
    return target.path ?? file;
  };
}

/** An export target whose path is checked (and file opened) only when an evaluation gets there. */
function exportTarget(given: string): McpExportTarget | undefined {
  if (goTrim(given) === '') return undefined;
  return { name: goTrim(given), append: (line) => exportFileTarget(given).append(line) };
}

/** The signing-key port: per request, as Gait loads it (errors surface after evaluation). */
function signingKeyFromFlags(flags: ParsedFlags, env: Readonly<Record<string, string | undefined>>, profile: string): Lazy<KeyInput> | undefined {
  const mode = trimLower(flags.strings.has('key-mode') ? flagString(flags, 'key-mode') : 'dev');
  const sources = { privateKeyPath: flagString(flags, 'private-key') || undefined, privateKeyEnv: flagString(flags, 'private-key-env') || undefined };
  if (mode === 'dev' && !sources.privateKeyPath && !sources.privateKeyEnv) return undefined;
  // No key for oss-prod outside prod mode: the proxy then refuses it (`oss-prod profile requires --key-mode prod`).
  if (profile === 'oss-prod' && mode !== 'prod') return undefined;
  const io = nodeKeyIO(env, { syncReads: true });
  return async () => (await resolveSigningKey({ mode, ...sources }, io)).privateKey;
}

/** Go's listen error texts. */
function listenError(err: unknown, listen: string): GaitError {
  const code = (err as NodeJS.ErrnoException).code;
  const reason: Record<string, string> = {
    EADDRINUSE: 'address already in use',
    EACCES: 'permission denied',
    EADDRNOTAVAIL: 'cannot assign requested address',
  };
  if (code && reason[code]) return invalidInput(`listen tcp ${listen}: bind: ${reason[code]}`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return invalidInput(`listen tcp: lookup ${listen.slice(0, listen.lastIndexOf(':')).replace(/^\[|\]$/g, '')}: no such host`);
  return invalidInput(`listen tcp ${listen}: ${err instanceof Error ? err.message : String(err)}`);
}

export async function runMcpServe(ctx: CommandContext, args: readonly string[], hooks: McpServeHooks = {}): Promise<number> {
  const parsed = parseServeFlags(args);
  if ('error' in parsed) return printServeError(ctx, parsed.json, parsed.error);
  const { flags } = parsed;
  const json = flags.bools.has('json');
  if (flags.help) {
    ctx.io.stdout(MCP_SERVE_USAGE);
    return 0;
  }
  const slot = workerSlot();
  // A worker's start-up failure goes to the primary, which prints it once, as a single server would.
  const fail = async (err: unknown): Promise<number> => {
    if (!slot) return printServeError(ctx, json, err);
    const known = err instanceof GaitError ? err : new GaitError(err instanceof Error ? err.message : String(err), 'internal_failure');
    await reportFailure(known.message, known.category);
    leavePool();
    return 1;
  };
  let config: ServeConfig;
  let envelope: ContextEnvelope | undefined;
  try {
    config = validate(flags, ctx.io.env);
    envelope = await prepare(flags, config);
  } catch (err) {
    return fail(err);
  }
  if (!slot) {
    for (const [flag, what, dir] of [['--runpack-dir', 'runpacks', config.dirs.runpack], ['--pack-dir', 'packs', config.dirs.pack]] as const) {
      if (dir !== '') ctx.io.stderr(`mcp serve: ${flag}: ${what} are not supported by gait-wasm; nothing will be written to ${dir}\n`);
    }
    // Gait prints the startup line before it listens; a listen failure follows it.
    if (json) {
      printJson(ctx, { ok: true, adapter: config.adapter, listen: config.listen, policy: config.policyPath, profile: config.profile }, 0);
    } else {
      ctx.io.stdout(`mcp serve: listening=${config.listen} adapter=${config.adapter}\n`);
    }
  }
  if (!slot && config.workers > 1) {
    let pool: WorkerPool;
    try {
      pool = await startWorkers(config.workers, ctx.io.stderr);
    } catch (err) {
      return printServeError(ctx, json, err instanceof WorkerStartError ? new GaitError(err.message, err.category as ErrorCategory) : err);
    }
    return stopOnSignal(() => pool.stop(), hooks.signal, { ended: pool.done, stderr: ctx.io.stderr });
  }

  let server: NodeFetchServer;
  try {
    const engine = await createEngine();
    const handler = createDecisionService(serviceOptions(ctx, flags, config, envelope, engine, slot));
    let port: number;
    try {
      port = listenPort(config.port);
    } catch (err) {
      throw invalidInput(`listen tcp: ${(err as Error).message}`);
    }
    server = await serveFetchHandler(handler, { host: config.host === '' ? undefined : config.host, port }).catch((err) => {
      throw listenError(err, config.listen);
    });
  } catch (err) {
    return fail(err);
  }
  if (slot) reportListening();
  hooks.onListening?.(server);
  const code = await stopOnSignal(() => server.close(), hooks.signal);
  if (slot) leavePool();
  return code;
}

/** The decision service's ports for this process: policy, trace and export files, keys, retention. */
function serviceOptions(ctx: CommandContext, flags: ParsedFlags, config: ServeConfig, envelope: ContextEnvelope | undefined, engine: Engine, slot: WorkerSlot | undefined): DecisionServiceOptions {
  const logPath = flagString(flags, 'export-log-out');
  const otelPath = flagString(flags, 'export-otel-out');
  return {
    policy: policyFromFile(config.policyPath, engine),
    adapter: config.adapter,
    profile: config.profile,
    authToken: config.token,
    maxRequestBytes: config.maxRequestBytes,
    verdictStatus: config.verdictStatus,
    allowClientArtifactPaths: flags.bools.has('allow-client-artifact-paths'),
    contextEnvelope: envelope,
    callEnvelopePath: (p) => loadContextEnvelopeFile(p),
    traceSink: traceFiles(config.dirs.trace, [logPath, otelPath].filter((p) => goTrim(p) !== ''), slot),
    exports: { log: exportTarget(logPath), otel: exportTarget(otelPath) },
    readTrustSnapshot: nodeTrustSnapshotReader(ctx.io.cwd),
    readJobState: fileJobState(flagString(flags, 'job-root') || './gait-out/jobs'),
    signingKey: signingKeyFromFlags(flags, ctx.io.env, config.profile),
    producerVersion: VERSION,
    retention: retentionHook(config.retention),
    artifactDirs: { runpack: config.dirs.runpack !== '', pack: config.dirs.pack !== '' },
  };
}
