// Every known and accepted difference between gait-wasm and the real Gait v1.3.6 that the
// differential runner (run.mjs) tolerates, in ONE table. Nothing else is ever ignored except
// the per-run random fields listed in RANDOM_FIELDS below.
//
// Each entry: `id`, `commands` it applies to, `kind`:
//   'accepted' — a deliberate difference (README "Compatibility notes", the security model, or a
//                decision in ../shared/spec/README.md; `ref` says which);
//   'quirk'    — Gait's own output is not stable (it varies between runs of the binary), and ours
//                is one of its answers; `ref` records the measurement;
//   'bug'      — "BUG, open": a real product bug found by this runner and tracked here so that CI
//                stays green until it is fixed (remove the entry with the fix);
// and `match(diff, ctx)`: true when one field difference is explained by this entry. `diff` is
// `{ path, ours, gait }` (path like `stdout.error`, `exit`, `trace.verdict`, `fmt`); `ctx` has
// the case (`policy`, `intent`), the command, and both raw results (`ours`, `gait`).

/** Fields that differ on every run of either CLI: ignored wherever they appear. */
// `trace_id` is NOT among them: it is SHA-256(policy_digest:intent_digest:verdict) (spec cli.md
// §2.8), the same in both CLIs, so it is compared (and so are the file names derived from it).
export const RANDOM_FIELDS = [
  'correlation_id', // SHA-256 of the argv, argv[0] included (spec cli.md §0.4): differs per binary
  'event_id', // SHA-256(trace_id:observed_at)
  'observed_at', // wall clock
  'latency_ms', // wall clock
  'signature.sig', // signs a trace holding observed_at and event_id (key_id is compared, and each
  'signature.signed_digest', // CLI's trace must verify with the other's `trace verify`)
];

// A YAML error, bare (`stdout.error`) or as a text-mode command error (`policy simulate error: …`).
const yamlError = (s) => typeof s === 'string' && /^([a-z -]+ error: )?(parse policy yaml|parse project config)/.test(s);
/** The `line:column` positions a message cites, e.g. `[3:5]` or `line 3`. */
export const positions = (s) => [...String(s).matchAll(/\[(\d+):(\d+)\]|line (\d+)(?:, column (\d+))?/g)].map((m) => m[0].replace(/^line (\d+), column (\d+)$/, '[$1:$2]').replace(/^line (\d+)$/, '[$1]'));

