/**
 * The `mcp` fixture cases (test/fixtures/gait/mcp/EXPECTED.jsonl, recorded from Gait v1.3.6) and
 * a runner: each case runs the CLI in-process with its working directory in a fresh copy of the
 * fixture folder (plus the `../integrations` and `../scenarios/keys` files some cases use), and
 * comes back normalized as the fixture README says (ignored keys removed, export files parsed).
 * Generic over subcommands: proxy, bridge, verify and serve start-up cases all run through it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';
import { runCli } from '../../bindings/cli/main.js';
import { FIXTURES } from '../cli/run.js';

export const MCP_FIXTURES = path.join(FIXTURES, 'mcp');

export interface McpCase {
  id: string;
  cmd: string[];
  exit: number;
  stdin_file?: string;
  stdout_json?: Record<string, unknown>;
  stdout_text?: string;
  ignored?: string[];
  files?: Record<string, unknown[]>;
  files_ignored?: string[];
  note?: string;
}

export function loadMcpCases(file = 'EXPECTED.jsonl'): McpCase[] {
  return readFileSync(path.join(MCP_FIXTURES, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as McpCase);
}

export interface McpCaseRun {
  exit: number;
  stdout: string;
  stderr: string;
  /** stdout parsed, with the case's `ignored` keys removed (undefined when stdout is not JSON). */
  json: Record<string, unknown> | undefined;
  /** The case's export files: one parsed value per line, `files_ignored` removed. */
  files: Record<string, unknown[]>;
  /** The temporary fixture folder the case ran in (removed by `cleanup`). */
  dir: string;
  cleanup(): void;
}

/** Removes a dotted path; a key may itself contain dots (`attributes.gait.decision_latency_ms`). */
export function removePath(value: unknown, dotted: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const obj = value as Record<string, unknown>;
  if (Object.hasOwn(obj, dotted)) {
    delete obj[dotted];
    return;
  }
  for (let i = dotted.indexOf('.'); i > 0; i = dotted.indexOf('.', i + 1)) {
    const head = dotted.slice(0, i);
    if (Object.hasOwn(obj, head)) removePath(obj[head], dotted.slice(i + 1));
  }
}

/** A fresh copy of the fixture folder as `<tmp>/mcp`, with `<tmp>/integrations` and `<tmp>/scenarios/keys`. */
export function copyMcpFixtures(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'gait-mcp-case-'));
  const dir = path.join(root, 'mcp');
  cpSync(MCP_FIXTURES, dir, { recursive: true });
  cpSync(path.join(FIXTURES, 'integrations'), path.join(root, 'integrations'), { recursive: true });
  cpSync(path.join(FIXTURES, 'scenarios', 'keys'), path.join(root, 'scenarios', 'keys'), { recursive: true });
  return dir;
}

/** Runs `gait <args>` in-process with `cwd` as the working directory. */
export async function runGaitIn(
  cwd: string, args: string[], opts: { stdin?: Uint8Array; env?: Record<string, string | undefined> } = {},
): Promise<{ exit: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const prev = process.cwd();
  process.chdir(cwd);
  try {
    const stdin = opts.stdin;
    const exit = await runCli(args, {
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      cwd,
      env: { ...process.env, ...opts.env },
      readStdin: async () => stdin ?? new Uint8Array(),
    });
    return { exit, stdout, stderr };
  } finally {
    process.chdir(prev);
  }
}

export async function runMcpCase(c: McpCase, opts: { env?: Record<string, string | undefined> } = {}): Promise<McpCaseRun> {
  const dir = copyMcpFixtures();
  const cleanup = (): void => rmSync(path.dirname(dir), { recursive: true, force: true });
  try {
    const stdin = c.stdin_file ? new Uint8Array(readFileSync(path.join(dir, c.stdin_file))) : undefined;
    const r = await runGaitIn(dir, c.cmd, { stdin, env: opts.env });
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(r.stdout) as Record<string, unknown>;
      for (const k of c.ignored ?? []) removePath(json, k);
    } catch {
      json = undefined;
    }
    const files: Record<string, unknown[]> = {};
    for (const name of Object.keys(c.files ?? {})) {
      const file = path.join(dir, name);
      if (!existsSync(file)) continue;
      files[name] = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => {
        const v = JSON.parse(l) as unknown;
        for (const k of c.files_ignored ?? []) removePath(v, k);
        return v;
      });
    }
    return { ...r, json, files, dir, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}

/**
 * A case's run against its recording: exit code, then the raw text (text outputs) or one sorted
 * JSON line with a correlation id whose value (ignored keys removed) equals the recorded one.
 */
export function expectRecordedOutput(r: McpCaseRun, c: McpCase): void {
  expect(r.exit).toBe(c.exit);
  if (c.stdout_text !== undefined) {
    expect(r.stdout).toBe(c.stdout_text);
    return;
  }
  expect(r.stdout.endsWith('}\n')).toBe(true);
  expect(r.stdout.trim().split('\n')).toHaveLength(1);
  expect(JSON.parse(r.stdout)).toHaveProperty('correlation_id');
  expect(r.json).toEqual(c.stdout_json);
}
