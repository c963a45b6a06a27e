/**
 * Errors are data: every failure the gate reports carries a category that decides the exit code
 * (never the wording of its message; spec README decision 1).
 */
export type ErrorCategory =
  | 'invalid_input'
  | 'verification_failed'
  | 'policy_blocked'
  | 'approval_required'
  | 'dependency_missing'
  | 'io_failure'
  | 'state_contention'
  | 'internal_failure';

export class GaitError extends Error {
  readonly category: ErrorCategory;
  /** Optional machine-readable extras (for example the `migration` object of legacy policy errors). */
  readonly details: Record<string, unknown> | undefined;
  constructor(message: string, category: ErrorCategory = 'invalid_input', details?: Record<string, unknown>) {
    super(message);
    this.name = 'GaitError';
    this.category = category;
    this.details = details;
  }
}

/** Invalid input: bad files, bad YAML/JSON, failed validation. Exit 6. */
export function invalidInput(message: string, details?: Record<string, unknown>): GaitError {
  return new GaitError(message, 'invalid_input', details);
}
