/**
 * `gait gate eval` (cli.md §2): the Node adapter over the library pipeline (enforce.ts): flags
 * and the project config become options, files become the state-file store, lazy key and token
 * loaders and an artifact sink that writes the trace and audit records; then the result is printed.
 */
import * as path from 'node:path';
import type { CommandContext } from './output.js';
import { printJson, printError } from './output.js';
import { parseFlags, flagString, type ParsedFlags } from './flags.js';
import { GaitError, invalidInput } from '../errors.js';
import { loadPolicyFile } from '../policy/load-node.js';
import { loadIntentFile } from '../intent/load-node.js';
import { rawRiskClass } from '../intent/normalize.js';
import { loadWrkrInventory } from '../intent/wrkr-node.js';
import { loadContextEnvelopeFile } from '../context/envelope-node.js';
import { Gate, type WrkrInventory } from '../gate.js';
import type { EnforceArtifact } from '../enforce.js';
import { TOKEN_FLAGS, keySources, tokenLoader } from './gate-tokens.js';
import { parseApprovalToken, parseDelegationToken, readRegistry, serializeAuditRecord, splitCsv, MAX_ARTIFACT_BYTES } from '../tokens/index.js';
import { parseBrokerKind, validateBroker, issueCredential, type BrokerConfig } from './broker.js';
import { createEngine } from '../load/node.js';
import { checkOutputFile, writeOutputFile, readOptionalInputFile } from './files.js';
import { correlationId } from './envelope.js';
import { resolveTracePath } from './trace-path.js';
import { toPrettyJson } from './json.js';
import { resolveSigningKey, resolveVerifyKey } from '../crypto/keys.js';
import { nodeKeyIO } from '../crypto/io-node.js';
import { traceId as computeTraceId } from '../crypto/trace.js';
import { nowTime, parseRfc3339Go, type RfcTime } from '../time.js';
import { limitStoreFromFlags, type CliLimitStore } from './limit-store-flag.js';
import { VERSION } from '../version.js';
import { DEFAULT_PROJECT_CONFIG_PATH, applyGateDefaults } from '../project-config.js';
import { isDefaultProjectConfigPath, loadProjectConfig } from '../project-config-node.js';

export const GATE_EVAL_USAGE = `Usage:
  gait gate eval --policy <policy.yaml> --intent <intent.json> [--simulate] [--json]
                 [--context-envelope <context_envelope.json>]
                 [--config .gait/config.yaml] [--no-config]
                 [--wrkr-inventory <inventory.json>] [--trace-out trace.json]
                 [--key-mode dev|prod] [--private-key <path>|--private-key-env <VAR>]
                 [--rate-limit-state .gait-out/gate_rate_limits.json | --rate-limit-store redis://host:6379/0]
                 [--evaluation-time <rfc3339>]
                 [--profile standard|oss-prod] [--credential-broker off|stub|env|command]
                 [--credential-env-prefix GAIT_BROKER_TOKEN_] [--credential-command <path>]
                 [--credential-command-args csv] [--credential-ref ref] [--credential-scopes csv]
                 [--credential-evidence-out path]
                 [--approval-token <token.json>] [--approval-token-chain <csv>] [--approval-token-ref ref]
                 [--approval-public-key <path>|--approval-public-key-env <VAR>]
                 [--approval-private-key <path>|--approval-private-key-env <VAR>] [--approval-audit-out audit.json]
                 [--delegation-token <token.json>] [--delegation-token-chain <csv>]
                 [--delegation-public-key <path>|--delegation-public-key-env <VAR>] [--delegation-audit-out audit.json]
                 [--approved-script-registry <registry.json>]
                 [--approved-script-public-key <path>|--approved-script-public-key-env <VAR>]
  observe first: add --simulate while tuning
  enforce later: remove --simulate once fixtures are stable
Flags left empty take their value from the gate: section of .gait/config.yaml (or --config <path>;
a missing file is fine only at the default path); --no-config skips it.
Exit codes: 0 allow/dry_run (and every --simulate run), 3 block, 4 require_approval, 6 invalid input.
`;

const STRING_FLAGS = [
  'policy', 'intent', 'context-envelope', 'wrkr-inventory', 'trace-out', 'key-mode', 'private-key', 'private-key-env', 'profile',
  'rate-limit-state', 'rate-limit-store', 'evaluation-time', 'credential-broker', 'credential-env-prefix', 'credential-command',
  'credential-command-args', 'credential-ref', 'credential-scopes', 'credential-evidence-out', 'config', ...TOKEN_FLAGS,
];
const BOOL_FLAGS = ['json', 'simulate', 'explain', 'no-config'];

export async function runGateEval(ctx: CommandContext, args: readonly string[]): Promise<number> {
  try {
    return await gateEval(ctx, args);
  } catch (err) {
    return printError(ctx, 'gate eval', err);
  }
}

