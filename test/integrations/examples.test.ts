// The agent-framework examples run as their README says, from the built package: they import
// `gait-wasm` and its `gait-wasm/ai-sdk` / `gait-wasm/openai-agents` subpaths by name (so the
// package's exports resolve), and the real `ai` / `@openai/agents` with scripted models.
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helpers without type declarations
import * as R from '../runtimes/runtimes.mjs';

const EXPECTED = [
  'read_file {"path":"/srv/app/README.md"}: allow [workspace_read] -> runs',
  'read_file {"path":"/etc/shadow"}: block [endpoint_path_not_allowlisted,read_outside_workspace,workspace_read] -> not executed',
  'write_file {"path":"/srv/app/config.yaml"}: require_approval [write_needs_approval] -> not executed',
  'delete_file {"path":"/srv/app/data.db"}: block [default_block] -> not executed',
  'deploy {"env":"prod"}: dry_run [deploy_rehearsal] -> not executed',
  'model told: gait: tool call "read_file" was blocked by policy (reason codes: endpoint_path_not_allowlisted, read_outside_workspace, workspace_read); it was not executed',
  'model told: gait: tool call "write_file" requires approval (reason codes: write_needs_approval); it was not executed',
  'model told: gait: tool call "delete_file" was blocked by policy (reason codes: default_block); it was not executed',
  'model told: gait: tool call "deploy" is a dry run (reason codes: deploy_rehearsal); it was not executed',
  'tools that ran: read /srv/app/README.md',
  'answer: Read the README; the rest was refused.',
  '',
].join('\n');

describe('agent-framework examples', () => {
  for (const script of ['ai-sdk.mjs', 'openai-agents.mjs']) {
    it(`node examples/agent-frameworks/${script}`, async () => {
      const r = await R.exec(process.execPath, [`examples/agent-frameworks/${script}`]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(EXPECTED);
    }, 60_000);
  }
});
