/** How a command's result or failure reaches the user: one JSON line, or text. */
import { GaitError } from '../errors.js';
import { structOrder, toCliJson } from './json.js';
import { withEnvelope, exitCodeFor, correlationId } from './envelope.js';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Standard input (`--call -`); absent: the process's stdin. */
  readonly readStdin?: () => Promise<Uint8Array>;
}

export interface CommandContext {
  readonly io: CliIO;
  /** Arguments after `gait`, for the correlation id. */
  readonly argv: readonly string[];
  /** `--json` appears anywhere on the line. */
  readonly json: boolean;
}

export function printJson(ctx: CommandContext, payload: object, exitCode: number): number {
  const withId: Record<string, unknown> = { correlation_id: correlationId(ctx.argv), ...payload };
  ctx.io.stdout(toCliJson(withEnvelope(withId, exitCode)) + '\n');
  return exitCode;
}

/**
 * Reports a failure: the JSON envelope with --json (plus `extra` fields, e.g. the mcp commands'
 * `executed: false`), else `<label> error: <message>` (`error: <message>` without a label) on
 * stdout, as Gait prints every command error; like Gait, text mode prints no hint line (the
 * envelope carries the hint).
 */
export function printError(ctx: CommandContext, label: string, err: unknown, extra: Readonly<Record<string, unknown>> = {}): number {
  const failure = asGaitError(err);
  const exitCode = exitCodeFor(failure.category);
  if (ctx.json) {
    // Gait's envelope is a map (sorted keys); an object among its extras is a Go struct, printed
    // in field order (the legacy-policy `migration`).
    const details: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(failure.details ?? {})) details[k] = v !== null && typeof v === 'object' ? structOrder(v) : v;
    return printJson(ctx, { ok: false, ...extra, error: failure.message, ...details }, exitCode);
  }
  ctx.io.stdout(`${label ? `${label} error` : 'error'}: ${failure.message}\n`);
  return exitCode;
}

/** Anything that is not a GaitError is a bug: report it as an internal failure, no stack trace. */
export function asGaitError(err: unknown): GaitError {
  if (err instanceof GaitError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new GaitError(`internal error: ${message}`, 'internal_failure');
}

