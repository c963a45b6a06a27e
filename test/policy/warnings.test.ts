// `policy validate` warnings: patterns Gait accepts (verdicts unchanged) that only a default-deny
// policy survives, or that silently stop a rule from matching. Each warning names the rule and
// the field. Gait v1.3.6 itself prints no warnings: it accepts all of these policies.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePolicyYaml } from '../../bindings/policy/parse.js';
import { policyWarnings } from '../../bindings/policy/warnings.js';

const warn = (yaml: string): string[] => policyWarnings(parsePolicyYaml(yaml));

const rule = (match: string, extra = '', effect = 'block', name = 'block-delete'): string =>
  `  - name: ${name}\n    effect: ${effect}\n    match: ${match}\n${extra}`;

describe('control and invisible characters in values', () => {
  it.each([
    ['\\0', 'U+0000'], ['\\e', 'U+001B'], ['\\x01', 'U+0001'], ['\\x7f', 'U+007F'], ['\\x9b', 'U+009B'],
    ['\\uFEFF', 'U+FEFF'], ['\\u200B', 'U+200B'], ['\\u202E', 'U+202E'], ['\\u2066', 'U+2066'], ['\\u00AD', 'U+00AD'],
  ])('%s inside a tool name is reported with the rule, field and code point', (esc, cp) => {
    const w = warn(`default_verdict: block\nrules:\n${rule(`{ tool_names: ["tool.delete${esc}"] }`)}`);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(new RegExp(`^control_character: rule "block-delete" match\\.tool_names\\[0\\] "tool\\.delete\\\\u${cp.slice(2).toLowerCase()}" contains ${cp.replace('+', '\\+')} `));
  });

  it('U+0085 and U+2028 at the ends are trimmed like whitespace (Gait trims them too): no warning', () => {
    expect(warn(`default_verdict: block\nrules:\n${rule('{ tool_names: ["tool.delete\\x85", "\\u2028tool.x"] }')}`)).toEqual([]);
  });

  it('raw bytes, rule names, reason codes and top-level fields are checked too', () => {
    const w = warn(`default_verdict: block\nmcp_trust:\n  snapshot: "snap\\e.json"\nrules:\n  - name: "r\\u200B"\n    effect: block\n    match: { target_values: ["/etc/pass\x01wd"] }\n    reason_codes: ["code\\u202E"]\n`);
    expect(w).toEqual([
      'control_character: mcp_trust.snapshot "snap\\u001b.json" contains U+001B (a control character that matching compares byte for byte; remove it)',
      'control_character: rule "r\\u200b" name "r\\u200b" contains U+200B (a control character that matching compares byte for byte; remove it)',
      'control_character: rule "r\\u200b" match.target_values[0] "/etc/pass\\u0001wd" contains U+0001 (a control character that matching compares byte for byte; remove it)',
      'control_character: rule "r\\u200b" reason_codes[0] "code\\u202e" contains U+202E (a control character that matching compares byte for byte; remove it)',
    ]);
  });

  it('tabs and newlines inside a value are flagged; ordinary text is not', () => {
    expect(warn(`default_verdict: block\nrules:\n${rule('{ tool_names: ["tool\\tdelete"] }')}`)[0]).toMatch(/^control_character: .* contains U\+0009/);
    expect(warn(`default_verdict: block\nrules:\n${rule('{ tool_names: ["tool.delete"], target_values: ["/tmp/é ü"] }')}`)).toEqual([]);
  });
});

describe('duplicate rule names', () => {
  it('two rules with one name (or names differing only in case) are reported once', () => {
    const w = warn(`default_verdict: allow\nrules:\n${rule('{ risk_classes: [low] }', '    priority: 10\n', 'allow', 'dup')}${rule('{ risk_classes: [high] }', '    priority: 5\n', 'block', 'Dup')}`);
    expect(w).toEqual([
      'duplicate_rule_name: 2 rules are named "Dup", "dup" (names are compared ignoring case): matched_rule and the matched_rule_* reason code cannot tell which one decided; give each rule a unique name',
    ]);
  });
});

describe('exact-match blocks under default_verdict allow', () => {
  it('a block on specific tool names and targets with default allow is reported per rule', () => {
    const w = warn(`default_verdict: allow\nrules:\n${rule('{ tool_names: [tool.read], target_values: [/etc/passwd] }')}`);
    expect(w).toEqual([
      'default_allow_exact_match: default_verdict is allow and rule "block-delete" (block) matches exact strings in match.tool_names, match.target_values: any other spelling (the same tool under another name, /tmp/../etc/passwd for /etc/passwd) is allowed; prefer default_verdict: block with allow rules for what is permitted, and give the gate canonical paths',
    ]);
  });

  it('also for require_approval rules and destination_values; not with a default of block or require_approval', () => {
    expect(warn(`default_verdict: allow\nrules:\n${rule('{ destination_values: [s3://bucket] }', '', 'require_approval', 'ask')}`)[0])
      .toMatch(/^default_allow_exact_match: default_verdict is allow and rule "ask" \(require_approval\) matches exact strings in match\.destination_values: any other spelling \(\/tmp\/\.\.\/etc\/passwd for \/etc\/passwd\)/);
    expect(warn(`default_verdict: allow\nrules:\n${rule('{ tool_names: [tool.delete] }')}`)[0])
      .toContain('in match.tool_names: any other spelling (the same tool under another name) is allowed');
    for (const d of ['block', 'require_approval']) {
      expect(warn(`default_verdict: ${d}\nrules:\n${rule('{ tool_names: [tool.delete] }')}`)).toEqual([]);
    }
  });

  it('allow rules and rules matching only classes or kinds are not reported', () => {
    expect(warn(`default_verdict: allow\nrules:\n${rule('{ tool_names: [tool.read] }', '', 'allow', 'ok')}${rule('{ risk_classes: [critical], target_kinds: [host] }')}`)).toEqual([]);
  });

  it('an endpoint deny list without an allow list is reported, whatever the default', () => {
    const w = warn(`default_verdict: block\nrules:\n${rule('{ tool_names: [tool.write] }', '    endpoint:\n      path_denylist: [/etc/**]\n      domain_denylist: [evil.example]\n', 'allow', 'writes')}`);
    expect(w).toEqual([
      'deny_list_without_allow_list: rule "writes" endpoint.path_denylist, endpoint.domain_denylist without endpoint.path_allowlist, endpoint.domain_allowlist: deny lists compare spellings (/tmp/../etc/passwd is not under /etc/**); list what is allowed instead, and give the gate canonical paths (no list resolves `..`)',
    ]);
    expect(warn(`default_verdict: block\nrules:\n${rule('{ tool_names: [tool.write] }', '    endpoint:\n      path_allowlist: [/tmp/**]\n      path_denylist: [/tmp/secret/**]\n', 'allow', 'writes')}`)).toEqual([]);
  });
});

