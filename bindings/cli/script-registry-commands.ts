/**
 * `gait approve-script` and `gait list-scripts` (signed_artifacts.md §5.3, §5.4): add or replace
 * a signed approved-script entry bound to a policy digest and a script hash, and list a
 * registry's entries with their expiry status (no signature check).
 */
import type { CommandContext } from './output.js';
import { printJson, printError } from './output.js';
import { parseFlags, flagString } from './flags.js';
import { invalidInput } from '../errors.js';
import { formatRfc3339Nano, nowTime } from '../time.js';
import { VERSION } from '../version.js';
import { loadPolicyFile } from '../policy/load-node.js';
import { policyDigest } from '../policy/digest.js';
import { loadIntentFile } from '../intent/load-node.js';
import { normalizeIntent } from '../intent/normalize.js';
import { readOptionalInputFile } from './files.js';
import {
  DEFAULT_REGISTRY_TTL, MAX_ARTIFACT_BYTES, listRegistryEntries, mintRegistryEntry, readRegistry, serializeRegistry, splitCsv,
  upsertRegistryEntry, type ApprovedScriptRegistry,
} from '../tokens/index.js';
import { timeOf, ttlNanos } from '../tokens/common.js';
import { SIGNING_FLAGS, pathFlag, signingKeyFromFlags, wantsExplain, writeArtifact } from './signing-io.js';

export const APPROVE_SCRIPT_USAGE = `Usage:
  gait approve-script --policy <policy.yaml> --intent <script_intent.json> --registry <registry.json>
                      --approver <identity> [--pattern-id <id>] [--ttl 168h] [--scope <csv>]
                      [--key-mode dev|prod] [--private-key <path>|--private-key-env <VAR>] [--json] [--explain]
  Adds (or replaces, by pattern id) a signed entry for the intent's script, bound to the policy
  digest and the script hash. --pattern-id defaults to pattern_<first 12 hex of the script hash>.
`;

export const LIST_SCRIPTS_USAGE = `Usage:
  gait list-scripts --registry <registry.json> [--json] [--explain]
  Lists the registry's entries in file order with their expiry status (signatures are not checked).
`;

const APPROVE_SCRIPT_EXPLAIN = 'Create a signed approved-script registry entry bound to a policy digest and script hash.';
const LIST_SCRIPTS_EXPLAIN = 'List approved-script registry entries with expiry status and deterministic ordering.';

/**
 * Registry file access: a missing file reads as undefined (an empty registry); otherwise a regular
 * file of at most MAX_ARTIFACT_BYTES (the registry parser's own limit).
 */
async function readRegistryFile(file: string): Promise<ApprovedScriptRegistry> {
  return readRegistry(file, { readFile: (p) => readOptionalInputFile(p, MAX_ARTIFACT_BYTES) });
}

const APPROVE_SCRIPT_FLAGS = ['policy', 'intent', 'registry', 'approver', 'pattern-id', 'ttl', 'scope', ...SIGNING_FLAGS];

export async function runApproveScript(ctx: CommandContext, args: readonly string[]): Promise<number> {
  if (wantsExplain(args)) {
    ctx.io.stdout(APPROVE_SCRIPT_EXPLAIN + '\n');
    return 0;
  }
  try {
    const flags = parseFlags(args, { strings: APPROVE_SCRIPT_FLAGS, bools: ['json', 'explain'] }, false);
    if (flags.help) {
      ctx.io.stdout(APPROVE_SCRIPT_USAGE);
      return 0;
    }
    if (flags.positionals.length > 0) throw invalidInput('unexpected positional arguments');
    const policyPath = pathFlag(flags, 'policy');
    const intentPath = pathFlag(flags, 'intent');
    const registryPath = pathFlag(flags, 'registry');
    const approver = pathFlag(flags, 'approver');
    if (policyPath === '' || intentPath === '' || registryPath === '' || approver === '') {
      throw invalidInput('--policy, --intent, --registry, and --approver are required');
    }
    const ttl = ttlNanos(flags.strings.has('ttl') ? flagString(flags, 'ttl') : DEFAULT_REGISTRY_TTL);
    if (ttl === undefined || ttl <= 0n) throw invalidInput('invalid --ttl duration');

    const digest = policyDigest(await loadPolicyFile(policyPath));
    const raw = await loadIntentFile(intentPath);
    const intent = normalizeIntent(raw); // its errors go out bare, as Gait's do
    const steps = intent.script?.steps ?? [];
    if (steps.length === 0) throw invalidInput('intent must include script.steps');

    const key = await signingKeyFromFlags(flags, ctx.io.env); // dev warning dropped, as in gait
    const entry = await mintRegistryEntry({
      policyDigest: digest,
      scriptHash: intent.script_hash,
      toolSequence: steps.map((s) => s.tool_name),
      approver,
      scope: splitCsv(flagString(flags, 'scope')),
      ttl,
      now: nowTime(),
      privateKey: key.privateKey,
      patternId: flagString(flags, 'pattern-id'),
      producerVersion: VERSION,
    });
    const registry = upsertRegistryEntry(await readRegistryFile(registryPath), entry);
    await writeArtifact(registryPath, serializeRegistry(registry), 'approved script registry');

    if (ctx.json) {
      return printJson(ctx, {
        ok: true,
        pattern_id: entry.pattern_id,
        policy_digest: entry.policy_digest,
        script_hash: entry.script_hash,
        tool_sequence: entry.tool_sequence,
        registry_path: registryPath,
        expires_at: formatRfc3339Nano(timeOf(entry.expires_at), true),
      }, 0);
    }
    ctx.io.stdout(`approve-script: pattern=${entry.pattern_id} registry=${registryPath}\n`);
    ctx.io.stdout(`policy_digest=${entry.policy_digest} script_hash=${entry.script_hash}\n`);
    return 0;
  } catch (err) {
    return printError(ctx, 'approve-script', err);
  }
}

export async function runListScripts(ctx: CommandContext, args: readonly string[]): Promise<number> {
  if (wantsExplain(args)) {
    ctx.io.stdout(LIST_SCRIPTS_EXPLAIN + '\n');
    return 0;
  }
  try {
    const flags = parseFlags(args, { strings: ['registry'], bools: ['json', 'explain'] }, false);
    if (flags.help) {
      ctx.io.stdout(LIST_SCRIPTS_USAGE);
      return 0;
    }
    if (flags.positionals.length > 0) throw invalidInput('unexpected positional arguments');
    const registryPath = pathFlag(flags, 'registry');
    if (registryPath === '') throw invalidInput('--registry is required');
    const rows = listRegistryEntries(await readRegistryFile(registryPath), nowTime());
    if (ctx.json) {
      return printJson(ctx, {
        ok: true,
        registry: registryPath,
        ...(rows.length > 0 ? { count: rows.length, entries: rows } : {}),
      }, 0);
    }
    let text = `list-scripts: ${rows.length} entries in ${registryPath}\n`;
    for (const r of rows) {
      text += `- ${r.pattern_id} (${r.expired ? 'expired' : 'active'}) approver=${r.approver_identity} expires=${r.expires_at}\n`;
    }
    ctx.io.stdout(text);
    return 0;
  } catch (err) {
    return printError(ctx, 'list-scripts', err);
  }
}
