/**
 * `gait policy compile <policy.yaml> [--out policy.gaitc]`: the library's compilePolicy
 * (bindings/compiled/) on a policy file, optionally signed with the signing commands' key flags,
 * written atomically (nothing is written when anything fails).
 */
import type { CommandContext } from './output.js';
import { printJson } from './output.js';
import { parseFlags, flagString } from './flags.js';
import { invalidInput } from '../errors.js';
import { readPolicyFile } from '../policy/load-node.js';
import { parsePolicyBytes } from '../policy/parse.js';
import { compilePolicy } from '../compiled/compile.js';
import { loadCompiledPolicy } from '../compiled/load-sync.js';
import { FORMAT_VERSION } from '../compiled/format.js';
import { SIGNING_FLAGS, signingKeyFromFlags } from './signing-io.js';
import { checkOutputFile, writeOutputFile } from './files.js';

export const COMPILE_USAGE = `Usage: gait policy compile <policy.yaml> [--out policy.gaitc] [--key-mode prod --private-key <path>|--private-key-env <VAR>] [--json]
  Compile a policy for loading without the YAML parser (createGate, gait-wasm/compiled): the
  normalized policy in the engine's compact form, its policy_digest and a checksum; signed with
  an ed25519 key when --key-mode prod is given (verify with loadCompiledPolicy(bytes, { publicKey })).
  --out defaults to the policy's path with .gaitc for .yaml/.yml.
`;

/** policy.yaml -> policy.gaitc (any other name gets .gaitc appended). */
function defaultOut(file: string): string {
  return /\.ya?ml$/i.test(file) ? file.replace(/\.ya?ml$/i, '.gaitc') : `${file}.gaitc`;
}

export async function compile(ctx: CommandContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, { bools: ['json'], strings: ['out', ...SIGNING_FLAGS] }, true);
  if (flags.help) {
    ctx.io.stdout(COMPILE_USAGE);
    return 0;
  }
  if (flags.positionals.length !== 1) throw invalidInput('expected <policy.yaml>');
  const file = flags.positionals[0]!;
  if (file.trim() === '') throw invalidInput('policy path must not be empty');
  const out = flags.strings.has('out') ? flagString(flags, 'out') : defaultOut(file);
  if (out.trim() === '') throw invalidInput('--out must not be empty');
  const policy = parsePolicyBytes(await readPolicyFile(file));
  let privateKey: Uint8Array | undefined;
  let publicKey: Uint8Array | undefined;
  if (SIGNING_FLAGS.some((f) => flags.strings.has(f))) {
    const key = await signingKeyFromFlags(flags, ctx.io.env);
    // A dev key is thrown away: nobody could ever verify the file.
    if (key.mode === 'dev') throw invalidInput('policy compile signs with --key-mode prod and a private key (a dev-mode key is thrown away, so nothing could verify the file); omit the key flags for an unsigned file');
    privateKey = key.privateKey;
    publicKey = key.publicKey;
  }
  await checkOutputFile(out, 'compiled policy');
  const bytes = compilePolicy(policy, privateKey ? { privateKey } : {});
  // Read back as a loader would before anything is written: the file on disk always loads.
  const loaded = loadCompiledPolicy(bytes, publicKey ? { publicKey } : {});
  await writeOutputFile(out, bytes, 0o644, 'compiled policy');
  const summary = `policy compile ok: out=${out} bytes=${bytes.length} digest=${loaded.policyDigest} signed=${loaded.signed}`;
  if (!ctx.json) {
    ctx.io.stdout(summary + '\n');
    return 0;
  }
  return printJson(ctx, {
    ok: true,
    path: file,
    out,
    bytes: bytes.length,
    format_version: FORMAT_VERSION,
    policy_digest: loaded.policyDigest,
    default_verdict: policy.default_verdict,
    rule_count: policy.rules.length || undefined,
    signed: loaded.signed,
    key_id: loaded.keyId,
    summary,
  }, 0);
}
