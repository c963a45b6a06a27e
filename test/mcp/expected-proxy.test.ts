// Every `gait mcp proxy` / `bridge` / mcp-level case of the fixture catalogue, against what Gait
// v1.3.6 printed; the cases where we decided to differ assert our behaviour explicitly.
import { describe, expect, it } from 'vitest';
import { copyMcpFixtures, loadMcpCases, runGaitIn, runMcpCase, type McpCase } from './fixture-cases.js';
import * as path from 'node:path';
import { VERSION } from '../../bindings/version.js';

const cases = loadMcpCases().filter((c) => c.cmd[0] === 'mcp' && c.cmd[1] !== 'verify' && c.cmd[1] !== 'serve');

/** Cases where gait-wasm deliberately differs; each is asserted on its own below. */
const DECIDED = new Set([
  'quirk_lock_substring_exit_1', // spec README decision 1: exit codes from the error category
  'fail_closed_invalid_intent_is_error', // decision 2: a fail-closed block, not an error
  'cli_runpack_out', // decision 8: runpacks are out of scope; refused instead of silently skipped
]);

/** Our producer_version is our own version, not Gait's. */
function withOurVersion(files: Record<string, unknown[]>): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [name, lines] of Object.entries(files)) {
    out[name] = lines.map((l) => {
      const v = structuredClone(l) as Record<string, unknown>;
      if (typeof v['producer_version'] === 'string') v['producer_version'] = VERSION;
      return v;
    });
  }
  return out;
}

async function check(c: McpCase): Promise<void> {
  const run = await runMcpCase(c);
  try {
    if (c.stdout_text !== undefined) expect(run.stdout).toBe(c.stdout_text);
    else expect(run.json).toEqual(c.stdout_json);
    expect(run.exit).toBe(c.exit);
    if (c.files) expect(run.files).toEqual(withOurVersion(c.files));
  } finally {
    run.cleanup();
  }
}

describe('mcp fixture cases (proxy, bridge, mcp dispatch)', () => {
  it('covers the catalogue', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    for (const id of DECIDED) expect(cases.some((c) => c.id === id)).toBe(true);
  });

  for (const c of cases.filter((c) => !DECIDED.has(c.id))) {
    it(c.id, () => check(c));
  }
});

describe('mcp fixture cases where gait-wasm decided to differ', () => {
  const byId = (id: string): McpCase => cases.find((c) => c.id === id)!;

  it('quirk_lock_substring_exit_1: a missing block.yaml is invalid input (exit 6), not exit 1 (decision 1)', async () => {
    const c = byId('quirk_lock_substring_exit_1');
    const run = await runMcpCase(c);
    run.cleanup();
    expect(run.exit).toBe(6);
    expect(run.json).toEqual({
      ...c.stdout_json,
      error_category: 'invalid_input',
      error_code: 'invalid_input',
      hint: 'check command usage and input schema',
    });
  });

  it('fail_closed_invalid_intent_is_error: a fail-closed block with fail_closed_intent_invalid, exit 3 (decision 2)', async () => {
    const c = byId('fail_closed_invalid_intent_is_error');
    const run = await runMcpCase(c);
    run.cleanup();
    expect(run.exit).toBe(3);
    expect(run.json).toMatchObject({ ok: true, executed: false, adapter: 'mcp', verdict: 'block' });
    expect(run.json!['reason_codes']).toContain('fail_closed_intent_invalid');
    expect(run.json!['error']).toBeUndefined();
    expect(run.json!['trace_path']).toBe('out/fail_closed_invalid_intent_is_error.json');
    // No intent digest: the run id takes the trace id's hex.
    expect(run.json!['run_id']).toBe(`run_mcp_${String(run.json!['trace_id']).slice(0, 12)}`);
  });

  it('cli_runpack_out: --runpack-out is refused with exit 6 and nothing is written (runpacks are out of scope)', async () => {
    const c = byId('cli_runpack_out');
    const run = await runMcpCase(c);
    try {
      expect(run.exit).toBe(6);
      expect(run.json).toEqual({
        ok: false,
        executed: false,
        error: '--runpack-out is not supported by gait-wasm (runpacks are out of scope); remove the flag',
        error_category: 'invalid_input',
        error_code: 'invalid_input',
        hint: 'check command usage and input schema',
        retryable: false,
      });
      const { existsSync } = await import('node:fs');
      const { join } = await import('node:path');
      expect(existsSync(join(run.dir, 'out'))).toBe(false);
    } finally {
      run.cleanup();
    }
  });
});

