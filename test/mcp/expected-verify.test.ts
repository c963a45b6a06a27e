// Every `gait mcp verify` case of test/fixtures/gait/mcp/EXPECTED.jsonl (recorded from Gait
// v1.3.6), run through the CLI dispatch in a fresh copy of the fixture folder.
import { describe, expect, it } from 'vitest';
import { expectRecordedOutput, loadMcpCases, runMcpCase, runGaitIn, MCP_FIXTURES } from './fixture-cases.js';

const cases = loadMcpCases().filter((c) => c.cmd[0] === 'mcp' && c.cmd[1] === 'verify');

describe('mcp verify: EXPECTED.jsonl', () => {
  it('has the 16 recorded verify cases', () => {
    expect(cases).toHaveLength(16);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const r = await runMcpCase(c);
    try {
      expectRecordedOutput(r, c);
    } finally {
      r.cleanup();
    }
  });
});

describe('mcp verify: help', () => {
  it('-h prints the usage and exits 0 (spec README decision 4; Gait exits 6 with `flag: help requested`)', async () => {
    const dash = await runGaitIn(MCP_FIXTURES, ['mcp', 'verify', '-h']);
    const long = await runGaitIn(MCP_FIXTURES, ['mcp', 'verify', '--help']);
    expect(dash).toEqual({ exit: 0, stdout: long.stdout, stderr: '' });
    expect(long.stdout).toContain('gait mcp verify --policy <policy.yaml> --server <server.json>');
  });
});
