// The one decision every consumer project makes: a small policy that blocks deletes.
export const POLICY = `default_verdict: allow
rules:
  - name: block-delete
    effect: block
    match: {tool_names: [tool.delete]}
`;

export const INTENT = { tool_name: 'tool.delete', args: { path: '/tmp/x' }, context: { identity: 'alice', workspace: '/w', risk_class: 'low' } };

/** What a consumer reports: the decision and which build of gait-wasm made it. */
export function report(gate, entry) {
  const d = gate.check(INTENT);
  return { verdict: d.verdict, matched_rule: d.matched_rule, entry };
}
