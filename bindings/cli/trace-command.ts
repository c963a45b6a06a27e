/**
 * `gait trace verify <trace.json> --public-key <f>` (cli.md §2.8): exit 0 verified, 2 altered.
 * As Gait v1.3.6: a failure before the Ed25519 check prints its error (JSON with the error
 * envelope; text `trace verify error: <msg>` on stdout); a signature that does not hold prints
 * `ok:false` with `key_id` and no error (text `trace verify failed: …`).
 */
import type { CommandContext } from './output.js';
import { printJson, printError } from './output.js';
import { parseFlags, flagString } from './flags.js';
import { GaitError, invalidInput } from '../errors.js';
import { readRegularFile, readFailureText } from './files.js';
import { resolveVerifyKey } from '../crypto/keys.js';
import { nodeKeyIO } from '../crypto/io-node.js';
import { parseTraceRecord, verifyTrace } from '../crypto/trace.js';

/** Traces are a few KiB; 16 MiB bounds a trace with huge step lists and refuses anything else. */
export const MAX_TRACE_BYTES = 16 * 1024 * 1024;

const USAGE = `Usage: gait trace verify <trace.json> [--public-key <path>|--public-key-env <VAR>|--private-key <path>|--private-key-env <VAR>] [--json]
  Exit 0 when the signature holds, 2 when the trace was altered or signed by another key.
`;

export async function runTrace(ctx: CommandContext, args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify') {
    ctx.io.stdout(USAGE);
    return sub === '--help' || sub === '-h' ? 0 : 6;
  }
  try {
    const flags = parseFlags(rest, { bools: ['json'], strings: ['public-key', 'public-key-env', 'private-key', 'private-key-env'] }, true);
    if (flags.help) {
      ctx.io.stdout(USAGE);
      return 0;
    }
    if (flags.positionals.length !== 1) throw invalidInput('expected trace path');
    const file = flags.positionals[0]!;
    // Gait reads and parses the record before it looks for a key.
    const text = await readTraceText(file);
    parseTraceRecord(text);
    const key = await resolveVerifyKey(
      {
        publicKeyPath: flagString(flags, 'public-key') || undefined,
        publicKeyEnv: flagString(flags, 'public-key-env') || undefined,
        privateKeyPath: flagString(flags, 'private-key') || undefined,
        privateKeyEnv: flagString(flags, 'private-key-env') || undefined,
      },
      nodeKeyIO(ctx.io.env),
    );
    const result = await verifyTrace(text, key);
    const exitCode = result.ok ? 0 : 2;
    if (ctx.json) {
      return printJson(ctx, {
        ok: result.ok,
        path: file,
        trace_id: result.trace_id || undefined,
        verdict: result.verdict || undefined,
        signature_status: result.signature_status,
        key_id: result.key_id || undefined,
        error: result.error,
      }, exitCode);
    }
    if (result.ok) ctx.io.stdout(`trace verify ok: ${file}\n`);
    else if (result.error) ctx.io.stdout(`trace verify error: ${result.error}\n`);
    else ctx.io.stdout(`trace verify failed: ${file}\nsignature status: ${result.signature_status}\n`);
    return exitCode;
  } catch (err) {
    if (err instanceof GaitError) return printError(ctx, 'trace verify', err);
    return printError(ctx, 'trace verify', err);
  }
}

async function readTraceText(file: string): Promise<string> {
  const bytes = await readRegularFile(file, MAX_TRACE_BYTES).catch((err: unknown) => {
    throw invalidInput(`read trace record: ${readFailureText(err, file)}`);
  });
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalidInput(`read trace record: ${file} is not valid UTF-8`);
  }
}
