// Every scenario of the differential runner, in `--commands` order. A scenario is
//   { name (the --commands name), command (the Gait command, for known-differences.mjs),
//     label? (for reports), generate(seed) -> case, files(case) -> { name: text },
//     steps(case) -> [{ argv, capture?: { label: file }, env? }], text? (compare stdout as bytes),
//     stateful?(case) (a disagreement must reproduce once more to count),
//     prepare?(case, env) -> { name: text } (files minted once, e.g. by the side the case picks,
//       then given to both CLIs), check?(ours, gait, case, env) -> extra diffs (cross-checks),
//     context?(ours, gait, diffs, env) -> extra fields for the known-differences matchers,
//     randomFields?(case) -> the per-run random fields of this case (default RANDOM_FIELDS) }.
// `env` is { ours: argv, gait: argv, timeout }.
import { POLICY_SCENARIOS } from './policy.mjs';
import { TOKEN_SCENARIOS } from './tokens.mjs';

export const SCENARIOS = [...POLICY_SCENARIOS, ...TOKEN_SCENARIOS];
