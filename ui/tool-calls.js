// Example tool calls in each format the boundary adapters read (mcp.md §2).
export const TOOL_CALLS = {
  mcp: {
    'write a file': { name: 'tool.write', args: { path: '/tmp/out.txt', content: 'hello' }, targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'write' }], context: { identity: 'example-user', workspace: '/tmp/workspace', risk_class: 'high' } },
    'delete a file': { name: 'tool.delete', args: { path: '/tmp/out.txt' }, targets: [{ kind: 'path', value: '/tmp/out.txt', operation: 'delete' }], context: { identity: 'example-user', workspace: '/tmp/workspace', risk_class: 'high' } },
    'read a file': { name: 'tool.read', args: { path: '/tmp/in.txt' }, targets: [{ kind: 'path', value: '/tmp/in.txt', operation: 'read' }], context: { identity: 'example-user', workspace: '/tmp/workspace', risk_class: 'medium' } },
  },
  openai: {
    'write a file': { type: 'function', function: { name: 'tool.write', arguments: '{"path":"/tmp/out.txt","content":"hello"}' } },
    'delete a file': { type: 'function', function: { name: 'tool.delete', arguments: '{"path":"/tmp/out.txt"}' } },
  },
  anthropic: {
    'read a file': { type: 'tool_use', name: 'tool.read', input: { path: '/tmp/in.txt' } },
    'run a command': { type: 'tool_use', name: 'tool.exec', input: { command: 'ls' } },
  },
  claude_code: {
    'Bash': { session_id: 'session-1', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'rm -rf build' } },
    'Write': { session_id: 'session-1', hook_event_name: 'PreToolUse', tool_name: 'Write', tool_input: { file_path: '/tmp/out.txt', content: 'hello' } },
    'Read': { session_id: 'session-1', hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: '/tmp/in.txt' } },
  },
  langchain: {
    'write a file': { tool: 'tool.write', tool_input: { path: '/tmp/out.txt', content: 'hello' } },
    'delete a file': { tool: 'tool.delete', tool_input: { path: '/tmp/out.txt' } },
  },
};
