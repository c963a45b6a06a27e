/** Signing and verification for Gait artifacts: Ed25519, key files, the signature envelope, traces. */
export * from './base64.js';
export * from './ed25519.js';
export {
  DEV_MODE_WARNING,
  encodePrivateKey,
  encodePublicKey,
  generateKeyPair,
  hasKeySource,
  keyId,
  parsePrivateKey,
  parsePublicKey,
  publicKeyOf,
  resolveSigningKey,
  resolveVerifyKey,
  trimKeyText,
  type KeyIO,
  type KeyPair,
  type KeySources,
  type SigningKey,
  type SigningKeyConfig,
  type VerifyKey,
} from './keys.js';
export * from './signed-json.js';
export * from './trace.js';
