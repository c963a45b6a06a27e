/**
 * `gait mcp verify` (mcp.md §9): files in, the library's verifyMcpServer, the result out. Flags
 * may follow positionals; a flag error is printed as JSON only when `--json` was on when parsing
 * stopped, as Gait does.
 */
import type { CommandContext } from './output.js';
import { printJson, printError } from './output.js';
import { parseFlagsUntilError, flagString, type FlagSpec } from './flags.js';
import { invalidInput } from '../errors.js';
import { loadPolicyFile } from '../policy/load-node.js';
import { readRegularFile, readFailureText } from '../read-file-node.js';
import { parseMcpServerDescription, verifyMcpServer } from '../mcp/verify.js';
import { nodeTrustSnapshotReader } from '../mcp/trust-node.js';
import { goTrim } from '../canonical/text.js';

export const MCP_VERIFY_USAGE = `Usage:
  gait mcp verify --policy <policy.yaml> --server <server.json> [--risk-class <class>] [--json] [--explain]
  note: trust preflight reads mcp_trust.snapshot from a local file; scanners and registries stay outside the evaluator
`;

const FLAGS: FlagSpec = { strings: ['policy', 'server', 'risk-class'], bools: ['json'] };

/** Server descriptions are a few hundred bytes; this bound keeps a hostile path from exhausting memory. */
const MAX_SERVER_DESCRIPTION_BYTES = 1024 * 1024;

export async function runMcpVerify(ctx: CommandContext, args: readonly string[]): Promise<number> {
  const { flags, error } = parseFlagsUntilError(args, FLAGS, true);
  const out: CommandContext = { ...ctx, json: flags.bools.has('json') };
  if (error) return printError(out, 'mcp verify', error);
  if (flags.help) {
    ctx.io.stdout(MCP_VERIFY_USAGE);
    return 0;
  }
  try {
    const policyPath = flagString(flags, 'policy');
    const serverPath = goTrim(flagString(flags, 'server'));
    if (goTrim(policyPath) === '' || serverPath === '' || flags.positionals.length > 0) {
      throw invalidInput('expected --policy <policy.yaml> and --server <server.json>');
    }
    const policy = await loadPolicyFile(policyPath);
    let bytes: Uint8Array;
    try {
      bytes = await readRegularFile(serverPath, MAX_SERVER_DESCRIPTION_BYTES);
    } catch (err) {
      throw invalidInput(`read server description: ${readFailureText(err, serverPath)}`);
    }
    const server = parseMcpServerDescription(bytes);
    const { output, exit_code } = await verifyMcpServer(policy, server, {
      riskClass: flagString(flags, 'risk-class'),
      now: new Date(),
      readTrustSnapshot: nodeTrustSnapshotReader(ctx.io.cwd),
    });
    if (out.json) return printJson(out, output, exit_code);
    ctx.io.stdout(`mcp verify: verdict=${output.verdict}\n`);
    return exit_code;
  } catch (err) {
    return printError(out, 'mcp verify', err);
  }
}
