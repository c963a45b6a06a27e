// createMcpGateServer, the library behind `gait mcp gate`, in one process: upstream McpServer ⇄
// (in-memory) ⇄ upstream Client → gating Server ⇄ (in-memory) ⇄ test Client. Shows the MCP
// tool call mapping (name, arguments → args, the upstream's identity → mcp_trust) and that
// only allowed calls run.
import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { z } from 'zod';
import { createGate } from '../../bindings/load/node.js';
import { createMcpGateServer, gateMcpToolCall, mcpToolCall, type McpGateDecision, type McpGateOptions } from '../../bindings/integrations/mcp-server.js';
import type { Gate } from '../../bindings/gate.js';

/** Upstream with two tools; `ran` lists the calls it executed. */
async function connectUpstream(name: string) {
  const ran: { tool: string; args: unknown }[] = [];
  const upstream = new McpServer({ name, version: '2.0.0' });
  for (const tool of ['search', 'delete_repo']) {
    upstream.registerTool(tool, { description: tool, inputSchema: { q: z.string().optional() } }, async (args) => {
      ran.push({ tool, args });
      return { content: [{ type: 'text', text: `${tool} done` }] };
    });
  }
  const [a, b] = InMemoryTransport.createLinkedPair();
  await upstream.connect(a);
  const client = new Client({ name: 'gate-upstream-client', version: '1' });
  await client.connect(b);
  return { client, ran };
}

async function gated(gate: Gate, upstreamName: string, options: McpGateOptions = {}) {
  const { client: upstream, ran } = await connectUpstream(upstreamName);
  const decisions: McpGateDecision[] = [];
  const server = await createMcpGateServer(gate, upstream, { ...options, onDecision: (d) => decisions.push(d) });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const client = new Client({ name: 'test', version: '1' });
  await client.connect(b);
  return { client, ran, decisions };
}

const POLICY = `default_verdict: allow
rules:
  - name: no-deletes
    effect: block
    match:
      tool_names: [delete_repo]
    reason_codes: [delete_blocked]
`;

describe('createMcpGateServer', () => {
  it('forwards allowed calls and refuses blocked ones (the upstream never runs them)', async () => {
    const { client, ran, decisions } = await gated(createGate(POLICY), 'github');
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['search', 'delete_repo']);
    expect(await client.callTool({ name: 'search', arguments: { q: 'gait' } })).toEqual({ content: [{ type: 'text', text: 'search done' }] });
    const refused = await client.callTool({ name: 'delete_repo', arguments: { q: 'all' } });
    expect(refused.isError).toBe(true);
    expect(ran).toEqual([{ tool: 'search', args: { q: 'gait' } }]);
    expect(decisions.map((d) => [d.tool, d.verdict, d.forwarded])).toEqual([
      ['search', 'allow', true],
      ['delete_repo', 'block', false],
    ]);
  });

  it('maps the MCP call to the mcp adapter ToolCall: name, arguments → args, server, context', () => {
    expect(mcpToolCall({ name: 'search', arguments: { q: 'x' } }, { server_name: 'github' }, { identity: 'alice' })).toEqual({
      name: 'search',
      args: { q: 'x' },
      context: { risk_class: 'high', identity: 'alice' },
      server: { server_name: 'github' },
    });
    expect(mcpToolCall({ name: 'search' }, undefined)).toEqual({ name: 'search', args: {}, context: { risk_class: 'high' } });
    // Options left undefined are left out, not sent as keys.
    expect(mcpToolCall({ name: 'search' }, { server_id: undefined }, { identity: undefined, risk_class: undefined })).toStrictEqual({ name: 'search', args: {}, context: { risk_class: 'high' } });
  });

  it('the upstream identity reaches mcp_trust: a trusted upstream runs, an unknown one is blocked', async () => {
    const policy = `default_verdict: allow
mcp_trust:
  enabled: true
  snapshot: trust.json
  action: block
  required_risk_classes: [high]
`;
    const snapshot = JSON.stringify({
      schema_id: 'gait.mcp.trust_snapshot',
      schema_version: '1.0.0',
      entries: [{ server_name: 'github', publisher: 'acme', status: 'trusted', score: 0.9, updated_at: '2026-03-01T00:00:00Z' }],
    });
    const options: McpGateOptions = { readTrustSnapshot: async (p) => (p === 'trust.json' ? snapshot : Promise.reject(new Error('no such file'))) };
    const gate = createGate(policy);

    const trusted = await gated(gate, 'github', options);
    expect((await trusted.client.callTool({ name: 'search', arguments: {} })).isError).toBeUndefined();
    expect(trusted.ran.length).toBe(1);
    expect(trusted.decisions[0]!.evaluation?.output.mcp_trust).toMatchObject({ server_name: 'github', status: 'trusted' });

    const unknown = await gated(gate, 'shady', options);
    const refused = await unknown.client.callTool({ name: 'search', arguments: {} });
    expect(refused.isError).toBe(true);
    expect(unknown.ran).toEqual([]);
    expect(unknown.decisions[0]).toMatchObject({ verdict: 'block', forwarded: false });
    expect(unknown.decisions[0]!.evaluation?.output.reason_codes).toContain('mcp_trust_server_unknown');

    // An explicit identity wins over the name the upstream gives itself.
    const pinned = await gated(gate, 'shady', { ...options, server: { server_name: 'github' } });
    expect((await pinned.client.callTool({ name: 'search', arguments: {} })).isError).toBeUndefined();
  });

  it('gateMcpToolCall never throws: errors refuse the call', async () => {
    const gate = createGate(POLICY);
    const verdicts = [
      await gateMcpToolCall(gate, { name: '' }),
      await gateMcpToolCall(gate, { name: 'search' }, { profile: 'bogus' }),
      await gateMcpToolCall(gate, { name: 'search', arguments: 'x' as unknown as Record<string, unknown> }),
    ];
    for (const v of verdicts) {
      expect(v.forward).toBe(false);
      expect(v.decision.error).toBeTruthy();
    }
  });
});
