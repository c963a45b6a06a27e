import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { GaitError } from '../../bindings/errors.js';
import { canonicalize } from '../../bindings/canonical/jcs.js';
import { digestJson } from '../../bindings/canonical/sha256.js';
import { encodeBase64Std } from '../../bindings/crypto/base64.js';
import { generateKeyPair } from '../../bindings/crypto/ed25519.js';
import { keyId, parsePrivateKey, parsePublicKey } from '../../bindings/crypto/keys.js';
import {
  SIGNATURE_VERIFY_FAILED,
  signJson,
  signJsonSync,
  signedDigest,
  verifyJson,
  verifyJsonSync,
  withoutSignature,
  type Signature,
} from '../../bindings/crypto/signed-json.js';

const FIXTURES = new URL('../fixtures/gait/', import.meta.url);
const text = (rel: string): Promise<string> => readFile(new URL(rel, FIXTURES), 'utf8');
const json = async (rel: string): Promise<Record<string, unknown> & { signature: Signature }> => JSON.parse(await text(rel));

const approvalPub = async (): Promise<Uint8Array> => parsePublicKey(await text('scenarios/keys/approval_public.key'));
const approvalPriv = async (): Promise<Uint8Array> => parsePrivateKey(await text('scenarios/keys/approval_private.key'));
const delegationPub = async (): Promise<Uint8Array> => parsePublicKey(await text('signed/delegation_public.key'));

const TOKENS = [
  { file: 'signed/approval_token_valid.json', key: approvalPub, digest: 'd470f2e63450ca56d772bebbe269db46318f309181444bb2522bb262061079c0' },
  { file: 'signed/delegation_token_1.json', key: delegationPub, digest: '63ffcb2916228baf7e2a3b4d57f833aeba8a08d114659990e4644b9b13bdd9e0' },
  { file: 'signed/delegation_token_2.json', key: delegationPub, digest: '3a9e00573bb8527ca7a89813547ec21043a60c77b0c891eb5c817896262344e8' },
  { file: 'signed/delegation_token_3.json', key: delegationPub, digest: 'd37f2bc6e182a895c1639450d684860bd2fe51025abd470afbf267170fb4baf8' },
];

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(GaitError);
    expect((err as GaitError).category).toBe('verification_failed');
    return (err as Error).message;
  }
  throw new Error('expected a rejection');
}

describe('signed JSON: fixtures made by Gait', () => {
  for (const t of TOKENS) {
    it(`${t.file}: JCS digest equals signed_digest and the signature verifies`, async () => {
      const token = await json(t.file);
      const payload = withoutSignature(token);
      // The fixtures' timestamps are already Go RFC3339Nano (trailing fraction zeros trimmed,
      // e.g. "2026-02-18T19:13:04.95397Z"), so the file values are signed as they stand.
      expect(digestJson(payload)).toBe(t.digest);
      expect(token.signature.signed_digest).toBe(t.digest);
      const pub = await t.key();
      expect(token.signature.key_id).toBe(keyId(pub));
      await verifyJson(payload, token.signature, pub);
      await verifyJson(payload, token.signature, pub, { backend: 'noble' });
      await verifyJson(payload, token.signature, pub, { backend: 'webcrypto' });
      verifyJsonSync(payload, token.signature, pub);
      // Position of `signature` is irrelevant: the whole token verifies too.
      await verifyJson(token, token.signature, pub);
    });
  }

  it('approval token: exact canonical bytes from §8', async () => {
    const token = await json('signed/approval_token_valid.json');
    expect(canonicalize(withoutSignature(token))).toBe(
      '{"approver_identity":"human.reviewer","created_at":"2026-02-24T12:42:58.228785Z","expires_at":"2036-02-22T12:42:58.228785Z","intent_digest":"4b53bb79e35105ac9170963ac6f84ed0ed15530c68f06a46fc1233c5ec766913","policy_digest":"07a528a879e4f0e0cd5a0e2ca801924746b47dac624862207ef21d4ec266f8f9","producer_version":"0.0.0-dev","reason_code":"MANUAL_APPROVAL","schema_id":"gait.gate.approval_token","schema_version":"1.0.0","scope":["tool:tool.write"],"token_id":"ec44f8948261811d131eb04a"}',
    );
  });

  it('re-signing the approval token with approval_private.key reproduces its signature byte for byte', async () => {
    const token = await json('signed/approval_token_valid.json');
    const priv = await approvalPriv();
    const payload = withoutSignature(token);
    const viaAuto = await signJson(payload, priv);
    const viaNoble = await signJson(payload, priv, { backend: 'noble' });
    const viaWebCrypto = await signJson(payload, priv, { backend: 'webcrypto' });
    const viaSync = signJsonSync(payload, priv);
    for (const s of [viaAuto, viaNoble, viaWebCrypto, viaSync]) {
      expect(s).toEqual(token.signature);
      expect(Object.keys(s)).toEqual(['alg', 'key_id', 'sig', 'signed_digest']);
    }
    expect(viaAuto.sig).toBe('FfgS+OlPSQOvVTCvc+0NZ+HKwlhJcHXxygZQiVyn1artAmKuqYnhlRBM3kC4FCW4/kkceUImKFLLjy+z9JN5BA==');
    // Signing ignores an existing `signature` member.
    expect(await signJson(token, priv)).toEqual(token.signature);
  });

  it('the signature is over the raw digest bytes, not the hex text or the JSON', async () => {
    const { verify } = await import('../../bindings/crypto/ed25519.js');
    const { decodeBase64Std } = await import('../../bindings/crypto/base64.js');
    const token = await json('signed/approval_token_valid.json');
    const pub = await approvalPub();
    const sig = decodeBase64Std(token.signature.sig);
    const enc = new TextEncoder();
    expect(await verify(pub, enc.encode(token.signature.signed_digest), sig)).toBe(false);
    expect(await verify(pub, enc.encode(canonicalize(withoutSignature(token))), sig)).toBe(false);
  });

  it('tampering with any field makes verification fail', async () => {
    for (const t of TOKENS) {
      const token = await json(t.file);
      const pub = await t.key();
      const payload = withoutSignature(token) as Record<string, unknown>;
      for (const field of Object.keys(payload)) {
        const tampered = structuredClone(payload);
        const v = tampered[field];
        tampered[field] = Array.isArray(v) ? [...v, 'tool:extra'] : `${String(v)}x`;
        expect(await rejection(verifyJson(tampered, token.signature, pub)), `${t.file} ${field}`).toBe('signed_digest mismatch');
      }
      // Added and removed fields change the digest too.
      expect(await rejection(verifyJson({ ...payload, max_ops: 1 }, token.signature, pub))).toBe('signed_digest mismatch');
      const { scope: _s, ...noScope } = payload;
      expect(await rejection(verifyJson(noScope, token.signature, pub))).toBe('signed_digest mismatch');
    }
  });

  it('a forged envelope with a recomputed digest fails at the signature', async () => {
    const token = await json('signed/approval_token_valid.json');
    const tampered = { ...withoutSignature(token), approver_identity: 'mallory' };
    const forged = { ...token.signature, signed_digest: signedDigest(tampered) };
    expect(await rejection(verifyJson(tampered, forged, await approvalPub()))).toBe(SIGNATURE_VERIFY_FAILED);
    expect(() => verifyJsonSync(tampered, forged, new Uint8Array(32).fill(1))).toThrow('key id mismatch');
  });
});