async function gateEval(ctx: CommandContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, { strings: STRING_FLAGS, bools: BOOL_FLAGS }, false);
  if (flags.help) {
    ctx.io.stdout(GATE_EVAL_USAGE);
    return 0;
  }
  if (flags.bools.has('explain') && !ctx.json) {
    ctx.io.stdout('Run policy evaluation for a single intent request, optionally simulate non-enforcing rollout, and write signed gate artifacts.\n');
    return 0;
  }
  if (flags.positionals.length > 0) throw invalidInput('unexpected positional arguments');
  if (!flags.bools.has('no-config')) {
    // Project defaults fill the flags left blank (signed_artifacts.md §1.7). Gait has no config
    // key for --context-envelope.
    const configPath = flags.strings.get('config') ?? DEFAULT_PROJECT_CONFIG_PATH;
    const config = await loadProjectConfig(configPath, isDefaultProjectConfigPath(configPath));
    flags.strings = applyGateDefaults(flags.strings, config.gate);
  }
  const policyPath = flagString(flags, 'policy');
  const intentPath = flagString(flags, 'intent');
  if (policyPath === '' || intentPath === '') throw invalidInput('both --policy and --intent are required');
  const profile = (flagString(flags, 'profile') || 'standard').trim().toLowerCase();
  if (profile !== 'standard' && profile !== 'oss-prod') {
    throw invalidInput(`unsupported --profile value "${flagString(flags, 'profile')}" (expected standard or oss-prod)`);
  }
  const simulate = flags.bools.has('simulate');
  const now = parseEvaluationTime(flagString(flags, 'evaluation-time'));
  const keyMode = (flagString(flags, 'key-mode') || 'dev').trim().toLowerCase();
  if (profile === 'oss-prod') {
    if (simulate) throw invalidInput('oss-prod profile does not allow --simulate');
    if (keyMode !== 'prod') throw invalidInput('oss-prod profile requires --key-mode prod');
    if (!flagString(flags, 'private-key') && !flagString(flags, 'private-key-env')) {
      throw invalidInput('oss-prod profile requires --private-key or --private-key-env');
    }
  }
  const broker: BrokerConfig = {
    kind: parseBrokerKind(flagString(flags, 'credential-broker')),
    envPrefix: flags.strings.has('credential-env-prefix') ? flagString(flags, 'credential-env-prefix') : 'GAIT_BROKER_TOKEN_',
    command: flagString(flags, 'credential-command'),
    commandArgs: splitCsv(flagString(flags, 'credential-command-args')),
    env: ctx.io.env,
  };
  validateBroker(broker);
  const limits: CliLimitStore = limitStoreFromFlags(flags);
  try {

    const policy = await loadPolicyFile(policyPath);
    const raw = await loadIntentFile(intentPath);
    const envelopePath = flagString(flags, 'context-envelope');
    const contextEnvelope = envelopePath.trim() !== '' ? await loadContextEnvelopeFile(envelopePath) : undefined;
    const warnings = new Set<string>();

    let inventory: WrkrInventory | undefined;
    const inventoryPath = flagString(flags, 'wrkr-inventory');
    if (inventoryPath !== '') {
      try {
        inventory = await loadWrkrInventory(inventoryPath);
      } catch (err) {
        const risk = rawRiskClass(raw);
        if (profile === 'oss-prod' || risk === 'high' || risk === 'critical') {
          const message = err instanceof Error ? err.message : String(err);
          throw new GaitError(`wrkr inventory unavailable in fail-closed mode: ${message}`, 'policy_blocked');
        }
        warnings.add('wrkr inventory unavailable; continuing without context enrichment');
      }
    }

    const gate = new Gate(await createEngine(), policy);
    const keyIO = nodeKeyIO(ctx.io.env);
    const signingSources = { privateKeyPath: flagString(flags, 'private-key') || undefined, privateKeyEnv: flagString(flags, 'private-key-env') || undefined };
    const verifyKey = (stage: string) => {
      const s = keySources(flags, stage);
      return s && (async () => (await resolveVerifyKey(s, keyIO)).publicKey);
    };
    const registryPath = flagString(flags, 'approved-script-registry');
    // Gait reports the trace path as given (trimmed, not cleaned): `./t.json` stays `./t.json`.
    const tracePathFlag = flagString(flags, 'trace-out').trim();
    const outputs: Record<EnforceArtifact['kind'], [flag: string, what: string, byDefault: (id: string) => string]> = {
      trace: ['trace-out', 'trace record', (id) => resolveTracePath('', id)],
      approval_audit: ['approval-audit-out', 'approval audit record', (id) => `approval_audit_${id}.json`],
      delegation_audit: ['delegation-audit-out', 'delegation audit record', (id) => `delegation_audit_${id}.json`],
      credential_evidence: ['credential-evidence-out', 'credential evidence record', (id) => `credential_evidence_${id}.json`],
    };
    const enforced = await gate.enforceRaw(raw, {
      profile,
      simulate,
      now,
      // Dev mode without key sources: enforce makes the throw-away key (and says so); anything else
      // goes through Gait's key loader when the trace is signed (after the registry stage).
      signingKey: keyMode === 'dev' && !signingSources.privateKeyPath && !signingSources.privateKeyEnv
        ? undefined
        : async () => (await resolveSigningKey({ mode: keyMode, ...signingSources }, keyIO)).privateKey,
      limitStore: limits.store,
      limitStoreTimeoutMs: limits.timeoutMs,
      approval: { tokens: tokenLoader(flags, 'approval', parseApprovalToken), tokenRef: flagString(flags, 'approval-token-ref'), verifyKey: verifyKey('approval') },
      delegation: { tokens: tokenLoader(flags, 'delegation', parseDelegationToken), verifyKey: verifyKey('delegation') },
      approvedScripts: registryPath !== ''
        ? { registry: () => readRegistry(registryPath, { readFile: (p) => readOptionalInputFile(p, MAX_ARTIFACT_BYTES) }), verifyKey: verifyKey('approved-script') }
        : undefined,
      contextEnvelope,
      wrkrInventory: inventory,
      wrkrSource: inventory ? path.normalize(inventoryPath) : undefined,
      broker: broker.kind !== 'off' ? { name: broker.kind, issue: (request) => issueCredential(broker, request) } : undefined,
      credentialRef: flagString(flags, 'credential-ref'),
      credentialScopes: splitCsv(flagString(flags, 'credential-scopes')),
      // Every output is checked before anything is counted or written.
      beforeEffects: (digests) => checkOutputs(flags, digests, outputs),
      sink: async (artifact) => {
        const [flag, what, byDefault] = outputs[artifact.kind];
        const given = flagString(flags, flag).trim();
        const file = artifact.kind === 'trace' ? resolveTracePath(given, artifact.trace_id) : given || byDefault(artifact.trace_id);
        const text = artifact.kind === 'approval_audit' || artifact.kind === 'delegation_audit' ? serializeAuditRecord(artifact.record) : toPrettyJson(artifact.record);
        await writeOutputFile(file, text, 0o600, what);
        return artifact.kind === 'trace' ? tracePathFlag || file : file;
      },
      warnings,
      producerVersion: VERSION,
      correlationId: correlationId(ctx.argv),
    });
    const { decision, result } = enforced;
    if (ctx.json) return printJson(ctx, result, enforced.exit_code);
    const shownTracePath = result.trace_path;
    const approvalAuditPath = result.approval_audit_path;
    const delegationAuditPath = result.delegation_audit_path;
    const evidencePath = result.credential_evidence_path;
    const lines = [`gate eval: verdict=${decision.verdict}`, `trace: ${shownTracePath}`];
    if (decision.simulated) {
      lines.push(`simulate: would_have_blocked=${decision.simulated.would_have_blocked} simulated_verdict=${decision.simulated.verdict}`);
    }
    if (decision.reason_codes.length) lines.push(`reasons: ${decision.reason_codes.join(',')}`);
    if (decision.violations.length) lines.push(`violations: ${decision.violations.join(',')}`);
    if (decision.required_approvals > 0) lines.push(`approvals: ${decision.valid_approvals}/${decision.required_approvals}`);
    if (approvalAuditPath) lines.push(`approval audit: ${approvalAuditPath}`);
    if (decision.delegation_required) lines.push(`delegations: ${decision.valid_delegations}`);
    if (delegationAuditPath) lines.push(`delegation audit: ${delegationAuditPath}`);
    if (decision.credential) lines.push(`credential: ${decision.credential.credential_ref} (${decision.credential.issuer})`);
    if (evidencePath) lines.push(`credential evidence: ${evidencePath}`);
    for (const w of decision.warnings) lines.push(`warning: ${w}`);
    ctx.io.stdout(lines.join('\n') + '\n');
    return decision.exit_code;
  } finally {
    await limits.close();
  }
}

