/**
 * gate eval's signed-artifact flags (cli.md §2.3 steps 13, 17, 18; signed_artifacts.md §1.6):
 * which flags name a stage's verify key, and the lazy loaders the pipeline (enforce.ts) calls
 * only when that stage runs, so a stage that does not run reads none of its files.
 */
import type { ParsedFlags } from './flags.js';
import { flagString } from './flags.js';
import { invalidInput } from '../errors.js';
import { readRegularFile, readFailureText } from './files.js';
import type { KeySources } from '../crypto/keys.js';
import { mergeTokenPaths, MAX_ARTIFACT_BYTES } from '../tokens/index.js';

export const TOKEN_FLAGS = [
  'approval-token', 'approval-token-chain', 'approval-token-ref', 'approval-public-key', 'approval-public-key-env',
  'approval-private-key', 'approval-private-key-env', 'approval-audit-out', 'delegation-token', 'delegation-token-chain',
  'delegation-public-key', 'delegation-public-key-env', 'delegation-private-key', 'delegation-private-key-env',
  'delegation-audit-out', 'approved-script-registry', 'approved-script-public-key', 'approved-script-public-key-env',
];

/**
 * A stage's own key flags (`--<stage>-public-key`, `-env`, `--<stage>-private-key`, `-env`), or
 * undefined when none is set. The pipeline falls back: delegation and registry to the approval
 * key, approval and delegation to the trace signing key.
 */
export function keySources(flags: ParsedFlags, stage: string): KeySources | undefined {
  const s: KeySources = {
    publicKeyPath: flagString(flags, `${stage}-public-key`) || undefined,
    publicKeyEnv: flagString(flags, `${stage}-public-key-env`) || undefined,
    privateKeyPath: flagString(flags, `${stage}-private-key`) || undefined,
    privateKeyEnv: flagString(flags, `${stage}-private-key-env`) || undefined,
  };
  return s.publicKeyPath || s.publicKeyEnv || s.privateKeyPath || s.privateKeyEnv ? s : undefined;
}

/** A token file: a regular file of at most MAX_ARTIFACT_BYTES. */
async function readToken(path: string, what: string): Promise<Uint8Array> {
  try {
    return await readRegularFile(path, MAX_ARTIFACT_BYTES);
  } catch (err) {
    throw invalidInput(`read ${what}: ${readFailureText(err, path)}`);
  }
}

/**
 * The tokens of `--<kind>-token` and `--<kind>-token-chain`, each read and parsed in turn (the
 * first bad file is the error), or undefined when none is given.
 */
export function tokenLoader<T>(flags: ParsedFlags, kind: 'approval' | 'delegation', parse: (bytes: Uint8Array) => T): (() => Promise<{ path: string; token: T }[]>) | undefined {
  const paths = mergeTokenPaths(flagString(flags, `${kind}-token`) || undefined, flagString(flags, `${kind}-token-chain`) || undefined);
  if (paths.length === 0) return undefined;
  return async () => {
    const tokens = [];
    for (const path of paths) tokens.push({ path, token: parse(await readToken(path, `${kind} token`)) });
    return tokens;
  };
}
