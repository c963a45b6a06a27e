/**
 * `gait demo --policy`: evaluates the bundled example policies against the bundled intents
 * (examples/gait/EXPECTED.jsonl), checks each against its expected outcome, and prints a table.
 */
import * as path from 'node:path';
import type { CommandContext } from './output.js';
import { printJson, printError } from './output.js';
import { parseFlags } from './flags.js';
import { invalidInput } from '../errors.js';
import { loadPolicyFile } from '../policy/load-node.js';
import { policyDigest } from '../policy/digest.js';
import { Gate } from '../gate.js';
import { createEngine } from '../load/node.js';
import { testOne } from './policy-commands.js';
import { packagePath, readRegularFile } from './files.js';
import { gaitCommand, userPath } from './next-command.js';
import { utf8Text } from '../read-file-node.js';

/** The bundled EXPECTED.jsonl is a few KiB. */
const MAX_EXPECTED_BYTES = 1024 * 1024;
import { verdictExitCode } from '../decision.js';

const USAGE = `Usage: gait demo --policy [--json]
  Runs Gait's example policies against its example intents through the WASM engine and
  checks every verdict, reason code and exit code against examples/gait/EXPECTED.jsonl.
`;

interface ExpectedCase {
  cmd: 'policy test' | 'policy validate';
  policy: string;
  intent?: string;
  exit: number;
  verdict?: string;
  reason_codes_include?: string[];
  violations_include?: string[];
}

export interface DemoCase {
  command: string;
  policy: string;
  intent: string;
  verdict: string;
  exit: number;
  reason_codes: string[];
  violations: string[];
  matched_rule: string;
  expected_exit: number;
  pass: boolean;
}

export function examplesDir(): string {
  const dir = packagePath('examples/gait/');
  if (!dir) throw invalidInput('bundled examples not found (examples/gait)');
  return dir;
}

/** Runs every expected case; shared by the demo and the test suite. */
export async function runExpectedCases(dir: string): Promise<DemoCase[]> {
  const lines = utf8Text(await readRegularFile(path.join(dir, 'EXPECTED.jsonl'), MAX_EXPECTED_BYTES)).split('\n').filter((l) => l.trim() !== '');
  const engine = await createEngine();
  const gates = new Map<string, Gate>();
  const cases: DemoCase[] = [];
  for (const line of lines) {
    const c = JSON.parse(line) as ExpectedCase;
    const policyPath = path.join(dir, c.policy);
    let gate = gates.get(policyPath);
    if (!gate) gates.set(policyPath, (gate = new Gate(engine, await loadPolicyFile(policyPath))));
    if (c.cmd === 'policy validate') {
      policyDigest(gate.policy);
      cases.push({
        command: c.cmd, policy: c.policy, intent: '', verdict: '', exit: 0, reason_codes: [], violations: [],
        matched_rule: '', expected_exit: c.exit, pass: c.exit === 0,
      });
      continue;
    }
    const { evaluation } = await testOne(gate, path.join(dir, c.intent!));
    const r = evaluation.result;
    const exit = verdictExitCode(r.verdict);
    const pass =
      exit === c.exit &&
      (c.verdict === undefined || c.verdict === r.verdict) &&
      (c.reason_codes_include ?? []).every((code) => r.reason_codes.includes(code)) &&
      (c.violations_include ?? []).every((v) => r.violations.includes(v));
    cases.push({
      command: c.cmd, policy: c.policy, intent: c.intent!, verdict: r.verdict, exit, reason_codes: r.reason_codes,
      violations: r.violations, matched_rule: evaluation.matched_rule, expected_exit: c.exit, pass,
    });
  }
  return cases;
}

function table(cases: DemoCase[]): string {
  const rows = cases.map((c) => [
    c.pass ? 'ok' : 'FAIL',
    c.command === 'policy validate' ? 'validate' : 'test',
    c.policy,
    c.intent ? path.basename(c.intent) : '-',
    c.verdict || '-',
    String(c.exit),
    c.reason_codes.join(',') || '-',
  ]);
  const head = ['', 'cmd', 'policy', 'intent', 'verdict', 'exit', 'reason codes'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n') + '\n';
}

export async function runDemo(ctx: CommandContext, args: readonly string[]): Promise<number> {
  try {
    const flags = parseFlags(args, { bools: ['json', 'policy', 'durable'] }, true);
    if (flags.help) {
      ctx.io.stdout(USAGE);
      return 0;
    }
    if (flags.positionals.length > 0) throw invalidInput('unexpected positional arguments');
    if (flags.bools.has('durable')) throw invalidInput('demo --durable is not supported by gait-wasm (runpacks are out of scope); use --policy');
    const started = performance.now();
    const cases = await runExpectedCases(examplesDir());
    const failed = cases.filter((c) => !c.pass).length;
    const durationMs = Math.round(performance.now() - started);
    const summary = `demo policy: ${cases.length - failed}/${cases.length} cases as expected in ${durationMs} ms`;
    const exitCode = failed === 0 ? 0 : 2;
    if (ctx.json) {
      return printJson(ctx, {
        ok: failed === 0,
        mode: 'policy',
        cases: cases.map((c) => ({ ...c, intent: c.intent || undefined, verdict: c.verdict || undefined, matched_rule: c.matched_rule || undefined })),
        passed: cases.length - failed,
        failed,
        duration_ms: durationMs,
        summary,
        error: failed ? `${failed} example case(s) did not give the expected result` : undefined,
      }, exitCode);
    }
    ctx.io.stdout(table(cases) + '\n' + summary + '\n');
    const examples = examplesDir();
    const file = (rel: string) => userPath(path.join(examples, rel), ctx.io.cwd);
    ctx.io.stdout(`next: ${gaitCommand(ctx.io.env)} policy test ${file('policy/base_high_risk.yaml')} ${file('policy/intents/intent_tainted_egress.json')} --json\n`);
    return exitCode;
  } catch (err) {
    return printError(ctx, 'demo', err);
  }
}
