/**
 * `gait delegate mint|verify` (signed_artifacts.md §4.4): mint a signed delegation token, or
 * check one token's signature, expiry and optional expectations (exit 2 when it fails).
 */
import type { CommandContext } from './output.js';
import { printJson, printError } from './output.js';
import { parseFlags, flagString } from './flags.js';
import { invalidInput } from '../errors.js';
import { nowTime } from '../time.js';
import { VERSION } from '../version.js';
import { resolveVerifyKey } from '../crypto/keys.js';
import { nodeKeyIO } from '../crypto/io-node.js';
import { readRegularFile, readFailureText, FileTooLargeError } from './files.js';
import {
  MAX_ARTIFACT_BYTES, delegationTokenSummary, mintDelegationToken, parseDelegationToken, parsePositiveTtl,
  serializeDelegationToken, splitCsv, validateDelegationToken,
} from '../tokens/index.js';
import { SIGNING_FLAGS, pathFlag, signingKeyFromFlags, wantsExplain, writeArtifact } from './signing-io.js';

export const DELEGATE_USAGE = `Usage:
  gait delegate mint --delegator <identity> --delegate <identity> --scope <csv> --ttl <duration>
                     [--scope-class <value>] [--intent-digest <sha256>] [--policy-digest <sha256>]
                     [--out token.json] [--key-mode dev|prod] [--private-key <path>|--private-key-env <VAR>] [--json]
  gait delegate verify --token <token.json> [--delegator <identity>] [--delegate <identity>] [--scope <csv>]
                       [--intent-digest <sha256>] [--policy-digest <sha256>]
                       [--public-key <path>|--public-key-env <VAR>|--private-key <path>|--private-key-env <VAR>] [--json]
  mint writes the token to --out (default delegation_<token_id>.json).
  verify exits 0 when the token holds, 2 when it does not (signature, expiry, identities, digests, scope).
`;

const EXPLAIN = 'Mint and verify signed delegation tokens that grant a delegate scoped authority from a delegator for a limited time.';

export async function runDelegate(ctx: CommandContext, args: readonly string[]): Promise<number> {
  if (wantsExplain(args)) {
    ctx.io.stdout(EXPLAIN + '\n');
    return 0;
  }
  const [sub, ...rest] = args;
  if (sub === 'mint') return delegateMint(ctx, rest);
  if (sub === 'verify') return delegateVerify(ctx, rest);
  ctx.io.stdout(DELEGATE_USAGE);
  return sub === '--help' || sub === '-help' || sub === '-h' || sub === 'help' ? 0 : 6;
}

const MINT_FLAGS = ['delegator', 'delegate', 'scope', 'ttl', 'scope-class', 'intent-digest', 'policy-digest', 'out', ...SIGNING_FLAGS];

async function delegateMint(ctx: CommandContext, args: readonly string[]): Promise<number> {
  try {
    const flags = parseFlags(args, { strings: MINT_FLAGS, bools: ['json'] }, false);
    if (flags.help) {
      ctx.io.stdout(DELEGATE_USAGE);
      return 0;
    }
    if (flags.positionals.length > 0) throw invalidInput('unexpected positional arguments');
    const ttl = parsePositiveTtl(flagString(flags, 'ttl'));
    const scope = splitCsv(flagString(flags, 'scope'));
    if (scope.length === 0) throw invalidInput('scope is required');
    const key = await signingKeyFromFlags(flags, ctx.io.env);
    const token = await mintDelegationToken({
      delegator: flagString(flags, 'delegator'),
      delegate: flagString(flags, 'delegate'),
      scope,
      scopeClass: flagString(flags, 'scope-class'),
      intentDigest: flagString(flags, 'intent-digest'),
      policyDigest: flagString(flags, 'policy-digest'),
      ttl,
      now: nowTime(),
      privateKey: key.privateKey,
      producerVersion: VERSION,
    });
    const out = pathFlag(flags, 'out') || `delegation_${token.token_id}.json`;
    await writeArtifact(out, serializeDelegationToken(token), 'delegation token');
    if (ctx.json) {
      return printJson(ctx, {
        ok: true,
        token_path: out,
        ...delegationTokenSummary(token, 'signed delegation token created'),
        ...(key.warnings.length > 0 ? { warnings: key.warnings } : {}),
      }, 0);
    }
    ctx.io.stdout(`delegation token ok: ${out}\n`);
    return 0;
  } catch (err) {
    return printError(ctx, 'delegate', err);
  }
}

const VERIFY_FLAGS = [
  'token', 'delegator', 'delegate', 'scope', 'intent-digest', 'policy-digest',
  'public-key', 'public-key-env', 'private-key', 'private-key-env',
];

/** The token file: a regular file of at most MAX_ARTIFACT_BYTES. */
async function readTokenFile(file: string): Promise<Uint8Array> {
  try {
    return await readRegularFile(file, MAX_ARTIFACT_BYTES);
  } catch (err) {
    if (err instanceof FileTooLargeError) throw invalidInput(`read delegation token: ${file} exceeds ${MAX_ARTIFACT_BYTES} bytes`);
    throw invalidInput(`read delegation token: ${readFailureText(err, file)}`);
  }
}

async function delegateVerify(ctx: CommandContext, args: readonly string[]): Promise<number> {
  try {
    const flags = parseFlags(args, { strings: VERIFY_FLAGS, bools: ['json'] }, false);
    if (flags.help) {
      ctx.io.stdout(DELEGATE_USAGE);
      return 0;
    }
    if (flags.positionals.length > 0) throw invalidInput('unexpected positional arguments');
    const tokenPath = pathFlag(flags, 'token');
    if (tokenPath === '') throw invalidInput('--token is required');
    const key = await resolveVerifyKey(
      {
        publicKeyPath: flagString(flags, 'public-key') || undefined,
        publicKeyEnv: flagString(flags, 'public-key-env') || undefined,
        privateKeyPath: flagString(flags, 'private-key') || undefined,
        privateKeyEnv: flagString(flags, 'private-key-env') || undefined,
      },
      nodeKeyIO(ctx.io.env),
    );
    const token = parseDelegationToken(await readTokenFile(tokenPath));
    const result = await validateDelegationToken(
      token,
      {
        delegator: flagString(flags, 'delegator'),
        delegate: flagString(flags, 'delegate'),
        intentDigest: flagString(flags, 'intent-digest'),
        policyDigest: flagString(flags, 'policy-digest'),
        requiredScopes: splitCsv(flagString(flags, 'scope')),
      },
      key.publicKey,
      nowTime(),
    );
    if (!result.ok) {
      if (ctx.json) {
        return printJson(ctx, {
          ok: false,
          token_id: token.token_id,
          token_path: tokenPath,
          error: result.error,
          error_code: result.code,
        }, 2);
      }
      ctx.io.stdout(`delegate error: ${result.error}\n`);
      return 2;
    }
    if (ctx.json) {
      return printJson(ctx, {
        ok: true,
        token_path: tokenPath,
        ...delegationTokenSummary(result.token, 'delegation token verified'),
      }, 0);
    }
    ctx.io.stdout(`delegation token ok: ${tokenPath}\n`);
    return 0;
  } catch (err) {
    return printError(ctx, 'delegate', err);
  }
}
