/** `gait keys init` (signed_artifacts.md §1.5): writes an ed25519 key pair in Gait's format. */
import * as path from 'node:path';
import type { CommandContext } from './output.js';
import { printJson, printError } from './output.js';
import { parseFlags, flagString } from './flags.js';
import { invalidInput } from '../errors.js';
import { checkOutputFile, exists, writeOutputFile } from './files.js';
import { encodePrivateKey, encodePublicKey, keyId } from '../crypto/keys.js';
import { generateKeyPairAsync } from '../crypto/ed25519.js';

const USAGE = `Usage: gait keys init [--out-dir gait-out/keys] [--prefix gait] [--force] [--json]
  Writes <out-dir>/<prefix>_private.key and <prefix>_public.key (base64, Gait's format).
`;

export async function runKeys(ctx: CommandContext, args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'init') {
    ctx.io.stdout(USAGE);
    return sub === '--help' || sub === '-h' ? 0 : 6;
  }
  try {
    const flags = parseFlags(rest, { bools: ['json', 'force'], strings: ['out-dir', 'prefix'] }, true);
    if (flags.help) {
      ctx.io.stdout(USAGE);
      return 0;
    }
    if (flags.positionals.length > 0) throw invalidInput('unexpected positional arguments');
    const outDir = (flags.strings.has('out-dir') ? flagString(flags, 'out-dir') : 'gait-out/keys').trim();
    const prefix = (flags.strings.has('prefix') ? flagString(flags, 'prefix') : 'gait').trim();
    if (outDir === '') throw invalidInput('out-dir must not be empty');
    if (prefix === '') throw invalidInput('prefix must not be empty');
    const privatePath = path.join(outDir, `${prefix}_private.key`);
    const publicPath = path.join(outDir, `${prefix}_public.key`);
    if (!flags.bools.has('force')) {
      if (await exists(privatePath)) throw invalidInput(`private key path already exists (use --force): ${privatePath}`);
      if (await exists(publicPath)) throw invalidInput(`public key path already exists (use --force): ${publicPath}`);
    }
    // Gait creates only --out-dir: a prefix naming a folder inside it that does not exist fails.
    const keyDir = path.dirname(privatePath);
    if (keyDir !== path.normalize(outDir) && !(await exists(keyDir))) {
      throw invalidInput(`write private key: open ${privatePath}: no such file or directory`);
    }
    // Both paths are checked before either is written: never one key of a pair.
    await checkOutputFile(privatePath, 'private key');
    await checkOutputFile(publicPath, 'public key');
    const pair = await generateKeyPairAsync();
    await writeOutputFile(privatePath, encodePrivateKey(pair.privateKey), 0o600, 'private key');
    await writeOutputFile(publicPath, encodePublicKey(pair.publicKey), 0o600, 'public key');
    const id = keyId(pair.publicKey);
    if (ctx.json) {
      return printJson(ctx, { ok: true, prefix, key_id: id, public_key_path: publicPath, private_key_path: privatePath }, 0);
    }
    ctx.io.stdout(`keys init ok: key_id=${id} public=${publicPath} private=${privatePath}\n`);
    return 0;
  } catch (err) {
    return printError(ctx, 'keys init', err);
  }
}
