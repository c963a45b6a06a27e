/**
 * Signed artifacts (signed_artifacts.md §3-§6): approval tokens, delegation tokens and chains,
 * the approved-script registry, and the approval/delegation audit records.
 */
export {
  DEFAULT_PRODUCER_VERSION,
  MAX_ARTIFACT_BYTES,
  MAX_ARTIFACT_DEPTH,
  MAX_STAGE_TOKENS,
  goMarshalIndent,
  mergeTokenPaths,
  parsePositiveTtl,
  splitCsv,
  type TimeInput,
  type TtlInput,
  type Validation,
} from './common.js';
export { auditRelationship, type AuditRelationshipInput } from './audit.js';
export * from './approval.js';
export * from './delegation.js';
export * from './registry.js';