describe('signed JSON: §2.4 verification order and errors', () => {
  const { privateKey, publicKey } = generateKeyPair();
  const payload = { schema_id: 'x', n: 1, list: ['b', 'a'] };
  const good = signJsonSync(payload, privateKey);

  it('signs with key_id and the JCS digest', () => {
    expect(good.alg).toBe('ed25519');
    expect(good.key_id).toBe(keyId(publicKey));
    expect(good.signed_digest).toBe(digestJson(payload));
    verifyJsonSync(payload, good, publicKey);
  });

  it('each step has its exact error, in order', async () => {
    const cases: [Partial<Record<keyof Signature, unknown>>, string][] = [
      [{ ...good, signed_digest: '' }, 'missing signed_digest'],
      [{ ...good, signed_digest: undefined }, 'missing signed_digest'],
      [{ ...good, signed_digest: good.signed_digest.toUpperCase() }, 'signed_digest mismatch'],
      [{ ...good, signed_digest: '00'.repeat(32), alg: 'rsa' }, 'signed_digest mismatch'],
      [{ ...good, alg: 'rsa' }, 'unsupported alg: rsa'],
      [{ ...good, alg: 'Ed25519' }, 'unsupported alg: Ed25519'],
      [{ ...good, alg: '' }, 'unsupported alg: '],
      [{ ...good, alg: 'rsa', key_id: 'nope' }, 'unsupported alg: rsa'],
      [{ ...good, key_id: 'nope' }, 'key id mismatch'],
      [{ ...good, key_id: 'nope', sig: '!!' }, 'key id mismatch'],
      [{ ...good, sig: 'ab!c' }, 'decode sig: illegal base64 data at input byte 2'],
      [{ ...good, sig: good.sig.replace(/=+$/, '') }, `decode sig: illegal base64 data at input byte ${good.sig.replace(/=+$/, '').length - 2}`],
      [{ ...good, sig: 'Zm9v' }, 'invalid signature length: 3'],
      [{ ...good, sig: '' }, 'invalid signature length: 0'],
      [{ ...good, sig: encodeBase64Std(new Uint8Array(64)) }, SIGNATURE_VERIFY_FAILED],
    ];
    for (const [sig, message] of cases) {
      expect(await rejection(verifyJson(payload, sig, publicKey)), JSON.stringify(sig)).toBe(message);
      expect(() => verifyJsonSync(payload, sig, publicKey)).toThrow(message);
    }
  });

  it('an empty key_id is not checked', async () => {
    await verifyJson(payload, { ...good, key_id: '' }, publicKey);
  });

  it('a signature from another key fails with key id mismatch, or at the signature without key_id', async () => {
    const other = generateKeyPair();
    expect(await rejection(verifyJson(payload, good, other.publicKey))).toBe('key id mismatch');
    expect(await rejection(verifyJson(payload, { ...good, key_id: '' }, other.publicKey))).toBe(SIGNATURE_VERIFY_FAILED);
  });
});
