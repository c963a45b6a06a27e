// Every `gait mcp proxy` / `bridge` / mcp-level case of the fixture catalogue, against what Gait
// v1.3.6 printed; the cases where we decided to differ assert our behaviour explicitly.
import { describe, expect, it } from 'vitest';
import { loadMcpCases, runMcpCase, type McpCase } from './fixture-cases.js';
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
