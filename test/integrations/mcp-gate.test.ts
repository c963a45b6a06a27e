// The MCP gating server, end to end over stdio: a real SDK Client spawns `gait mcp gate` (the
// built bin/gait.js), which spawns a real upstream MCP server (fixtures/upstream-mcp-server.mjs,
// the SDK's McpServer) whose tools append a line to a record file each time they run. So the
// record file says exactly which calls reached the upstream.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const BIN = fileURLToPath(new URL('../../bin/gait.js', import.meta.url));
const POLICY = fileURLToPath(new URL('./fixtures/gate-policy.yaml', import.meta.url));
const UPSTREAM = fileURLToPath(new URL('./fixtures/upstream-mcp-server.mjs', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'gait-mcp-gate-'));

interface Session {
  client: Client;
  record: string;
  stderr: () => string;
  close: () => Promise<void>;
}

async function startGate(gateArgs: string[], name: string): Promise<Session> {
  const record = path.join(dir, `${name}.jsonl`);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp', 'gate', ...gateArgs, '--', process.execPath, UPSTREAM],
    env: { ...(process.env as Record<string, string>), UPSTREAM_RECORD: record },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const client = new Client({ name: 'scripted-test-client', version: '1.0.0' });
  await client.connect(transport);
  return { client, record, stderr: () => stderr, close: () => client.close() };
}

/** The calls the upstream ran, in order. */
function executed(s: Session): { tool: string; arguments: Record<string, unknown> }[] {
  if (!existsSync(s.record)) return [];
  return readFileSync(s.record, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

function decisionOf(result: { content?: unknown }): Record<string, any> {
  const content = result.content as { type: string; text: string }[];
  return JSON.parse(content[1]!.text).gait;
}

describe('gait mcp gate (stdio, real SDK client and upstream)', () => {
  let s: Session;
  beforeAll(async () => {
    s = await startGate(['--policy', POLICY], 'main');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('introduces itself and lists the upstream tools unchanged', async () => {
    expect(s.client.getServerVersion()?.name).toBe('gait-mcp-gate');
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['read_file', 'run_command', 'write_file', 'deploy']);
    expect(tools[0]!.inputSchema).toMatchObject({ type: 'object', properties: { path: { type: 'string' } } });
    expect(executed(s)).toEqual([]);
  });

  it('forwards an allowed call: the upstream runs it and its result comes back as is', async () => {
    const result = await s.client.callTool({ name: 'read_file', arguments: { path: '/etc/hosts' } });
    expect(result).toEqual({ content: [{ type: 'text', text: 'contents of /etc/hosts' }] });
    expect(executed(s)).toEqual([{ tool: 'read_file', arguments: { path: '/etc/hosts' } }]);
  });

  it.each([
    ['run_command', { command: 'rm -rf /' }, 'block', ['commands_blocked'], /^gait: run_command was blocked by policy \(reason codes: commands_blocked\); it was not run\.$/],
    ['write_file', { path: '/x', content: 'y' }, 'require_approval', ['write_needs_approval'], /^gait: write_file requires approval \(reason codes: write_needs_approval\); it was not run\.$/],
    ['deploy', { env: 'prod' }, 'dry_run', ['deploy_simulated'], /^gait: deploy is a dry run under this policy \(reason codes: deploy_simulated\); it was not run\.$/],
    ['unknown_tool', {}, 'block', ['default_block'], /^gait: unknown_tool was blocked by policy \(reason codes: default_block\); it was not run\.$/],
  ])('refuses %s (%s): an isError result with the decision, and the upstream never sees it', async (name, args, verdict, codes, text) => {
    const before = executed(s).length;
    const result = await s.client.callTool({ name, arguments: args });
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]!.text).toMatch(text);
    const decision = decisionOf(result);
    expect(decision).toMatchObject({ tool: name, executed: false, verdict, reason_codes: codes });
    expect(decision.trace_id).toMatch(/^[0-9a-f]{24}$/);
    expect(decision.policy_digest).toBe('65ccce37ac884b1d80d62262a67b22bc2bf2b433cd078a59581c2ffa813189dd');
    expect(executed(s).length).toBe(before);
  });

  it('fails closed on a call that cannot be evaluated (a blank tool name): refused, not forwarded', async () => {
    const before = executed(s).length;
    const result = await s.client.callTool({ name: ' ', arguments: {} });
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]!.text).toMatch(/could not be evaluated \(fail closed\): tool call name is required/);
    expect(decisionOf(result)).toMatchObject({ executed: false, error: 'tool call name is required' });
    expect(executed(s).length).toBe(before);
  });

  it('logs one line per decision on stderr (stdout is the MCP channel)', async () => {
    await s.client.callTool({ name: 'read_file', arguments: { path: '/b' } });
    expect(s.stderr()).toMatch(/gait mcp gate: read_file verdict=allow reason_codes=read_allowed forwarded/);
    expect(s.stderr()).toMatch(/gait mcp gate: run_command verdict=block reason_codes=commands_blocked refused/);
  });
});

describe('gait mcp gate fails closed', () => {
  it('every call is refused when evaluation always fails (oss-prod without the strict context)', async () => {
    const s = await startGate(['--policy', POLICY, '--profile', 'oss-prod'], 'oss-prod');
    try {
      const result = await s.client.callTool({ name: 'read_file', arguments: { path: '/etc/hosts' } });
      expect(result.isError).toBe(true);
      expect(decisionOf(result)).toMatchObject({ tool: 'read_file', executed: false });
      expect(decisionOf(result).error).toMatch(/required in strict profile|requires --key-mode prod/);
      expect(executed(s)).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('does not start without a policy or an upstream command: exit 6, error on stderr, nothing on stdout', async () => {
    const { spawnSync } = await import('node:child_process');
    for (const args of [['--', process.execPath, UPSTREAM], ['--policy', POLICY], ['--policy', '/nonexistent.yaml', '--', process.execPath, UPSTREAM]]) {
      const r = spawnSync(process.execPath, [BIN, 'mcp', 'gate', ...args], { encoding: 'utf8', input: '' });
      expect(r.status).toBe(6);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^mcp gate error: /);
    }
  });

  it('reports an upstream that does not start (exit 1) instead of serving without it', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, [BIN, 'mcp', 'gate', '--policy', POLICY, '--', process.execPath, '-e', 'process.exit(3)'], { encoding: 'utf8', input: '' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^mcp gate error: upstream MCP server did not start \(.*node\): /);
  });

  it('--help prints the usage', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, [BIN, 'mcp', 'gate', '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/gait mcp gate --policy <policy.yaml> \[flags\] -- <upstream command>/);
  });
});
