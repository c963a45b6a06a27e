// `policy validate` reports policyWarnings: JSON `warnings` (only when there are some, so a clean
// policy keeps Gait's exact shape), text mode on stderr (stdout stays Gait's one line). The exit
// code never changes: Gait accepts all of these policies.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gait, FIXTURES } from './run.js';

function policyFile(text: string): string {
  const p = path.join(mkdtempSync(path.join(tmpdir(), 'gait-warn-')), 'policy.yaml');
  writeFileSync(p, text);
  return p;
}

const ZERO_WIDTH = 'default_verdict: block\nrules:\n  - name: block-delete\n    effect: block\n    match:\n      tool_names: ["tool.delete\\u200b"]\n';

describe('policy validate warnings', () => {
  it('a zero-width character in a block rule: JSON warnings, exit 0, digest as Gait', async () => {
    const r = await gait(['policy', 'validate', policyFile(ZERO_WIDTH), '--json']);
    expect(r.exit).toBe(0);
    expect(r.json.ok).toBe(true);
    expect(r.json.policy_digest).toBe('cff635fbb47249e97595d9cbda7f8e36f0be9a8456bba017926167b719d09190'); // Gait v1.3.6's
    expect(r.json.warnings).toEqual([
      'control_character: rule "block-delete" match.tool_names[0] "tool.delete\\u200b" contains U+200B (a control character that matching compares byte for byte; remove it)',
    ]);
  });

  it('text mode: stdout is the summary line alone, warnings go to stderr', async () => {
    const p = policyFile(ZERO_WIDTH);
    const r = await gait(['policy', 'validate', p]);
    expect(r.exit).toBe(0);
    expect(r.stdout).toMatch(/^policy validate ok: default=block rules=1 digest=[0-9a-f]{64}\n$/);
    expect(r.stderr).toBe('warning: control_character: rule "block-delete" match.tool_names[0] "tool.delete\\u200b" contains U+200B (a control character that matching compares byte for byte; remove it)\n');
  });

  it('duplicate rule names are accepted like Gait, with a warning', async () => {
    const dup = 'default_verdict: block\nrules:\n  - name: dup\n    effect: allow\n    priority: 10\n    match: { tool_names: [tool.read] }\n  - name: dup\n    effect: block\n    priority: 10\n    match: { risk_classes: [high] }\n';
    const r = await gait(['policy', 'validate', policyFile(dup), '--json']);
    expect(r.exit).toBe(0);
    expect(r.json.rule_count).toBe(2);
    expect(r.json.warnings).toEqual([expect.stringMatching(/^duplicate_rule_name: 2 rules are named "dup": /)]);
  });

  it('a clean default-deny policy has no warnings key at all', async () => {
    const r = await gait(['policy', 'validate', FIXTURES + 'policy/base_medium_risk.yaml', '--json']);
    expect(r.exit).toBe(0);
    expect('warnings' in r.json).toBe(false);
    const text = await gait(['policy', 'validate', FIXTURES + 'policy/base_medium_risk.yaml']);
    expect(text.stderr).toBe('');
  });
});
