/** The intent layer: decoding, normalization, digests and Wrkr inventories (intent.md §1-§5). */
export type * from './model.js';
export type * from './request.js';
export type {
  RawIntent, RawTarget, RawArgProvenance, RawSkillProvenance, RawDelegation, RawDelegationLink, RawContext,
  RawScript, RawScriptStep, RawRelationship, RawJson, RawObject,
} from './decode.js';
export { decodeIntentJson, decodeIntentBytes, decodeIntentValue, emptyRawIntent, MAX_INTENT_BYTES, MAX_INTENT_DEPTH } from './decode.js';
export {
  normalizeIntent, stripContextClaims, rawRiskClass, withAuthContextKeys, INTENT_SCHEMA_ID, INTENT_SCHEMA_VERSION,
  MAX_SCRIPT_STEPS,
} from './normalize.js';
export {
  intentProjection, intentDigest, argsDigest, scriptHash, delegationDigest, delegationProjection, scriptProjection,
  targetProjection, ZERO_TIME_TEXT,
} from './digest.js';
export { inferEndpointClass, inferEndpointDomain } from './targets.js';
export { parseWrkrInventory, wrkrAuthContext, type WrkrEntry, type WrkrInventoryMap } from './wrkr.js';
