/** `gait policy validate|fmt|test|simulate|init` (cli.md §3-§7, policy.md §10). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CommandContext } from './output.js';
import { printJson, printError } from './output.js';
import { parseFlags, flagString } from './flags.js';
import { invalidInput } from '../errors.js';
import { loadPolicyFile, readPolicyFile } from '../policy/load-node.js';
import { parsePolicyBytes } from '../policy/parse.js';
import { MAX_POLICY_BYTES } from '../policy/yaml-source.js';
import { utf8Text } from '../read-file-node.js';
import { policyDigest } from '../policy/digest.js';
import { formatPolicy } from '../policy/format.js';
import { policyWarnings } from '../policy/warnings.js';
import { loadIntentFile } from '../intent/load-node.js';
import { Gate, type GateEvaluation } from '../gate.js';
import { simulatePolicies, testIntent, type PolicyTestOutcome } from '../policy/simulate.js';
import { createEngine } from '../load/node.js';
import { writeOutputFile, exists, packagePath, readRegularFile } from './files.js';
import { gaitCommand, userPath } from './next-command.js';
import { compareBytewise } from '../canonical/order.js';
import { GaitError } from '../errors.js';
import { verdictExitCode } from '../decision.js';
import { goBytesToString } from '../policy/decode.js';
import { compile, COMPILE_USAGE } from './policy-compile.js';

export const POLICY_USAGE = `Usage:
  gait policy init <template> [--out gait.policy.yaml] [--force] [--json]
  gait policy validate <policy.yaml> [--json]
  gait policy fmt <policy.yaml> [--write] [--json]
  gait policy test <policy.yaml> <intent_fixture.json> [--json]
  gait policy simulate --policy <candidate.yaml> --baseline <baseline.yaml> --fixtures <csv files/dirs> [--json]
  gait policy compile <policy.yaml> [--out policy.gaitc] [--key-mode prod --private-key <path>] [--json]
Templates: baseline-lowrisk, baseline-mediumrisk, baseline-highrisk
`;

const USAGE: Record<string, string> = {
  validate: 'Usage: gait policy validate <policy.yaml> [--json]\n  Strictly parse a policy, normalize it and print its digest, then warnings (stderr, or JSON `warnings`; never fatal).\n',
  fmt: 'Usage: gait policy fmt <policy.yaml> [--write] [--json]\n  Print (or --write) the canonical form of a policy; idempotent; the digest never changes.\n',
  test: 'Usage: gait policy test <policy.yaml> <intent_fixture.json> [--json]\n  Evaluate one intent against a policy. Exit 0 allow/dry_run, 3 block, 4 require_approval, 6 invalid input.\n',
  simulate:
    'Usage: gait policy simulate --policy <candidate.yaml> --baseline <baseline.yaml> --fixtures <csv files/dirs> [--json]\n  Run intent fixtures against both policies and report which verdicts change.\n',
  compile: COMPILE_USAGE,
  init: 'Usage: gait policy init <template> [--out gait.policy.yaml] [--force] [--json]\n  Write a baseline policy: baseline-lowrisk, baseline-mediumrisk or baseline-highrisk.\n',
};

export async function runPolicy(ctx: CommandContext, args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    ctx.io.stdout(POLICY_USAGE);
    return sub === undefined ? 6 : 0;
  }
  const label = `policy ${sub}`;
  const usage = USAGE[sub];
  if (!usage) return printError(ctx, 'policy', invalidInput(`unknown policy subcommand: ${sub}`));
  try {
    switch (sub) {
      case 'validate':
        return await validate(ctx, rest, usage);
      case 'fmt':
        return await fmt(ctx, rest, usage);
      case 'test':
        return await test(ctx, rest, usage);
      case 'simulate':
        return await simulate(ctx, rest, usage);
      case 'compile':
        return await compile(ctx, rest);
      default:
        return await init(ctx, rest, usage);
    }
  } catch (err) {
    return printError(ctx, label, err);
  }
}

function help(ctx: CommandContext, usage: string): number {
  ctx.io.stdout(usage);
  return 0;
}

async function validate(ctx: CommandContext, args: readonly string[], usage: string): Promise<number> {
  const flags = parseFlags(args, { bools: ['json'] }, true);
  if (flags.help) return help(ctx, usage);
  if (flags.positionals.length !== 1) throw invalidInput('expected <policy.yaml>');
  const policy = await loadPolicyFile(flags.positionals[0]!);
  const digest = policyDigest(policy);
  const summary = `policy validate ok: default=${policy.default_verdict} rules=${policy.rules.length} digest=${digest}`;
  // Gait prints no warnings: they never change the exit code, and stdout keeps Gait's one line.
  const warnings = policyWarnings(policy);
  if (!ctx.json) {
    ctx.io.stdout(summary + '\n');
    for (const w of warnings) ctx.io.stderr(`warning: ${w}\n`);
    return 0;
  }
  return printJson(ctx, {
    ok: true,
    schema_id: policy.schema_id,
    schema_version: policy.schema_version,
    policy_digest: digest,
    default_verdict: policy.default_verdict,
    rule_count: policy.rules.length || undefined,
    summary,
    warnings: warnings.length ? warnings : undefined,
  }, 0);
}

async function fmt(ctx: CommandContext, args: readonly string[], usage: string): Promise<number> {
  const flags = parseFlags(args, { bools: ['json', 'write'] }, true);
  if (flags.help) return help(ctx, usage);
  if (flags.positionals.length !== 1) throw invalidInput('expected <policy.yaml>');
  const file = flags.positionals[0]!;
  if (file.trim() === '') throw invalidInput('policy path must not be empty');
  // One bounded read serves both the parse and the comparison.
  const bytes = await readPolicyFile(file);
  const policy = parsePolicyBytes(bytes);
  const formatted = formatPolicy(policy);
  const original = utf8Text(bytes);
  const changed = original !== formatted;
  const write = flags.bools.has('write');
  let written = false;
  if (write && changed) {
    const mode = (await fs.stat(file).then((s) => s.mode & 0o777).catch(() => 0o600));
    await writeOutputFile(file, formatted, mode, 'policy');
    written = true;
  }
  if (ctx.json) {
    return printJson(ctx, {
      ok: true,
      path: file,
      written: written || undefined,
      changed: changed || undefined,
      policy_digest: policyDigest(policy),
      default_verdict: policy.default_verdict,
      rule_count: policy.rules.length || undefined,
      formatted: write ? undefined : formatted,
    }, 0);
  }
  if (write) {
    ctx.io.stdout(`policy fmt ok: path=${file} changed=${changed} written=${written} rules=${policy.rules.length}\n`);
  } else {
    ctx.io.stdout(formatted);
  }
  return 0;
}

/** Runs one fixture like `policy test`: the intent digest is the raw normalized intent's. */
export async function testOne(gate: Gate, intentPath: string): Promise<PolicyTestOutcome> {
  return testIntent(gate, await loadIntentFile(intentPath));
}

