/**
 * Pieces shared by the commands that mint signed artifacts (`approve`, `delegate`,
 * `approve-script`): the `--key-mode` / key-source flags, Go `int` flag values, and writing an
 * artifact file with gait's error wording (signed_artifacts.md §1.3, §3.4, §4.4, §5.3).
 */
import * as path from 'node:path';
import { invalidInput } from '../errors.js';
import { goTrim, trimLower } from '../canonical/text.js';
import { resolveSigningKey, type SigningKey } from '../crypto/keys.js';
import { nodeKeyIO } from '../crypto/io-node.js';
import { flagString, type ParsedFlags } from './flags.js';
import { mkdirAll, osErrorText, writeOutputFile } from './files.js';

/** The flags every signing command takes besides its own. */
export const SIGNING_FLAGS = ['key-mode', 'private-key', 'private-key-env'] as const;

/** True when any argument is exactly `--explain` (checked before flags are parsed). */
export function wantsExplain(args: readonly string[]): boolean {
  return args.includes('--explain');
}

/**
 * Loads the signing key from `--key-mode` (default `dev`; an explicit empty value means prod,
 * as in gait), `--private-key` and `--private-key-env`.
 */
export async function signingKeyFromFlags(
  flags: ParsedFlags,
  env: Readonly<Record<string, string | undefined>>,
): Promise<SigningKey> {
  const mode = trimLower(flags.strings.has('key-mode') ? flagString(flags, 'key-mode') : 'dev');
  return resolveSigningKey(
    {
      mode,
      privateKeyPath: flagString(flags, 'private-key') || undefined,
      privateKeyEnv: flagString(flags, 'private-key-env') || undefined,
    },
    nodeKeyIO(env),
  );
}

const INT_BODY: Record<number, RegExp> = {
  2: /^[01]+$/,
  8: /^[0-7]+$/,
  10: /^[0-9]+$/,
  16: /^[0-9a-fA-F]+$/,
};

/**
 * A Go `flag.Int` value (`strconv.ParseInt(s, 0, 64)`): optional sign, `0x`/`0o`/`0b`/leading-0
 * prefixes, `_` between digits. Errors read like Go's flag package:
 * `invalid value "x" for flag -max-targets: parse error` (or `value out of range`).
 */
export function parseIntFlag(flags: ParsedFlags, name: string): number {
  if (!flags.strings.has(name)) return 0;
  const text = flagString(flags, name);
  const bad = (why: string) => invalidInput(`invalid value ${JSON.stringify(text)} for flag -${name}: ${why}`);
  let body = text;
  let negative = false;
  if (body.startsWith('+') || body.startsWith('-')) {
    negative = body[0] === '-';
    body = body.slice(1);
  }
  let base = 10;
  let digits = body;
  let prefixed = false;
  const p = body.slice(0, 2).toLowerCase();
  if (p === '0x' || p === '0o' || p === '0b') {
    base = p === '0x' ? 16 : p === '0o' ? 8 : 2;
    digits = body.slice(2);
    prefixed = true;
  } else if (body.length > 1 && body[0] === '0') {
    base = 8;
    digits = body.slice(1);
    prefixed = true;
  }
  // Underscores only between digits (or right after a base prefix), never doubled or trailing.
  if (digits.includes('_')) {
    if (/__/.test(digits) || digits.endsWith('_') || (!prefixed && digits.startsWith('_'))) throw bad('parse error');
    digits = digits.replace(/_/g, '');
  }
  if (digits === '' || !INT_BODY[base]!.test(digits)) throw bad('parse error');
  const magnitude = [...digits].reduce((acc, d) => acc * BigInt(base) + BigInt(parseInt(d, 16)), 0n);
  const value = negative ? -magnitude : magnitude;
  if (value > 9223372036854775807n || value < -9223372036854775808n) throw bad('value out of range');
  return Number(value);
}

/**
 * Writes an artifact file atomically (mode 0600), creating its parent directories (0750) first.
 * Errors: `create <what> directory: …`, `write <what>: …` (Go os error text, naming the file;
 * a target that is not a regular file is refused: see files.ts).
 */
export async function writeArtifact(file: string, text: string, what: string): Promise<void> {
  const dir = path.dirname(file);
  try {
    await mkdirAll(dir, 0o750);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    // A path component that exists as a file: Node says EEXIST, Go's MkdirAll says ENOTDIR.
    const reported = e.code === 'EEXIST' ? Object.assign(new Error(e.message), { code: 'ENOTDIR' }) : err;
    throw invalidInput(`create ${what} directory: ${osErrorText(reported, 'mkdir', e.path ?? dir)}`);
  }
  await writeOutputFile(file, text, 0o600, what);
}

/** A path flag as the commands use it: trimmed. */
export function pathFlag(flags: ParsedFlags, name: string): string {
  return goTrim(flagString(flags, name));
}
