/**
 * Policy YAML -> normalized policy, the pipeline of policy.md §1:
 * limits (size, UTF-8, nesting) -> stage A legacy keys -> stage B strict decode -> stage C
 * normalization and validation. Every failure is a GaitError with category invalid_input.
 */
import type { Policy } from './model.js';
import { YamlSource, decodeUtf8, prepareText } from './yaml-source.js';
import { detectLegacyKeys } from './legacy.js';
import { decodePolicy } from './decode.js';
import { normalizePolicy } from './normalize.js';
import { policyText } from '../arguments.js';
import { invalidInput } from '../errors.js';

/**
 * Parse policy text, or its bytes (strict UTF-8). A leading BOM is ignored; over 4 MiB is
 * rejected; any other argument is a GaitError.
 */
export function parsePolicyYaml(text: string | Uint8Array): Policy {
  const src = YamlSource.parse(prepareText(policyText('parsePolicyYaml', text)));
  const legacy = detectLegacyKeys(src);
  if (legacy) throw legacy;
  const problem = src.firstProblem();
  if (problem) throw problem;
  const policy = normalizePolicy(decodePolicy(src));
  // Gait validates min_score with comparisons NaN passes, then fails to marshal it for the digest.
  if (Number.isNaN(policy.mcp_trust.min_score)) throw invalidInput('marshal normalized policy: json: unsupported value: NaN');
  return policy;
}

/** Parse policy file bytes: must be UTF-8 (BOM allowed), at most 4 MiB. */
export function parsePolicyBytes(bytes: Uint8Array): Policy {
  return parsePolicyYaml(decodeUtf8(bytes));
}