export const KNOWN_DIFFERENCES = [
  {
    id: 'yaml-error-wording',
    kind: 'accepted',
    commands: ['policy test', 'policy validate', 'policy fmt', 'gate eval', 'policy simulate', 'approve-script', 'mcp proxy', 'mcp verify', 'mcp serve'],
    ref: 'spec/README.md decision 9 ("Error wording may differ from Go\'s libraries (YAML type and syntax messages); the exit code, error_code, error_category and any line:column must not")',
    reason: 'YAML parse/type error messages come from a different YAML library; both must be YAML errors citing the same line:column positions',
    match: (d) => {
      // mcp serve: the error inside a response's body bytes.
      if (/\.body_text$/.test(d.path)) d = { path: 'error', ours: parse1(d.ours)?.error, gait: parse1(d.gait)?.error };
      return /(^|\.)error$|^error_text$|^stdout$/.test(d.path) &&
      yamlError(String(d.ours).replace(/^mcp (proxy|verify) error: /, '')) && yamlError(String(d.gait).replace(/^mcp (proxy|verify) error: /, '')) &&
      JSON.stringify(positions(d.ours)) === JSON.stringify(positions(d.gait));
    },
  },
  {
    id: 'fmt-gait-not-fixed-point',
    kind: 'accepted',
    commands: ['policy fmt'],
    ref: 'spec/README.md decision 3 ("where it cannot be [byte-identical], it must be canonical, idempotent, strict-parse round-trippable, and must not change the policy digest"); the list in test/policy/fmt-gait.test.ts',
    reason: 'Gait prints a few strings bare that its own reader then reads as something else (`.inf`, `.nan`, `? a`, a tab at an edge, `a:<tab>`, a carriage return or a leading indented line in a literal block), so its fmt output is not its own fixed point; gait-wasm Go-quotes those strings. Accepted only when Gait\'s output is not a fixed point of Gait\'s fmt and ours is one of ours',
    match: (d, ctx) => d.path === 'fmt' && ctx.fmtFixedPoints?.gait === false && ctx.fmtFixedPoints?.ours === true,
  },
  {
    id: 'nesting-limit',
    kind: 'accepted',
    commands: ['policy test', 'policy validate', 'policy fmt', 'gate eval', 'policy simulate', 'approve-script', 'mcp proxy', 'mcp verify'],
    ref: 'README "Enforcement…" / security model ("Bad input never crashes and never allows: … nesting deeper than 64 … exit 6")',
    reason: 'gait-wasm refuses documents nested deeper than 64 before decoding, so its error (same exit, error_code, error_category) names the depth while Gait reports whatever it meets first (e.g. `[1:1] unknown field "x"`)',
    match: (d) => /(^|\.)error$|^error_text$/.test(d.path) && /nesting exceeds the maximum depth of 64/.test(d.ours) && typeof d.gait === 'string',
  },
  {
    id: 'intent-nesting-limit',
    kind: 'accepted',
    commands: ['policy test', 'gate eval', 'policy simulate'],
    ref: 'README "Rolling out a policy with the CLI" ("Bad input never crashes and never allows: … nesting deeper than 64 … exit 6")',
    reason: 'gait-wasm refuses an intent nested deeper than 64 (invalid input, exit 6) where Go\'s JSON decoder allows 10,000 levels and Gait evaluates it',
    match: (d, ctx) => {
      const ours = ctx.ours.map((r) => r.stdout).join('');
      return ours.includes('"error":"intent exceeds maximum nesting depth of 64"') && !ctx.gait.some((r) => r.stdout.includes('"error"'));
    },
  },
  {
    id: 'validate-warnings',
    kind: 'accepted',
    commands: ['policy validate'],
    ref: 'README "Security model" / "Writing safe policies" item 6 (`policy validate --json` reports `warnings`; exit code unchanged)',
    reason: 'gait-wasm adds a `warnings` list to a valid policy\'s validate output (absent when there is none); Gait has no such field',
    match: (d) => /^stdout\.warnings(\[\d+\])?$/.test(d.path) && d.gait === undefined,
  },
  {
    id: 'producer-version',
    kind: 'accepted',
    commands: ['gate eval', 'approve', 'delegate', 'approve-script', 'mcp proxy'],
    ref: 'spec cli.md §0 "Version string" (the CLI\'s own version becomes `producer_version` in every artifact)',
    reason: 'each CLI stamps its own version into traces, approval/delegation tokens, audit records, approved-script registry entries, broker evidence records and mcp log exports (gait-wasm 0.x, Gait 1.3.6)',
    match: (d) => /^(trace\w*|token|approval_audit|delegation_audit|evidence|log|registry\.entries\[\d+\])\.producer_version$/.test(d.path) && typeof d.ours === 'string' && d.gait === '1.3.6',
  },
  {
    id: 'fail-closed-intent-invalid',
    kind: 'accepted',
    commands: ['policy test', 'gate eval', 'policy simulate', 'mcp proxy', 'mcp serve'],
    ref: 'README "Compatibility notes" ("an intent that cannot be normalized at a fail-closed risk class is blocked by every command"); spec/README.md decision 2',
    reason: 'Gait\'s gate eval (and policy simulate, for a fixture) reports an un-normalizable intent as invalid input (exit 6) even under fail_closed; gait-wasm blocks it with fail_closed_intent_invalid (exit 3; a `block` among policy simulate\'s verdicts when both policies are fail-closed at its risk class), or, when a later stage has bad input (a key source), reports that one (exit 6 both)',
    match: (d, ctx) => {
      const gait = ctx.gait.map((r) => r.stdout).join('');
      const ours = ctx.ours.map((r) => r.stdout).join('');
      if (ctx.command === 'policy simulate') {
        // JSON (`"error":"normalize intent: …"` against a `block` verdict) or text mode (Gait's
        // `policy simulate error: normalize intent: …` against our summary line).
        if (/"error":"normalize intent: /.test(gait)) return /"block"/.test(ours) && !ours.includes('"error"');
        return /^policy simulate error: normalize intent: /.test(gait) && /^policy simulate fixtures=\d+ /.test(ours);
      }
      // mcp serve: Gait answers that request 400 with the error; we evaluate it to a fail-closed block.
      if (ctx.command === 'mcp serve') {
        const k = /^stdout\.responses\[(\d+)\]/.exec(d.path)?.[1];
        const o = k === undefined ? undefined : parse1(ctx.ours[0]?.stdout)?.responses?.[Number(k)];
        const g = k === undefined ? undefined : parse1(ctx.gait[0]?.stdout)?.responses?.[Number(k)];
        return g?.status === 400 && typeof g.body?.error === 'string' && o?.body?.verdict === 'block' && (o.body.reason_codes ?? []).includes('fail_closed_intent_invalid');
      }
      // Gait's mcp proxy drops the `normalize intent: ` prefix (spec mcp.md §4 step 3).
      if (ctx.command === 'mcp proxy') return ctx.gait[0]?.exit === 6 && /"error":/.test(gait) && ours.includes('"fail_closed_intent_invalid"') && !ours.includes('"error"');
      if (!/"error":"normalize intent: /.test(gait)) return false;
      if (ours.includes('"fail_closed_intent_invalid"') && !ours.includes('"error"')) return true;
      // Past the block our pipeline goes on, so a later stage's bad input (a key source, say) is the
      // error: invalid input too, with the same exit code as Gait's; only under fail_closed.
      return /"?fail_closed"?\s*:/.test(ctx.policy ?? '') && ctx.ours.every((r, n) => r.exit === ctx.gait[n]?.exit && r.exit === 6 && /"error_code":"invalid_input"/.test(r.stdout));
    },
  },
  {
    id: 'json-flag-error-envelope',
    kind: 'accepted',
    commands: ['approve', 'delegate', 'gate eval'],
    ref: 'README "With `--json` every command prints one line of JSON … failures print the error envelope" (pinned by test/cli/bad-input.test.ts, `gate eval --bogus --json`); Gait\'s behaviour is spec cli.md §0.1 ("If flag parsing fails before `--json` has been seen, the error is printed in human form")',
    reason: 'a flag-parse error (or a positional, which stops Go\'s flag parsing) on a line that has --json only AFTER that point: Gait has not parsed --json yet and prints `<command> error: <msg>`; gait-wasm prints the JSON error envelope with the same message and exit 6 whenever --json is on the line',
    match: (d) => {
      if (d.path !== 'stdout' || typeof d.gait !== 'string') return false;
      const m = /^[a-z ]+ error: ((?:flag provided but not defined|flag needs an argument|invalid value|invalid boolean|unexpected positional arguments).*)\n$/.exec(d.gait);
      let ours;
      try {
        ours = JSON.parse(d.ours);
      } catch {
        return false;
      }
      return m !== null && ours.ok === false && ours.error === m[1] && ours.error_code === 'invalid_input';
    },
  },
  {
    id: 'strict-rate-limit-state',
    kind: 'accepted',
    commands: ['gate eval'],
    ref: 'README "State file locking" ("The state is read strictly: anything but a valid `gait.gate.rate_limit_state` 1.0.0 document (empty, wrong schema, …) is exit 6 … Gait itself accepts malformed state files as empty") and "Compatibility notes" (stricter on purpose: malformed rate-limit state files)',
    reason: 'gait-wasm refuses a malformed rate-limit state file (exit 6, the message names the file) where Gait treats it as empty or reports `parse rate limit state: …` without the name',
    // Per run: ours refused the file (Gait then failed the same way or counted from empty), or
    // the run never read the state (no limited rule matched) and both exit alike.
    match: (_d, ctx) => {
      const refused = (r) => r.stdout.includes('"error":"parse rate limit state state.json: ');
      return ctx.case?.files?.['state.json'] !== undefined && ctx.ours.some(refused) &&
        ctx.ours.every((r, n) => (refused(r) ? ctx.gait[n].stdout.includes('"error":"parse rate limit state: ') || !ctx.gait[n].stdout.includes('"error"') : r.exit === ctx.gait[n].exit));
    },
  },
  {
    id: 'env-broker-reference-hash',
    kind: 'accepted',
    commands: ['gate eval'],
    ref: 'README "Credential brokers" (`env`: "The reference is `env:<VAR>`: Gait appends 16 hex of the value\'s unsalted SHA-256, guessable offline for weak secrets; we do not") and "Compatibility notes" (stricter on purpose)',
    reason: 'the env broker\'s credential_ref is `env:<VAR>` in gait-wasm and `env:<VAR>:<sha256(secret)[:16]>` in Gait (output, trace and evidence record)',
    match: (d) => /(^|\.)credential_ref$/.test(d.path) && typeof d.ours === 'string' && /^env:/.test(d.ours) && d.gait === `${d.ours}:${String(d.gait).slice(-16)}` && /^[0-9a-f]{16}$/.test(String(d.gait).slice(-16)),
  },
  {
    id: 'env-broker-empty-reference',
    kind: 'accepted',
    commands: ['gate eval'],
    ref: 'README "Credential brokers" (`env`: "An empty reference issues nothing (Gait falls back to the tool name, which lets the caller choose the variable)") and "Compatibility notes" (an `env` broker reference that is empty)',
    reason: 'a brokered rule without broker_reference (and no --credential-ref): Gait reads <prefix><TOOL_NAME> and may issue; gait-wasm blocks with broker_credential_missing',
    match: (_d, ctx) => {
      const gait = parse1(ctx.gait[0]?.stdout);
      const ours = parse1(ctx.ours[0]?.stdout);
      return ctx.case?.broker === 'env' && /^env:[^:]*:[0-9a-f]{16}$/.test(gait?.credential_ref ?? '') &&
        ours?.verdict === 'block' && (ours?.reason_codes ?? []).includes('broker_credential_missing') &&
        envTool(gait.credential_ref, ctx.case);
    },
  },
  {
    id: 'alias-unknown-field-order',
    kind: 'quirk',
    commands: ['policy test', 'policy validate', 'policy fmt', 'gate eval'],
    ref: 'measured on the binary: 8 runs of `gait policy validate` on `a: &a [1, 2]\nb: *a\n` gave `[1:1] unknown field "a"` 5 times and `[2:1] unknown field "b"` 3 times',
    reason: 'Gait quirk: with two unknown fields where one is an alias of an anchor on the other, which one Gait reports varies from run to run; gait-wasm always reports the first in the document (Gait\'s usual answer), with the same exit 6 and error code',
    match: (d, ctx) =>
      /(^|\.)error$|^error_text$/.test(d.path) &&
      /unknown field/.test(d.ours) && /unknown field/.test(d.gait) && /&\w/.test(ctx.policy) && /\*\w/.test(ctx.policy),
  },
  {
    id: 'serve-session-journal',
    kind: 'accepted',
    commands: ['mcp serve'],
    ref: 'spec/README.md decision 8 (session journals out of scope); spec mcp.md §13 ("that warning and the journal files are the only observable differences")',
    reason: 'Gait\'s mcp serve appends each evaluation with a session id to a session journal and reports `session_journal=<path> sequence=<n>` in warnings; gait-wasm keeps no journals. Accepted when the response is otherwise byte-identical',
    match: (d, ctx) => {
      const m = /^stdout\.responses\[(\d+)\]\.(body_text|body\.warnings(\[\d+\])?)$/.exec(d.path);
      if (!m) return false;
      const k = Number(m[1]);
      const ours = parse1(ctx.ours[0]?.stdout)?.responses?.[k];
      const gait = parse1(ctx.gait[0]?.stdout)?.responses?.[k];
      if (!ours || !gait || ours.status !== gait.status || typeof gait.body_text !== 'string') return false;
      const without = gait.body_text
        .replace(/,"session_journal=[^"]*"/g, '')
        .replace(/"session_journal=[^"]*",?/g, '')
        .replace(/,"warnings":\[\]/g, '');
      return without !== gait.body_text && without === ours.body_text;
    },
  },
];

const parse1 = (text) => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};
/** Gait's env reference names the variable of the intent's tool name (its empty-reference fallback). */
function envTool(ref, c) {
  const tool = parse1(c.intent)?.tool_name ?? '';
  const key = tool.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '');
  // `<prefix><KEY>`: the prefix may end without `_` (`--credential-env-prefix X` gives `XTOOL_DELETE`).
  return key !== '' && ref.split(':')[1].endsWith(key);
}

/** The entry that explains one field difference, if any. */
export function explain(diff, ctx) {
  return KNOWN_DIFFERENCES.find((k) => k.commands.includes(ctx.command) && k.match(diff, ctx));
}
