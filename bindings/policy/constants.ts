/**
 * The policy layer's public constants, apart from the modules that use them, so that the public
 * types (policy/index.ts) reach no declaration that imports the `yaml` package: it is bundled,
 * not a dependency of the published package.
 */

export const MAX_POLICY_BYTES = 4 * 1024 * 1024;
export const MAX_NESTING_DEPTH = 64;

/** cli.md §1: the hint the CLI attaches to the legacy-format error (legacy.ts). */
export const LEGACY_POLICY_HINT =
  'use the repo-root `.gait.yaml` contract: `schema_id`, `schema_version`, `default_verdict`, optional `fail_closed`, optional `mcp_trust`, and `rules`';