describe('gait mcp dispatch and flags beyond the catalogue (checked on the v1.3.6 binary)', () => {
  const usage = cases.find((c) => c.id === 'mcp_unknown_subcommand')!.stdout_text!;
  const explain = cases.find((c) => c.id === 'cli_explain')!.stdout_text!;
  const proxyUsage =
    'Usage:\n  gait mcp proxy --policy <policy.yaml> --call <tool_call.json|-> [--context-envelope <context_envelope.json>] ' +
    '[--adapter mcp|openai|anthropic|langchain|claude_code] [--profile standard|oss-prod] [--job-root ./gait-out/jobs] [--trace-out trace.json] ' +
    '[--run-id run_...] [--runpack-out runpack.zip] [--pack-out pack_run.zip] [--export-log-out events.jsonl] [--export-otel-out otel.jsonl] ' +
    '[--key-mode dev|prod] [--private-key <path>|--private-key-env <VAR>] [--json] [--explain]\n';
  const run = async (args: string[]) => {
    const dir = copyMcpFixtures();
    try {
      return await runGaitIn(dir, args);
    } finally {
      const { rmSync } = await import('node:fs');
      rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  };

  it('--explain anywhere after mcp prints the mcp sentence (exit 0)', async () => {
    for (const args of [['mcp', '--explain'], ['mcp', 'nope', '--explain'], ['mcp', 'verify', '--explain'], ['mcp', 'proxy', '--policy', '--explain']]) {
      expect(await run(args)).toMatchObject({ exit: 0, stdout: explain });
    }
  });

  it('bare `mcp` prints the usage and exits 6; help is not an error (decision 4: Gait exits 6 for `mcp --help`)', async () => {
    expect(await run(['mcp'])).toMatchObject({ exit: 6, stdout: usage });
    for (const h of ['--help', '-h', 'help']) expect(await run(['mcp', h])).toMatchObject({ exit: 0, stdout: usage });
  });

  it('proxy and bridge --help print the proxy usage (exit 0); -h too (decision 4; Gait: `flag: help requested`, exit 6)', async () => {
    for (const args of [['mcp', 'proxy', '--help'], ['mcp', 'bridge', '--help', '--json'], ['mcp', 'proxy', '-h']]) {
      expect(await run(args)).toMatchObject({ exit: 0, stdout: proxyUsage });
    }
  });

  it('a flag error is JSON only when --json came first', async () => {
    const after = await run(['mcp', 'proxy', '--json', '--bogus']);
    expect(after.exit).toBe(6);
    expect(JSON.parse(after.stdout)).toMatchObject({ ok: false, executed: false, error: 'flag provided but not defined: -bogus', error_code: 'invalid_input' });
    expect(await run(['mcp', 'proxy', '--json=false', '--bogus'])).toMatchObject({ exit: 6, stdout: 'mcp proxy error: flag provided but not defined: -bogus\n' });
    expect(await run(['mcp', 'proxy', '--explain=false'])).toMatchObject({ exit: 6, stdout: 'mcp proxy error: flag provided but not defined: -explain\n' });
    expect(await run(['mcp', 'proxy', '--policy'])).toMatchObject({ exit: 6, stdout: 'mcp proxy error: flag needs an argument: -policy\n' });
  });

  it('--pack-out is refused like --runpack-out (packs are out of scope)', async () => {
    const r = await run(['mcp', 'proxy', '--policy', 'policies/allow.yaml', '--call', 'calls/mcp/read_path.json', '--pack-out', 'p.zip']);
    expect(r).toMatchObject({ exit: 6, stdout: 'mcp proxy error: --pack-out is not supported by gait-wasm (packs are out of scope); remove the flag\n' });
  });
});
