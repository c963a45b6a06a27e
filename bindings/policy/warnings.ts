/**
 * Warnings about a valid policy: patterns that Gait accepts (verdicts are not changed) but that
 * silently stop a rule from matching, or that only a default-deny policy survives. Each warning
 * is one line, `<code>: <text>`, naming the rule and the field. `policy validate` prints them.
 */
import type { Policy, PolicyRule } from './model.js';
import { compareBytewise } from '../canonical/order.js';
import { withPolicy } from '../arguments.js';

/** Warning codes, in the order warnings are listed. */
export const POLICY_WARNING_CODES = [
  'control_character',
  'duplicate_rule_name',
  'default_allow_exact_match',
  'deny_list_without_allow_list',
  'non_ascii_tool_name',
  'unknown_risk_class',
  'approver_identity_case',
  'identity_case',
] as const;
export type PolicyWarningCode = (typeof POLICY_WARNING_CODES)[number];

/** At most this many control_character warnings; the rest are counted in one more line. */
const MAX_CONTROL_WARNINGS = 10;

/** Control (Cc), format (Cf: zero-width, bidi, BOM, soft hyphen) and line/paragraph separators. */
const CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const RISK_CLASSES = ['low', 'medium', 'high', 'critical'];
/** Raw aliases kept as written: their normalized twins (tool_names, ...) are checked instead. */
const ALIASES = new Set(['tool_name', 'endpoint_class', 'action', 'default_action']);

const codePoint = (c: string): string => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** A value quoted with everything outside printable ASCII escaped (`\u200b`), so it can be seen. */
function show(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) out += '\\' + s[i];
    else if (c >= 0x20 && c < 0x7f) out += s[i];
    else out += `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return out + '"';
}

const ruleLabel = (r: PolicyRule): string => `rule ${show(r.name)}`;

/** Every string in a value, with its path (`match.tool_names[0]`), in document order. */
function strings(value: unknown, path: string, out: Array<[string, string]>): void {
  if (typeof value === 'string') out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${path}[${i}]`, out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!ALIASES.has(k)) strings(v, path ? `${path}.${k}` : k, out);
    }
  }
}

function controlCharacters(p: Policy): string[] {
  const found: string[] = [];
  const check = (where: string, path: string, value: string): void => {
    const m = CONTROL.exec(value);
    if (m) {
      found.push(
        `control_character: ${where}${path} ${show(value)} contains ${codePoint(m[0])} ` +
          '(a control character that matching compares byte for byte; remove it)',
      );
    }
  };
  const { rules, ...top } = p;
  const values: Array<[string, string]> = [];
  strings(top, '', values);
  for (const [path, v] of values) check('', path, v);
  for (const r of rules) {
    const inRule: Array<[string, string]> = [];
    strings(r, '', inRule);
    for (const [path, v] of inRule) check(`${ruleLabel(r)} `, path, v);
  }
  if (found.length <= MAX_CONTROL_WARNINGS) return found;
  const more = found.length - MAX_CONTROL_WARNINGS;
  return [...found.slice(0, MAX_CONTROL_WARNINGS), `control_character: ${more} more value${more === 1 ? '' : 's'} with control characters`];
}

/** Distinct spellings, byte-wise sorted, of the groups of `values` equal ignoring case. */
function caseGroups(values: readonly string[]): string[][] {
  const groups = new Map<string, string[]>();
  for (const v of values) {
    const key = v.toLowerCase();
    const g = groups.get(key);
    if (g) g.push(v);
    else groups.set(key, [v]);
  }
  return [...groups.values()].filter((g) => g.length > 1).map((g) => [...new Set(g)].sort(compareBytewise));
}

function duplicateNames(p: Policy): string[] {
  const out: string[] = [];
  const counts = new Map<string, number>();
  for (const r of p.rules) counts.set(r.name.toLowerCase(), (counts.get(r.name.toLowerCase()) ?? 0) + 1);
  for (const spellings of caseGroups(p.rules.map((r) => r.name))) {
    const n = counts.get(spellings[0]!.toLowerCase())!;
    const ignoringCase = spellings.length > 1 ? ' (names are compared ignoring case)' : '';
    out.push(
      `duplicate_rule_name: ${n} rules are named ${spellings.map(show).join(', ')}${ignoringCase}: matched_rule and the ` +
        'matched_rule_* reason code cannot tell which one decided; give each rule a unique name',
    );
  }
  return out;
}

