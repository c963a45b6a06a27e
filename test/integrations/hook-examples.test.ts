// The integration examples run as written: their policies are valid, the library hook and the
// library gating server work through the package's own subpath exports (gait-wasm/claude-code,
// gait-wasm/mcp/stdio), as an installed package would resolve them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(REPO, 'bin/gait.js');
const CLAUDE = path.join(REPO, 'examples/claude-code');
const GATE = path.join(REPO, 'examples/mcp-gate');
const UPSTREAM = fileURLToPath(new URL('./fixtures/upstream-mcp-server.mjs', import.meta.url));

describe('integration examples', () => {
  it('the package exports the integrations as subpaths', () => {
    const r = spawnSync(process.execPath, ['-e', `
      const subpaths = ['gait-wasm/claude-code', 'gait-wasm/mcp', 'gait-wasm/mcp/stdio'];
      Promise.all(subpaths.map((s) => import(s))).then((m) => console.log(JSON.stringify(m.map((x) => Object.keys(x).sort()))));
    `], { cwd: REPO, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([
      ['PRE_TOOL_USE', 'claudeCodeHook', 'decideClaudeCodeHook', 'failClosedHookOutput'],
      ['createMcpGateServer', 'gateMcpToolCall', 'mcpToolCall'],
      ['runMcpGateStdio'],
    ]);
  });

  it('the example policies are valid', () => {
    for (const p of [path.join(CLAUDE, '.claude/gait-policy.yaml'), path.join(GATE, 'policy.yaml')]) {
      const r = spawnSync(process.execPath, [BIN, 'policy', 'validate', p, '--json'], { encoding: 'utf8' });
      expect(r.status).toBe(0);
    }
  });

  it('claude-code: the CLI and custom-hook.mjs give the same decisions on the example events', () => {
    const decisions = (command: string[]) =>
      ['event-read.json', 'event-bash.json'].map((e) => {
        const r = spawnSync(process.execPath, command, { cwd: CLAUDE, input: readFileSync(path.join(CLAUDE, e)), encoding: 'utf8' });
        expect(r.status).toBe(0);
        return JSON.parse(r.stdout).hookSpecificOutput.permissionDecision;
      });
    expect(decisions([BIN, 'claude-code', 'hook', '--policy', '.claude/gait-policy.yaml'])).toEqual(['allow', 'ask']);
    expect(decisions(['custom-hook.mjs'])).toEqual(['allow', 'ask']);
  });

  it('mcp-gate: gate.mjs forwards allowed calls and refuses the rest', async () => {
    const record = path.join(mkdtempSync(path.join(tmpdir(), 'gait-example-gate-')), 'calls.jsonl');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [path.join(GATE, 'gate.mjs'), path.join(GATE, 'policy.yaml'), process.execPath, UPSTREAM],
      env: { ...(process.env as Record<string, string>), UPSTREAM_RECORD: record },
      stderr: 'ignore',
    });
    const client = new Client({ name: 'example-test', version: '1' });
    await client.connect(transport);
    try {
      expect((await client.callTool({ name: 'read_file', arguments: { path: '/a' } })).isError).toBeUndefined();
      expect((await client.callTool({ name: 'write_file', arguments: { path: '/a', content: 'x' } })).isError).toBe(true);
      expect((await client.callTool({ name: 'run_command', arguments: { command: 'ls' } })).isError).toBe(true);
    } finally {
      await client.close();
    }
    expect(existsSync(record)).toBe(true);
    expect(readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l).tool)).toEqual(['read_file']);
  });

  it('the Claude Desktop config puts gait mcp gate in front of the server', () => {
    const config = JSON.parse(readFileSync(path.join(GATE, 'claude_desktop_config.json'), 'utf8'));
    const args: string[] = config.mcpServers.files.args;
    expect(args.slice(0, 3)).toEqual(['gait', 'mcp', 'gate']);
    expect(args).toContain('--');
  });
});
