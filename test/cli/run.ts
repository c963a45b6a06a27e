// Runs the CLI in-process (fast) or as a real process (bin/gait.js, the built package).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../bindings/cli/main.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/gait/', import.meta.url));
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface CliRun {
  exit: number;
  stdout: string;
  stderr: string;
  json: Record<string, any>;
}

export async function gait(args: string[], opts: { env?: Record<string, string | undefined>; cwd?: string } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const cwd = opts.cwd ?? process.cwd();
  const prev = process.cwd();
  if (cwd !== prev) process.chdir(cwd);
  try {
    const exit = await runCli(args, {
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      cwd,
      env: { ...process.env, ...opts.env },
    });
    return { exit, stdout, stderr, json: parseJson(stdout) };
  } finally {
    if (cwd !== prev) process.chdir(prev);
  }
}

/** The installed command, as a user runs it. */
export function gaitProcess(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliRun {
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('../../bin/gait.js', import.meta.url)), ...args], {
    cwd: opts.cwd ?? REPO,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
  });
  return { exit: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, json: parseJson(r.stdout) };
}

function parseJson(text: string): Record<string, any> {
  const line = text.trim();
  if (!line.startsWith('{')) return {};
  try {
    return JSON.parse(line);
  } catch {
    return {};
  }
}
