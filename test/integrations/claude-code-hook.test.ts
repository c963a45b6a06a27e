// The Claude Code PreToolUse hook: `gait claude-code hook` as Claude Code runs it (the built
// bin/gait.js, the event on stdin), and the library function behind it. A small stand-in for
// Claude Code runs each tool only when the hook says `allow`, so the tests show which calls would
// execute. Claude Code reads a hook's JSON only on exit 0 and lets the tool run on any exit other
// than 0 or 2, so the hook must always exit 0 here (fail closed means "deny", never "crash").
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createGate } from '../../bindings/load/node.js';
import { claudeCodeHook, decideClaudeCodeHook } from '../../bindings/integrations/claude-code.js';

const BIN = fileURLToPath(new URL('../../bin/gait.js', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const POLICY = fileURLToPath(new URL('./fixtures/hook-policy.yaml', import.meta.url));

/** A PreToolUse event as Claude Code sends it (fields beyond the tool are ignored by the adapter). */
function event(tool_name: string, tool_input: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    session_id: 'sess-1',
    transcript_path: '/home/dev/.claude/projects/demo/sess-1.jsonl',
    cwd: '/home/dev/demo',
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name,
    tool_input,
    tool_use_id: 'toolu_01',
    ...extra,
  };
}

const READ = event('Read', { file_path: '/home/dev/demo/src/app.ts' });
const BASH = event('Bash', { command: 'rm -rf /', description: 'clean up' });
const WRITE = event('Write', { file_path: '/home/dev/demo/notes.md', content: 'hello' });
const TASK = event('Task', { description: 'refactor', prompt: 'split the module' });

function hook(stdin: string | Buffer, args: string[] = ['--policy', POLICY]) {
  const r = spawnSync(process.execPath, [BIN, 'claude-code', 'hook', ...args], { cwd: REPO, input: stdin, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { exit: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Claude Code's side: run the hook, then execute the tool only on an explicit allow. */
function claudeCode(stdin: string | Buffer, args?: string[]) {
  const r = hook(stdin, args);
  // Exit 0 or 2 are the only answers Claude Code does not ignore.
  expect([0, 2]).toContain(r.exit);
  const output = r.exit === 0 ? JSON.parse(r.stdout) : undefined;
  const decision: string | undefined = output?.hookSpecificOutput?.permissionDecision;
  return { ...r, output, decision, executed: decision === 'allow' };
}

const json = (o: unknown) => JSON.stringify(o);

describe('gait claude-code hook (the CLI, as Claude Code runs it)', () => {
  it('Read (tool.read, allowed): allow, and the tool runs', () => {
    const r = claudeCode(json(READ));
    expect(r.exit).toBe(0);
    expect(r.output).toEqual({
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'allow',
        permissionDecisionReason: expect.stringMatching(/^gait verdict=allow reason_codes=read_allowed trace_id=[0-9a-f]{24}$/),
      },
    });
    expect(r.executed).toBe(true);
  });

  it('Bash (tool.exec, blocked): deny with the reason codes and violations, not run', () => {
    const r = claudeCode(json(BASH));
    expect(r.decision).toBe('deny');
    // A matched rule on an execute target also reports the destructive raise (mcp.md §2.7).
    expect(r.output.hookSpecificOutput.permissionDecisionReason).toMatch(/^gait verdict=block reason_codes=[a-z_, ]*shell_blocked[a-z_, ]* violations=exec_not_allowed/);
    expect(r.executed).toBe(false);
  });

  it('Write (tool.write, require_approval): ask, so Claude Code asks the user; not run by the hook', () => {
    const r = claudeCode(json(WRITE));
    expect(r.decision).toBe('ask');
    expect(r.output.hookSpecificOutput.permissionDecisionReason).toMatch(/^gait verdict=require_approval reason_codes=write_needs_approval/);
    expect(r.executed).toBe(false);
  });

  it('Task (tool.delegate, dry_run): deny, because a dry run must not execute, and says so', () => {
    const r = claudeCode(json(TASK));
    expect(r.decision).toBe('deny');
    expect(r.output.hookSpecificOutput.permissionDecisionReason).toMatch(/^gait verdict=dry_run reason_codes=delegation_simulated trace_id=[0-9a-f]{24}; dry run: the policy only simulates this tool call, so it is not executed$/);
    expect(r.executed).toBe(false);
  });

  it('a tool no rule names falls to the policy default (block): deny', () => {
    const r = claudeCode(json(event('mcp__github.create_issue', { title: 'x' })));
    expect(r.decision).toBe('deny');
    expect(r.output.hookSpecificOutput.permissionDecisionReason).toMatch(/^gait verdict=block/);
  });

  it.each([
    ['blank stdin', '', /unexpected end of JSON input/],
    ['whitespace only', ' \n\t', /unexpected end of JSON input/],
    ['malformed JSON', '{"tool_name": "Read",', /parse claude code tool call/],
    ['not an object', '[1,2]', /parse claude code tool call/],
    ['no tool name', json(event('', {})), /claude code tool call name is required/],
    ['tool_input of the wrong type', json(event('Read', 42 as unknown as Record<string, unknown>)), /decode claude code tool_input/],
    ['another hook event', json(event('Read', { file_path: '/a' }, { hook_event_name: 'PostToolUse' })), /this hook answers PreToolUse only/],
  ])('fails closed on %s: deny, exit 0', (_name, stdin, reason) => {
    const r = claudeCode(stdin);
    expect(r.exit).toBe(0);
    expect(r.decision).toBe('deny');
    expect(r.output.hookSpecificOutput.permissionDecisionReason).toMatch(/^gait: denied because the call could not be evaluated \(fail closed\): /);
    expect(r.output.hookSpecificOutput.permissionDecisionReason).toMatch(reason);
    expect(r.executed).toBe(false);
  });

  it.each([
    ['no --policy', [], /expected --policy <policy.yaml>/],
    ['a missing policy file', ['--policy', '/nonexistent/policy.yaml'], /read policy: open \/nonexistent\/policy.yaml: no such file or directory/],
    ['a policy that is not a policy', ['--policy', BIN], /./],
    ['an unknown flag', ['--policy', POLICY, '--nope'], /flag provided but not defined: -nope/],
    ['a bad profile', ['--policy', POLICY, '--profile', 'lax'], /unsupported --profile value "lax"/],
  ])('fails closed on %s (even a Read is denied)', (_name, args, reason) => {
    const r = claudeCode(json(READ), args);
    expect(r.exit).toBe(0);
    expect(r.decision).toBe('deny');
    expect(r.output.hookSpecificOutput.permissionDecisionReason).toMatch(reason);
  });

  it('refuses an event over 16 MiB without reading it all: deny', () => {
    const big = Buffer.alloc(16 * 1024 * 1024 + 1, 0x20);
    const r = claudeCode(big);
    expect(r.decision).toBe('deny');
    expect(r.output.hookSpecificOutput.permissionDecisionReason).toMatch(/hook event exceeds maximum size of 16777216 bytes/);
  });

  it('--trace-dir keeps each signed trace; with a prod key it verifies against the public key', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gait-hook-traces-'));
    const keys = path.join(REPO, 'test/fixtures/gait/scenarios/keys');
    const r = claudeCode(json(BASH), ['--policy', POLICY, '--trace-dir', dir, '--key-mode', 'prod', '--private-key', path.join(keys, 'approval_private.key')]);
    expect(r.decision).toBe('deny');
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    const traceId = /trace_id=([0-9a-f]+)/.exec(r.output.hookSpecificOutput.permissionDecisionReason)![1];
    expect(files[0]).toMatch(new RegExp(`^trace_\\d{8}T\\d{6}\\.\\d+_${traceId}_[0-9a-f]{6}\\.json$`));
    const trace = JSON.parse(readFileSync(path.join(dir, files[0]!), 'utf8'));
    expect(trace).toMatchObject({ trace_id: traceId, verdict: 'block', tool_name: 'tool.exec' });
    const verify = spawnSync(process.execPath, [BIN, 'trace', 'verify', path.join(dir, files[0]!), '--public-key', path.join(keys, 'approval_public.key'), '--json'], { encoding: 'utf8' });
    expect(verify.status).toBe(0);
  });

  it('fails closed when the trace cannot be kept or the key cannot be loaded', () => {
    const notADir = path.join(mkdtempSync(path.join(tmpdir(), 'gait-hook-traces-')), 'file');
    writeFileSync(notADir, 'x');
    for (const args of [['--trace-dir', notADir], ['--key-mode', 'prod']]) {
      const r = claudeCode(json(READ), ['--policy', POLICY, ...args]);
      expect(r.decision).toBe('deny');
      expect(r.output.hookSpecificOutput.permissionDecisionReason).toMatch(/fail closed/);
    }
  });

  it('--help prints the usage (exit 0); a bare `gait claude-code` prints it with exit 6', () => {
    const help = hook('', ['--help']);
    expect(help.exit).toBe(0);
    expect(help.stdout).toMatch(/gait claude-code hook --policy <policy.yaml>/);
    const bare = spawnSync(process.execPath, [BIN, 'claude-code'], { encoding: 'utf8' });
    expect(bare.status).toBe(6);
    expect(bare.stdout).toMatch(/^Usage:/);
    const top = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
    expect(top.stdout).toMatch(/gait claude-code hook --policy <p>/);
  });

  it('the example settings.json runs this command', () => {
    const settings = JSON.parse(readFileSync(new URL('../../examples/claude-code/.claude/settings.json', import.meta.url), 'utf8'));
    const command: string = settings.hooks.PreToolUse[0].hooks[0].command;
    expect(command).toMatch(/gait claude-code hook --policy /);
  });
});

describe('claudeCodeHook (the library function)', () => {
  const gate = createGate(readFileSync(POLICY, 'utf8'));

  it('maps the four verdicts: allow, deny, ask, deny', async () => {
    const decisions = [];
    for (const e of [READ, BASH, WRITE, TASK]) decisions.push((await claudeCodeHook(gate, e)).hookSpecificOutput.permissionDecision);
    expect(decisions).toEqual(['allow', 'deny', 'ask', 'deny']);
  });

  it('takes the event as an object, JSON text or bytes, with the same answer', async () => {
    const text = json(BASH);
    const a = await decideClaudeCodeHook(gate, BASH);
    const b = await decideClaudeCodeHook(gate, text);
    const c = await decideClaudeCodeHook(gate, new TextEncoder().encode(text));
    expect(a.output).toEqual(b.output);
    expect(b.output).toEqual(c.output);
    expect(a.evaluation?.output.tool_name).toBe('tool.exec');
    expect(a.evaluation?.output.adapter).toBe('claude_code');
  });

  it('never throws: a disposed gate, a bad option, or a bad event is a deny', async () => {
    const disposed = createGate(readFileSync(POLICY, 'utf8'));
    disposed.dispose();
    for (const [g, e, o] of [
      [disposed, READ, {}],
      [gate, READ, { profile: 'nope' }],
      [gate, 'not json', {}],
      [gate, null, {}],
    ] as const) {
      const d = await decideClaudeCodeHook(g, e as object, o);
      expect(d.output.hookSpecificOutput.permissionDecision).toBe('deny');
      expect(d.error).toBeTruthy();
    }
  });
});
