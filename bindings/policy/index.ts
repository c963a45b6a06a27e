/** Public policy API: parse (strict, normalized), digest, canonical format. */
export type * from './model.js';
export { ENDPOINT_CLASSES, DISCOVERY_METHODS, TARGET_KINDS, PROVENANCE_SOURCES, VERDICTS } from './model.js';
export { parsePolicyYaml, parsePolicyBytes } from './parse.js';
export { normalizePolicy } from './normalize.js';
export { policyDigest, policyDigestPayload } from './digest.js';
export { formatPolicy } from './format.js';
export { LEGACY_POLICY_HINT, MAX_POLICY_BYTES, MAX_NESTING_DEPTH } from './constants.js';
export { policyWarnings, POLICY_WARNING_CODES, type PolicyWarningCode } from './warnings.js';