export function testSummary(e: GateEvaluation): string {
  const r = e.result;
  const summary = `policy test verdict=${r.verdict} reasons=${r.reason_codes.join(',') || 'none'} violations=${r.violations.join(',') || 'none'}`;
  return capSummary(summary);
}

const SUMMARY_MAX_BYTES = 240;

/**
 * Gait's cap on a summary, in UTF-8 bytes (Go `len`): a longer one keeps its first
 * 240 - len(suffix) bytes and gets the suffix `...(+<bytes over 240>)`. The cut may split a
 * character; Go's JSON encoder then writes each byte of the broken sequence as U+FFFD.
 */
export function capSummary(summary: string): string {
  if (summary.length <= SUMMARY_MAX_BYTES / 3) return summary; // at most 3 bytes per UTF-16 unit
  const bytes = new TextEncoder().encode(summary);
  if (bytes.length <= SUMMARY_MAX_BYTES) return summary;
  const suffix = `...(+${bytes.length - SUMMARY_MAX_BYTES})`;
  return goBytesToString(bytes.subarray(0, SUMMARY_MAX_BYTES - suffix.length)) + suffix;
}

async function test(ctx: CommandContext, args: readonly string[], usage: string): Promise<number> {
  const flags = parseFlags(args, { bools: ['json'], strings: ['evaluation-time'] }, true);
  if (flags.help) return help(ctx, usage);
  if (flags.positionals.length !== 2) throw invalidInput('expected <policy.yaml> <intent_fixture.json>');
  const policy = await loadPolicyFile(flags.positionals[0]!);
  const gate = new Gate(await createEngine(), policy);
  const { evaluation, intentDigest } = await testOne(gate, flags.positionals[1]!);
  const r = evaluation.result;
  const summary = testSummary(evaluation);
  const exitCode = verdictExitCode(r.verdict);
  if (!ctx.json) {
    ctx.io.stdout(summary + '\n');
    return exitCode;
  }
  return printJson(ctx, {
    ok: true,
    schema_id: 'gait.policytest.result',
    schema_version: '1.0.0',
    created_at: r.created_at,
    policy_digest: gate.policyDigest,
    intent_digest: intentDigest || undefined,
    verdict: r.verdict,
    reason_codes: r.reason_codes.length ? r.reason_codes : undefined,
    violations: r.violations.length ? r.violations : undefined,
    matched_rule: evaluation.matched_rule || undefined,
    summary,
  }, exitCode);
}

