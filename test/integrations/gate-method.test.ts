// The integrations evaluate through the gate's own `evaluateToolCall` method, never through a
// second copy of the library: a gate made by the package's bundle (the one users import) is
// judged by that bundle's code, and a gate whose evaluation fails is never executed around.
import { describe, expect, it, vi } from 'vitest';
import { createGate } from '../../bindings/load/node.js';
import { claudeCodeHook } from '../../bindings/integrations/claude-code.js';
import { gateTools } from '../../bindings/integrations/ai-sdk.js';
import { INTEGRATION_POLICY } from './policy.js';

describe('integrations call gate.evaluateToolCall', () => {
  it('claudeCodeHook: one evaluation per event, by the gate itself; its failure denies', async () => {
    const gate = createGate(INTEGRATION_POLICY);
    const spy = vi.spyOn(gate, 'evaluateToolCall');
    const out = await claudeCodeHook(gate, { hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: '/x' } });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]![1]).toMatchObject({ adapter: 'claude_code' });
    expect(out.hookSpecificOutput.permissionDecision).toBe('deny'); // tool.read: default_block
    spy.mockRejectedValueOnce(new Error('boom'));
    const failed = await claudeCodeHook(gate, { hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: {} });
    expect(failed.hookSpecificOutput.permissionDecision).toBe('deny');
  });

  it('ai-sdk gateTools: the tool runs only when the gate\'s own evaluation allows it', async () => {
    const gate = createGate(INTEGRATION_POLICY);
    const spy = vi.spyOn(gate, 'evaluateToolCall');
    const ran: unknown[] = [];
    const tools = gateTools({ read_file: { description: 'read', inputSchema: undefined as never, execute: async (input: unknown) => { ran.push(input); return 'ok'; } } } as never, { gate }) as Record<string, { execute: (i: unknown, o: unknown) => Promise<unknown> }>;
    await expect(tools['read_file']!.execute({ path: '/srv/a' }, { toolCallId: 'c1', messages: [] })).resolves.toBe('ok');
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRejectedValueOnce(new Error('boom'));
    await expect(tools['read_file']!.execute({ path: '/srv/b' }, { toolCallId: 'c2', messages: [] })).rejects.toThrow();
    expect(ran).toEqual([{ path: '/srv/a' }]);
  });
});
