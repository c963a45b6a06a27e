// Every `gait mcp verify` case of test/fixtures/gait/mcp/EXPECTED.jsonl (recorded from Gait
// v1.3.6), run in-process with the fixture folder as the working directory. Minimal loader of its
// own: the shared EXPECTED.jsonl runner (test/mcp/fixture-cases.ts) belongs to the proxy work.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMcpVerify } from '../../bindings/cli/mcp-verify.js';
import { FIXTURES } from '../cli/run.js';

const MCP = path.join(FIXTURES, 'mcp');

interface ExpectedCase {
  id: string;
  cmd: string[];
  exit: number;
  ignored?: string[];
  stdout_json?: Record<string, unknown>;
  stdout_text?: string;
}

const cases: ExpectedCase[] = readFileSync(path.join(MCP, 'EXPECTED.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as ExpectedCase)
  .filter((c) => c.cmd[0] === 'mcp' && c.cmd[1] === 'verify');

async function run(cmd: string[]): Promise<{ exit: number; stdout: string }> {
  let stdout = '';
  const prev = process.cwd();
  process.chdir(MCP);
  try {
    const exit = await runMcpVerify(
      { io: { stdout: (t) => void (stdout += t), stderr: () => {}, cwd: MCP, env: {} }, argv: cmd, json: cmd.includes('--json') },
      cmd.slice(2),
    );
    return { exit, stdout };
  } finally {
    process.chdir(prev);
  }
}

describe('mcp verify: EXPECTED.jsonl', () => {
  it('has the 16 recorded verify cases', () => {
    expect(cases).toHaveLength(16);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const { exit, stdout } = await run(c.cmd);
    expect(exit).toBe(c.exit);
    if (c.stdout_text !== undefined) {
      expect(stdout).toBe(c.stdout_text);
      return;
    }
    expect(stdout.endsWith('\n')).toBe(true);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const got = JSON.parse(stdout) as Record<string, unknown>;
    expect(typeof got['correlation_id']).toBe('string');
    for (const k of c.ignored ?? []) delete got[k];
    expect(got).toEqual(c.stdout_json);
  });
});