describe('lookalike tool names', () => {
  it('non-ASCII letters in tool names are reported (a Cyrillic о is not an o)', () => {
    const w = warn(`default_verdict: block\nrules:\n${rule('{ tool_names: [tооl.delete] }')}`);
    expect(w).toEqual([
      'non_ascii_tool_name: rule "block-delete" match.tool_names[0] "t\\u043e\\u043el.delete" contains U+043E: a lookalike letter does not match the ASCII name; write tool names in ASCII',
    ]);
    expect(warn(`default_verdict: block\nrules:\n${rule('{ context_tool_names: [ﬁle.read] }')}`)[0]).toMatch(/^non_ascii_tool_name: rule "block-delete" match\.context_tool_names\[0\] /);
  });
});

describe('risk classes outside low, medium, high, critical', () => {
  it('typos in match.risk_classes, fail_closed and mcp_trust are reported', () => {
    const w = warn(`default_verdict: block\nfail_closed:\n  enabled: true\n  risk_classes: [critcal, high]\nmcp_trust:\n  snapshot: s.json\n  required_risk_classes: [hihg]\nrules:\n${rule('{ risk_classes: [hgih, low] }')}`);
    expect(w).toEqual([
      'unknown_risk_class: fail_closed.risk_classes "critcal" is not low, medium, high or critical: it only matches an intent that uses this exact class (a typo never matches)',
      'unknown_risk_class: mcp_trust.required_risk_classes "hihg" is not low, medium, high or critical: it only matches an intent that uses this exact class (a typo never matches)',
      'unknown_risk_class: rule "block-delete" match.risk_classes "hgih" is not low, medium, high or critical: it only matches an intent that uses this exact class (a typo never matches)',
    ]);
  });
});

describe('approver and identity case', () => {
  it('rules needing distinct approvers say that identities are compared exactly', () => {
    const w = warn(`default_verdict: block\nrules:\n${rule('{ tool_names: [tool.write] }', '    min_approvals: 2\n', 'require_approval', 'two-person')}`);
    expect(w).toEqual([
      'approver_identity_case: rule "two-person" needs 2 distinct approvers, and approver identities are compared exactly (approvals from "alice" and "Alice" count as two): issue approvals under one canonical identity per person',
    ]);
    expect(warn(`default_verdict: block\nrules:\n${rule('{ tool_names: [tool.write] }', '    min_approvals: 1\n', 'require_approval', 'one')}`)).toEqual([]);
  });

  it('identity lists holding spellings that differ only in case are reported', () => {
    const w = warn(`default_verdict: block\nrules:\n${rule('{ identities: [alice, Alice, bob], allowed_delegator_identities: [Lead, lead] }', '', 'allow', 'who')}`);
    expect(w).toEqual([
      'identity_case: rule "who" match.identities lists "Alice", "alice": identities are compared exactly, so these are different identities; keep one spelling',
      'identity_case: rule "who" match.allowed_delegator_identities lists "Lead", "lead": identities are compared exactly, so these are different identities; keep one spelling',
    ]);
  });
});

describe('the shipped policies', () => {
  const ROOT = fileURLToPath(new URL('../../examples/', import.meta.url));
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) files.push(p);
    }
  };
  walk(ROOT);

  it('give only a few warnings each, and the templates only true ones', () => {
    const all: Record<string, string[]> = {};
    for (const f of files.sort()) {
      let policy;
      try {
        policy = parsePolicyYaml(readFileSync(f, 'utf8'));
      } catch {
        continue;
      }
      const w = policyWarnings(policy);
      expect(w.length, f).toBeLessThanOrEqual(3);
      all[f.slice(ROOT.length)] = w;
    }
    // The default-deny templates are clean but for the two-person rule of the high-risk one.
    expect(all['policy_templates/baseline-mediumrisk.yaml']).toEqual([]);
    expect(all['policy_templates/baseline-highrisk.yaml']).toEqual([
      'approver_identity_case: rule "require-approval-tool-write" needs 2 distinct approvers, and approver identities are compared exactly (approvals from "alice" and "Alice" count as two): issue approvals under one canonical identity per person',
    ]);
    // The low-risk template is default-allow with two exact-name rules: both warnings are true.
    expect(all['policy_templates/baseline-lowrisk.yaml']!.map((w) => w.split(':')[0])).toEqual(['default_allow_exact_match', 'default_allow_exact_match']);
    expect(all['node/policy.yaml']).toEqual([]);
  });
});
