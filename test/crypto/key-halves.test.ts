// A private key file is seed || public key (signed_artifacts.md §1). When the two halves do not
// belong together, Go's ed25519 hashes the stored (wrong) public half and every signature it makes
// fails verification. Gait v1.3.6 accepts such a key (`keys verify` says ok, `gate eval` signs a
// trace that `trace verify` rejects); gait-wasm rejects it when the key is loaded.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GaitError } from '../../bindings/errors.js';
import { decodeBase64Std, encodeBase64Std } from '../../bindings/crypto/base64.js';
import { generateKeyPair, parsePrivateKey, resolveSigningKey, resolveVerifyKey, type KeyIO } from '../../bindings/crypto/keys.js';
import { gait } from '../cli/run.js';

const FIXTURES = new URL('../fixtures/gait/', import.meta.url);
const fixturePath = (rel: string): string => fileURLToPath(new URL(rel, FIXTURES));

/** The fixture seed with another key pair's public half. */
function mismatchedKeyText(): string {
  const good = decodeBase64Std(readFileSync(fixturePath('scenarios/keys/approval_private.key'), 'utf8').trim());
  const other = generateKeyPair();
  const bad = new Uint8Array(64);
  bad.set(good.subarray(0, 32), 0);
  bad.set(other.publicKey, 32);
  return encodeBase64Std(bad) + '\n';
}

const memIO = (files: Record<string, string>, env: Record<string, string> = {}): KeyIO => ({
  async readFile(p) {
    if (!(p in files)) throw new Error(`open ${p}: no such file or directory`);
    return files[p]!;
  },
  env: (name) => env[name],
});

const MESSAGE = 'private key halves do not match: the public key (bytes 32-63) is not the one derived from the seed (bytes 0-31)';

async function rejection(p: Promise<unknown>): Promise<GaitError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(GaitError);
    return err as GaitError;
  }
  throw new Error('expected a rejection');
}

describe('private key whose halves do not match', () => {
  const bad = mismatchedKeyText();

  it('parsePrivateKey rejects it (invalid_input); a good key still parses', () => {
    expect(() => parsePrivateKey(bad)).toThrow(GaitError);
    expect(() => parsePrivateKey(bad)).toThrow(MESSAGE);
    const good = generateKeyPair();
    expect(parsePrivateKey(encodeBase64Std(good.privateKey)).length).toBe(64);
  });

  it('resolveSigningKey rejects it from a file and from the environment', async () => {
    const io = memIO({ 'bad.key': bad }, { BAD_KEY: bad });
    for (const config of [{ mode: 'prod', privateKeyPath: 'bad.key' }, { mode: 'prod', privateKeyEnv: 'BAD_KEY' }]) {
      const err = await rejection(resolveSigningKey(config, io));
      expect(err.category).toBe('invalid_input');
      expect(err.message).toBe(MESSAGE);
    }
  });

  it('resolveVerifyKey rejects it as a private source', async () => {
    const err = await rejection(resolveVerifyKey({ privateKeyPath: 'bad.key' }, memIO({ 'bad.key': bad })));
    expect(err.message).toBe(MESSAGE);
  });

  it('the CLI exits 6 instead of signing a trace that never verifies', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gait-keyhalves-'));
    writeFileSync(path.join(dir, 'bad.key'), bad);
    const r = await gait([
      'gate', 'eval', '--policy', fixturePath('policy/base_low_risk.yaml'),
      '--intent', fixturePath('policy/intents/intent_read.json'),
      '--key-mode', 'prod', '--private-key', 'bad.key', '--trace-out', 'trace.json', '--json',
    ], { cwd: dir });
    expect(r.exit).toBe(6);
    expect(r.json['error_category']).toBe('invalid_input');
    expect(r.json['error']).toBe(MESSAGE);
  });
});
