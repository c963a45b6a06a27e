// The policy both framework-integration tests gate their tools with: one tool per verdict.
export const INTEGRATION_POLICY = `
default_verdict: block
rules:
  - name: allow-read
    priority: 10
    effect: allow
    match:
      tool_names: [read_file]
    reason_codes: [read_ok]
  - name: approve-write
    priority: 20
    effect: require_approval
    match:
      tool_names: [write_file]
    reason_codes: [write_needs_approval]
  - name: dry-run-deploy
    priority: 30
    effect: dry_run
    match:
      tool_names: [deploy]
    reason_codes: [deploy_rehearsal]
  - name: ops-may-restart
    priority: 40
    effect: allow
    match:
      tool_names: [restart]
      identities: [ops-bot]
    reason_codes: [ops_restart]
  - name: no-secrets
    priority: 5
    effect: block
    match:
      tool_names: [read_file]
      target_kinds: [path]
      target_values: [/etc/shadow]
    reason_codes: [secret_path]
`;
