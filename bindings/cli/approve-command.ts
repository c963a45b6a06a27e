/**
 * `gait approve` (signed_artifacts.md §3.4): mint a signed approval token bound to one intent
 * digest and one policy digest, write it to a file, report its id.
 */
import type { CommandContext } from './output.js';
import { printJson, printError } from './output.js';
import { parseFlags, flagString } from './flags.js';
import { invalidInput } from '../errors.js';
import { nowTime } from '../time.js';
import { VERSION } from '../version.js';
import { approvalMintSummary, mintApprovalToken, parsePositiveTtl, serializeApprovalToken, splitCsv } from '../tokens/index.js';
import { SIGNING_FLAGS, parseIntFlag, pathFlag, signingKeyFromFlags, wantsExplain, writeArtifact } from './signing-io.js';

export const APPROVE_USAGE = `Usage:
  gait approve --intent-digest <sha256> --policy-digest <sha256> [--delegation-binding-digest <sha256>]
               --ttl <duration> --scope <csv> --approver <identity> --reason-code <code>
               [--max-targets <n>] [--max-ops <n>] [--out token.json]
               [--key-mode dev|prod] [--private-key <path>|--private-key-env <VAR>] [--json] [--explain]
  Writes the signed token to --out (default approval_<token_id>.json). Scope items look like
  tool:<tool_name> (e.g. tool:tool.write); --ttl is a Go duration (30m, 1h, 87600h).
  dev mode (the default) signs with a throw-away key; use --key-mode prod with a private key
  for tokens that gate eval can verify.
`;

const EXPLAIN = 'Mint a signed approval token with scope and TTL for gate decisions that require explicit approval.';

const STRING_FLAGS = [
  'intent-digest', 'policy-digest', 'delegation-binding-digest', 'ttl', 'scope', 'approver', 'reason-code',
  'max-targets', 'max-ops', 'out', ...SIGNING_FLAGS,
];

export async function runApprove(ctx: CommandContext, args: readonly string[]): Promise<number> {
  if (wantsExplain(args)) {
    ctx.io.stdout(EXPLAIN + '\n');
    return 0;
  }
  try {
    const flags = parseFlags(args, { strings: STRING_FLAGS, bools: ['json', 'explain'] }, false);
    const maxTargets = parseIntFlag(flags, 'max-targets');
    const maxOps = parseIntFlag(flags, 'max-ops');
    if (flags.help) {
      ctx.io.stdout(APPROVE_USAGE);
      return 0;
    }
    if (flags.positionals.length > 0) throw invalidInput('unexpected positional arguments');
    const ttl = parsePositiveTtl(flagString(flags, 'ttl'));
    const scope = splitCsv(flagString(flags, 'scope'));
    if (scope.length === 0) throw invalidInput('scope is required');
    const key = await signingKeyFromFlags(flags, ctx.io.env);
    const token = await mintApprovalToken({
      intentDigest: flagString(flags, 'intent-digest'),
      policyDigest: flagString(flags, 'policy-digest'),
      delegationBindingDigest: flagString(flags, 'delegation-binding-digest'),
      ttl,
      scope,
      approver: flagString(flags, 'approver'),
      reasonCode: flagString(flags, 'reason-code'),
      maxTargets,
      maxOps,
      now: nowTime(),
      privateKey: key.privateKey,
      producerVersion: VERSION,
    });
    const out = pathFlag(flags, 'out') || `approval_${token.token_id}.json`;
    await writeArtifact(out, serializeApprovalToken(token), 'approval token');
    if (ctx.json) {
      return printJson(ctx, {
        ok: true,
        token_path: out,
        ...approvalMintSummary(token),
        ...(key.warnings.length > 0 ? { warnings: key.warnings } : {}),
      }, 0);
    }
    ctx.io.stdout(`approval token created: ${out}\n`);
    return 0;
  } catch (err) {
    return printError(ctx, 'approve', err);
  }
}
