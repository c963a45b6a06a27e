// Every scenario of the differential runner, in `--commands` order. A scenario is
//   { name (the --commands name), command (the Gait command, for known-differences.mjs),
//     label? (for reports), generate(seed) -> case, files(case) -> { name: text },
//     steps(case) -> [{ argv, capture?: { label: file }, env?, keep?, opaque? }] (harness.mjs runSteps), text? (compare stdout as bytes),
//     stateful?(case) (a disagreement must reproduce once more to count),
//     prepare?(case, env) -> { name: text } (files minted once, e.g. by the side the case picks,
//       then given to both CLIs), check?(ours, gait, case, env) -> extra diffs (cross-checks),
//     context?(ours, gait, diffs, env) -> extra fields for the known-differences matchers,
//     randomFields? (a function of the case giving all its per-run random fields, or a list of
//       fields to blank besides RANDOM_FIELDS, e.g. `key_id` of a fresh key),
//     scrub?(text) -> text (applied to stdout and captured files before comparing, e.g. to blank
//       wall-clock times inside strings) }.
// `env` is { ours: argv, gait: argv, timeout }.
import { POLICY_SCENARIOS } from './policy.mjs';
import { TOKEN_SCENARIOS } from './tokens.mjs';
import { ARTIFACT_SCENARIOS } from './artifacts.mjs';
import { CONTEXT_SCENARIOS } from './context.mjs';
import { MCP_SCENARIOS } from './mcp.mjs';

export const SCENARIOS = [...POLICY_SCENARIOS, ...TOKEN_SCENARIOS, ...ARTIFACT_SCENARIOS, ...CONTEXT_SCENARIOS, ...MCP_SCENARIOS];
