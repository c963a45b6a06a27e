/**
 * The evaluation flags `gait claude-code hook` and `gait mcp gate` share, as evaluateToolCall
 * options: `--profile`, the trace signing key (`--key-mode`, `--private-key`,
 * `--private-key-env`), `--trace-dir` (keep each signed trace), and the Node port for the
 * policy's `mcp_trust` snapshot (read relative to the working directory, like Gait).
 */
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { flagString, type ParsedFlags } from './flags.js';
import { SIGNING_FLAGS, signingKeyFromFlags } from './signing-io.js';
import { writeOutputFile } from './files.js';
import { serializeTrace, type TraceRecord } from '../crypto/trace.js';
import { nodeTrustSnapshotReader } from '../mcp/trust-node.js';
import type { McpProxyOptions } from '../mcp/proxy.js';

export const INTEGRATION_FLAGS = ['profile', 'trace-dir', ...SIGNING_FLAGS] as const;

export const INTEGRATION_FLAGS_USAGE = `  --profile <p>           standard (default) or oss-prod
  --trace-dir <dir>       keep each decision's signed trace there (trace_<time>_<trace id>.json)
  --key-mode dev|prod, --private-key <path>, --private-key-env <VAR>
                          the trace signing key (default dev: an ephemeral key)
`;

export async function proxyOptionsFromFlags(
  flags: ParsedFlags,
  io: { cwd: string; env: Readonly<Record<string, string | undefined>> },
): Promise<Omit<McpProxyOptions, 'adapter'>> {
  const options: Omit<McpProxyOptions, 'adapter'> = { readTrustSnapshot: nodeTrustSnapshotReader(io.cwd) };
  const profile = flagString(flags, 'profile');
  if (profile !== '') options.profile = profile;
  // Only a prod key is passed on: without one the evaluation runs in dev mode and says so.
  if (SIGNING_FLAGS.some((f) => flags.strings.has(f))) {
    const key = await signingKeyFromFlags(flags, io.env);
    if (key.mode === 'prod') options.signingKey = key.privateKey;
  }
  const traceDir = flagString(flags, 'trace-dir').trim();
  if (traceDir !== '') options.traceSink = traceFileSink(path.resolve(io.cwd, traceDir));
  return options;
}

/** Writes each trace to its own file; a failed write fails the evaluation (and so refuses the call). */
function traceFileSink(dir: string): (trace: TraceRecord) => Promise<string> {
  return async (trace) => {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.(\d+)Z$/, '.$1');
    const file = path.join(dir, `trace_${stamp}_${trace.trace_id}_${randomBytes(3).toString('hex')}.json`);
    await writeOutputFile(file, serializeTrace(trace), 0o600, 'trace');
    return file;
  };
}