async function discoverFixtures(csv: string): Promise<string[]> {
  const entries = csv.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (entries.length === 0) throw invalidInput('missing required --fixtures <csv files/dirs>');
  const found = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    let items;
    try {
      items = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      throw invalidInput(`walk fixtures directory: ${(err as Error).message}`);
    }
    for (const item of items) {
      const p = path.join(dir, item.name);
      if (item.isDirectory()) await walk(p);
      else if (item.isFile() && path.extname(item.name).toLowerCase() === '.json') found.add(path.normalize(p));
    }
  };
  for (const entry of entries) {
    let stat;
    try {
      stat = await fs.stat(entry);
    } catch (err) {
      throw invalidInput(`fixtures path: stat ${entry}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
    }
    if (stat.isDirectory()) await walk(entry);
    else if (path.extname(entry).toLowerCase() !== '.json') throw invalidInput(`fixture file must be .json: ${entry}`);
    else found.add(path.normalize(entry));
  }
  if (found.size === 0) throw invalidInput('no intent fixtures discovered from --fixtures');
  return [...found].sort(compareBytewise);
}

async function simulate(ctx: CommandContext, args: readonly string[], usage: string): Promise<number> {
  const flags = parseFlags(args, { bools: ['json'], strings: ['policy', 'baseline', 'fixtures', 'evaluation-time'] }, true);
  if (flags.help) return help(ctx, usage);
  if (flags.positionals.length > 0) throw invalidInput('unexpected positional arguments');
  const candidatePath = flagString(flags, 'policy');
  const baselinePath = flagString(flags, 'baseline');
  if (candidatePath.trim() === '') throw invalidInput('missing required --policy <candidate_policy.yaml>');
  if (baselinePath.trim() === '') throw invalidInput('missing required --baseline <baseline_policy.yaml>');
  const fixtures = await discoverFixtures(flagString(flags, 'fixtures'));
  const engine = await createEngine();
  const candidate = new Gate(engine, await loadPolicyFile(candidatePath));
  const baseline = new Gate(engine, await loadPolicyFile(baselinePath));
  const report = await simulatePolicies(baseline, candidate, fixtures, loadIntentFile);
  const { summary } = report;
  if (!ctx.json) {
    ctx.io.stdout(summary + '\n'); // Gait prints the summary line alone (cli.md §6)
    return 0;
  }
  return printJson(ctx, { ok: true, ...report }, 0);
}

const TEMPLATE_ALIASES: Record<string, string> = {
  'baseline-lowrisk': 'baseline-lowrisk',
  baseline_low_risk: 'baseline-lowrisk',
  low: 'baseline-lowrisk',
  'baseline-mediumrisk': 'baseline-mediumrisk',
  baseline_medium_risk: 'baseline-mediumrisk',
  medium: 'baseline-mediumrisk',
  'baseline-highrisk': 'baseline-highrisk',
  baseline_high_risk: 'baseline-highrisk',
  high: 'baseline-highrisk',
};

/** The package's bundled templates (examples/policy_templates). */
function templatePath(name: string): string {
  const p = packagePath(`examples/policy_templates/${name}.yaml`);
  if (!p) throw new GaitError(`policy template ${name} is missing from the installation`, 'internal_failure');
  return p;
}

async function init(ctx: CommandContext, args: readonly string[], usage: string): Promise<number> {
  const flags = parseFlags(args, { bools: ['json', 'force'], strings: ['out'] }, true);
  if (flags.help) return help(ctx, usage);
  if (flags.positionals.length !== 1) {
    throw invalidInput('expected <template>, one of: baseline-lowrisk, baseline-mediumrisk, baseline-highrisk');
  }
  const key = flags.positionals[0]!.trim().toLowerCase();
  const template = TEMPLATE_ALIASES[key];
  if (!template) throw invalidInput(`unknown template: ${key}`);
  const out = flags.strings.has('out') ? flagString(flags, 'out') : 'gait.policy.yaml';
  if (out.trim() === '') throw invalidInput('output path must not be empty');
  if (!flags.bools.has('force') && (await exists(out))) {
    throw invalidInput(`output path already exists (use --force to overwrite): ${out}`);
  }
  await writeOutputFile(out, await readRegularFile(templatePath(template), MAX_POLICY_BYTES), 0o600, 'policy');
  const gait = gaitCommand(ctx.io.env);
  const file = userPath(path.resolve(ctx.io.cwd, out), ctx.io.cwd);
  const next = [`${gait} policy validate ${file} --json`, `${gait} policy fmt ${file} --write --json`, `${gait} policy test ${file} <intent.json> --json`];
  if (!ctx.json) {
    ctx.io.stdout(`policy init ok: template=${template} output=${out}\nnext: ${next.join(' | ')}\n`);
    return 0;
  }
  return printJson(ctx, { ok: true, template, policy_path: out, next_commands: next }, 0);
}