function defaultAllowExactMatch(p: Policy): string[] {
  if (p.default_verdict !== 'allow') return [];
  const out: string[] = [];
  for (const r of p.rules) {
    if (r.effect !== 'block' && r.effect !== 'require_approval') continue;
    const fields = (['tool_names', 'target_values', 'destination_values'] as const)
      .filter((f) => r.match[f].length > 0)
      .map((f) => `match.${f}`);
    if (fields.length === 0) continue;
    const dodges: string[] = [];
    if (r.match.tool_names.length > 0) dodges.push('the same tool under another name');
    if (fields.length > (r.match.tool_names.length > 0 ? 1 : 0)) dodges.push('/tmp/../etc/passwd for /etc/passwd');
    out.push(
      `default_allow_exact_match: default_verdict is allow and ${ruleLabel(r)} (${r.effect}) matches exact strings in ` +
        `${fields.join(', ')}: any other spelling (${dodges.join(', ')}) is allowed; ` +
        'prefer default_verdict: block with allow rules for what is permitted, and give the gate canonical paths',
    );
  }
  return out;
}

function denyListWithoutAllowList(p: Policy): string[] {
  const out: string[] = [];
  for (const r of p.rules) {
    const e = r.endpoint;
    const deny: string[] = [];
    const missing: string[] = [];
    if (e.path_denylist.length > 0 && e.path_allowlist.length === 0) {
      deny.push('endpoint.path_denylist');
      missing.push('endpoint.path_allowlist');
    }
    if (e.domain_denylist.length > 0 && e.domain_allowlist.length === 0) {
      deny.push('endpoint.domain_denylist');
      missing.push('endpoint.domain_allowlist');
    }
    if (deny.length === 0) continue;
    out.push(
      `deny_list_without_allow_list: ${ruleLabel(r)} ${deny.join(', ')} without ${missing.join(', ')}: deny lists ` +
        'compare spellings (/tmp/../etc/passwd is not under /etc/**); list what is allowed instead, and give the gate ' +
        'canonical paths (no list resolves `..`)',
    );
  }
  return out;
}

function nonAsciiToolNames(p: Policy): string[] {
  const out: string[] = [];
  for (const r of p.rules) {
    for (const field of ['tool_names', 'context_tool_names'] as const) {
      r.match[field].forEach((name, i) => {
        // Code points beyond ASCII that are not already reported as control characters.
        const c = [...name].find((ch) => ch.codePointAt(0)! > 0x7e && !CONTROL.test(ch));
        if (c === undefined) return;
        out.push(
          `non_ascii_tool_name: ${ruleLabel(r)} match.${field}[${i}] ${show(name)} contains ${codePoint(c)}: ` +
            'a lookalike letter does not match the ASCII name; write tool names in ASCII',
        );
      });
    }
  }
  return out;
}

function unknownRiskClasses(p: Policy): string[] {
  const out: string[] = [];
  const check = (where: string, values: readonly string[]): void => {
    for (const v of values) {
      if (RISK_CLASSES.includes(v)) continue;
      out.push(
        `unknown_risk_class: ${where} ${show(v)} is not low, medium, high or critical: it only matches an intent ` +
          'that uses this exact class (a typo never matches)',
      );
    }
  };
  check('fail_closed.risk_classes', p.fail_closed.risk_classes);
  check('mcp_trust.required_risk_classes', p.mcp_trust.required_risk_classes);
  for (const r of p.rules) check(`${ruleLabel(r)} match.risk_classes`, r.match.risk_classes);
  return out;
}

function approverCase(p: Policy): string[] {
  return p.rules
    .filter((r) => r.effect === 'require_approval' && r.min_approvals > 1)
    .map(
      (r) =>
        `approver_identity_case: ${ruleLabel(r)} needs ${r.min_approvals} distinct approvers, and approver identities ` +
        'are compared exactly (approvals from "alice" and "Alice" count as two): issue approvals under one canonical ' +
        'identity per person',
    );
}

function identityCase(p: Policy): string[] {
  const out: string[] = [];
  for (const r of p.rules) {
    for (const field of ['identities', 'allowed_delegator_identities', 'allowed_delegate_identities'] as const) {
      for (const spellings of caseGroups(r.match[field])) {
        out.push(
          `identity_case: ${ruleLabel(r)} match.${field} lists ${spellings.map(show).join(', ')}: identities are ` +
            'compared exactly, so these are different identities; keep one spelling',
        );
      }
    }
  }
  return out;
}

/** The warnings for a normalized policy (from parsePolicyYaml), in POLICY_WARNING_CODES order. */
export function policyWarnings(p: Policy): string[] {
  return withPolicy('policyWarnings', p, () => [
    ...controlCharacters(p),
    ...duplicateNames(p),
    ...defaultAllowExactMatch(p),
    ...denyListWithoutAllowList(p),
    ...nonAsciiToolNames(p),
    ...unknownRiskClasses(p),
    ...approverCase(p),
    ...identityCase(p),
  ]);
}
