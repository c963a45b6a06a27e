/** Exit codes and the JSON error envelope (cli.md §0.4, §0.5; spec README decision 1). */
import type { ErrorCategory } from '../errors.js';
import { sha256Hex } from '../canonical/sha256.js';
import { goTrim } from '../canonical/text.js';

export const EXIT = {
  ok: 0,
  internal: 1,
  verificationFailed: 2,
  policyBlocked: 3,
  approvalRequired: 4,
  invalidInput: 6,
  dependencyMissing: 7,
} as const;

export function exitCodeFor(category: ErrorCategory): number {
  switch (category) {
    case 'invalid_input':
      return EXIT.invalidInput;
    case 'verification_failed':
      return EXIT.verificationFailed;
    case 'policy_blocked':
      return EXIT.policyBlocked;
    case 'approval_required':
      return EXIT.approvalRequired;
    case 'dependency_missing':
      return EXIT.dependencyMissing;
    default:
      return EXIT.internal;
  }
}

const CODE_BY_EXIT: Record<number, string> = {
  6: 'invalid_input', 2: 'verification_failed', 3: 'policy_blocked', 4: 'approval_required',
  7: 'dependency_missing', 8: 'unsafe_operation', 5: 'regress_failed',
};
const CATEGORY_BY_EXIT: Record<number, string> = {
  6: 'invalid_input', 2: 'verification_failed', 3: 'policy_blocked', 4: 'approval_required', 7: 'dependency_missing',
};
const HINT_BY_EXIT: Record<number, string> = {
  6: 'check command usage and input schema',
  2: 're-run verify after checking artifact integrity',
  3: 'inspect reason_codes and adjust policy or intent',
  4: 'provide a valid approval token and retry',
  7: 'install or configure the missing dependency and retry',
  8: 'pass explicit unsafe flags only for approved replay paths',
};

/** Fills the envelope fields an error payload lacks, from its exit code. */
export function withEnvelope(payload: Record<string, unknown>, exitCode: number): Record<string, unknown> {
  if (typeof payload['error'] !== 'string' || payload['error'] === '') return payload;
  const out = { ...payload };
  out['error_code'] ??= CODE_BY_EXIT[exitCode] ?? 'internal_failure';
  out['error_category'] ??= CATEGORY_BY_EXIT[exitCode] ?? 'internal_failure';
  out['retryable'] ??= out['error_category'] === 'network_transient' || out['error_category'] === 'state_contention';
  out['hint'] ??= HINT_BY_EXIT[exitCode] ?? 'retry after checking local environment and logs';
  return out;
}

/** First 12 bytes of SHA-256 over the trimmed argv tokens joined by 0x1F (argv[0] = "gait"). */
export function correlationId(argv: readonly string[]): string {
  return sha256Hex(['gait', ...argv].map(goTrim).join('\x1f')).slice(0, 24);
}