/** `--evaluation-time` (RFC 3339) fixes "now" for windows and budgets; default: the clock. */
export function parseEvaluationTime(text: string): RfcTime {
  if (text.trim() === '') return nowTime();
  try {
    return parseRfc3339Go(text.trim());
  } catch (err) {
    throw invalidInput(`invalid --evaluation-time: ${(err as Error).message}`);
  }
}

/**
 * Every output this evaluation may write, checked before rate-limit counts are consumed or
 * anything is written, so a bad output path (a FIFO, a device, a directory, a `..` trace path)
 * fails with nothing done. The default names depend on the final verdict: all are checked.
 */
async function checkOutputs(
  flags: ParsedFlags,
  digests: { policy_digest: string; intent_digest: string },
  outputs: Record<string, [flag: string, what: string, byDefault: (id: string) => string]>,
): Promise<void> {
  const ids = (['allow', 'block', 'require_approval', 'dry_run'] as const).map((v) => computeTraceId(digests.policy_digest, digests.intent_digest, v));
  const checks = Object.values(outputs).flatMap(([flag, what, byDefault]) => {
    const given = flagString(flags, flag).trim();
    const paths = given !== '' ? [flag === 'trace-out' ? resolveTracePath(given, '') : given] : ids.map(byDefault);
    return paths.map((p) => checkOutputFile(p, what));
  });
  // All at once; the first failure in the order above is reported.
  const failed = (await Promise.allSettled(checks)).find((c) => c.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}
