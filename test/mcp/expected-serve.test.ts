// Every `gait mcp serve` start-up case of test/fixtures/gait/mcp/EXPECTED.jsonl (recorded from
// Gait v1.3.6), run through the CLI dispatch in a fresh copy of the fixture folder. None of them
// gets as far as listening.
import { describe, expect, it } from 'vitest';
import { expectRecordedOutput, loadMcpCases, runMcpCase, runGaitIn, MCP_FIXTURES } from './fixture-cases.js';

const cases = loadMcpCases().filter((c) => c.cmd[0] === 'mcp' && c.cmd[1] === 'serve');

describe('mcp serve: EXPECTED.jsonl start-up errors', () => {
  it('has the 17 recorded serve cases', () => {
    expect(cases).toHaveLength(17);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const r = await runMcpCase(c, { env: { GAIT_FIXTURE_UNSET_TOKEN: undefined } });
    try {
      expectRecordedOutput(r, c);
    } finally {
      r.cleanup();
    }
  });
});

describe('mcp serve: usage', () => {
  it('--help and -h print the usage and exit 0 (spec README decision 4 for -h)', async () => {
    const long = await runGaitIn(MCP_FIXTURES, ['mcp', 'serve', '--help']);
    const dash = await runGaitIn(MCP_FIXTURES, ['mcp', 'serve', '-h', '--json']);
    expect(long.exit).toBe(0);
    // Gait's usage, plus our --workers flag and the line that explains it.
    expect(long.stdout).toMatch(/^Usage:\n {2}gait mcp serve --policy <policy\.yaml> .*\[--workers <n>\] \[--json\] \[--explain\]\n {2}endpoints: POST \/v1\/evaluate \(json\), POST \/v1\/evaluate\/sse \(text\/event-stream\), POST \/v1\/evaluate\/stream \(application\/x-ndjson\)\n {2}--workers <n>: serve the address from n processes .*\n$/);
    expect(dash).toEqual(long);
  });
});
