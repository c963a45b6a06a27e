/**
 * Credential brokers for rules with `require_broker_credential` (cli.md §2.2, §2.3 step 19).
 * A broker issues a credential reference for an allowed call; the secret itself is never printed,
 * traced or written: only a reference to it.
 *
 *   off      no broker: such calls block (`broker_credential_required`)
 *   stub     always issues `stub:<24 hex>` (source stub, access jit, ttl 300 s) - for tests and demos
 *   env      issues when `<prefix><KEY>` is set and not blank (KEY: see envVariableName; an empty
 *            reference issues nothing); reference `env:<VAR>` (never derived from the value)
 *   command  runs `--credential-command` (no shell) with `--credential-command-args`; exit 0 with
 *            non-empty stdout issues `cmd:<24 hex of sha256(stdout)>`; 5 s timeout, 16 KiB output
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { sha256Hex } from '../canonical/sha256.js';
import { invalidInput } from '../errors.js';

export type BrokerKind = 'off' | 'stub' | 'env' | 'command';

export interface BrokerConfig {
  kind: BrokerKind;
  envPrefix: string;
  command: string;
  commandArgs: string[];
  env: Readonly<Record<string, string | undefined>>;
}

export interface BrokerRequest {
  reference: string;
  scopes: string[];
  toolName: string;
  identity: string;
  traceSeed: string;
}

export interface IssuedCredential {
  broker: BrokerKind;
  reference: string;
  credential_ref: string;
  credential_source: string;
  credential_access_type: string;
  scope: string[];
  ttl_seconds: number;
}

export const DEFAULT_ENV_PREFIX = 'GAIT_BROKER_TOKEN_';
const COMMAND_TIMEOUT_MS = 5000;
const COMMAND_OUTPUT_LIMIT = 16 * 1024;

export function parseBrokerKind(text: string): BrokerKind {
  const v = text.trim().toLowerCase();
  if (v === '' || v === 'off' || v === 'none') return 'off';
  if (v === 'stub' || v === 'env' || v === 'command') return v;
  throw invalidInput(`unsupported credential broker: ${text}`);
}

export function validateBroker(config: BrokerConfig): void {
  if (config.kind !== 'command') return;
  if (config.command.trim() === '') throw invalidInput('command broker requires --credential-command');
  if (/\s/.test(config.command)) throw invalidInput('command broker command must not contain whitespace');
  const allow = config.env['GAIT_CREDENTIAL_COMMAND_ALLOWLIST'];
  if (allow !== undefined && allow.trim() !== '') {
    const allowed = allow.split(',').map((s) => s.trim()).filter(Boolean);
    if (!allowed.includes(config.command)) {
      throw invalidInput('command broker command is not in allowlist GAIT_CREDENTIAL_COMMAND_ALLOWLIST');
    }
  }
}

/** Issues a credential, or returns undefined when the broker could not (never throws secrets). */
export async function issueCredential(config: BrokerConfig, req: BrokerRequest): Promise<IssuedCredential | undefined> {
  const base = { broker: config.kind, reference: req.reference, scope: req.scopes };
  switch (config.kind) {
    case 'off':
      return undefined;
    case 'stub':
      return { ...base, credential_ref: `stub:${sha256Hex(`stub:${req.traceSeed}:${req.reference}`).slice(0, 24)}`, credential_source: 'stub', credential_access_type: 'jit', ttl_seconds: 300 };
    case 'env': {
      const name = envVariableName(config.envPrefix, req.reference);
      if (name === undefined) return undefined;
      const value = config.env[name];
      if (value === undefined || value.trim() === '') return undefined;
      return { ...base, credential_ref: `env:${name}`, credential_source: 'env', credential_access_type: 'inherited', ttl_seconds: 0 };
    }
    case 'command': {
      const output = await runCommand(config, req);
      if (output === undefined) return undefined;
      return { ...base, credential_ref: `cmd:${sha256Hex(output).slice(0, 24)}`, credential_source: 'command', credential_access_type: 'jit', ttl_seconds: 0 };
    }
  }
}

/**
 * The variable the env broker reads, or undefined when the reference names none. The key is the
 * reference upper-cased, each run of characters other than A-Z, 0-9 and `_` as one `_`, edge `_`
 * trimmed (as Gait). An empty or blank prefix means the default prefix (as Gait), so a reference
 * can never name an arbitrary variable such as PATH.
 *
 * Fail-closed divergences from Gait: an empty reference gives no credential (Gait falls back to the
 * intent's tool name, so a rule that does not pin tool names would let the caller pick which
 * variable is consulted), and a reference that normalises to nothing gives none (Gait reads
 * `<prefix>DEFAULT`, one variable shared by every such rule). Before this, an empty reference read
 * the variable named exactly the prefix (S12).
 */
export function envVariableName(prefix: string, reference: string): string | undefined {
  const key = reference.trim().toUpperCase().replace(/[^A-Z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (key === '') return undefined;
  return (prefix.trim() || DEFAULT_ENV_PREFIX) + key;
}

/**
 * Runs the broker command and returns its stdout, or undefined when it failed, ran past the deadline
 * or wrote more than the output limit. The command gets its own process group; on the deadline or
 * the output limit the whole group is killed and we stop waiting at once, so a descendant that
 * keeps the pipe open (`sleep 60 & echo token`) can neither stretch the deadline nor outlive the gate.
 */
function runCommand(config: BrokerConfig, req: BrokerRequest): Promise<string | undefined> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(config.command, config.commandArgs, {
        detached: true,
        stdio: ['ignore', 'pipe', 'ignore'],
        env: {
          ...config.env,
          GAIT_CREDENTIAL_REFERENCE: req.reference,
          GAIT_CREDENTIAL_SCOPES: req.scopes.join(','),
          GAIT_TOOL_NAME: req.toolName,
          GAIT_IDENTITY: req.identity,
        },
      });
    } catch {
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!ok) killGroup(child);
      child.stdout?.destroy();
      resolve(ok ? Buffer.concat(chunks).toString('utf8').trim() || undefined : undefined);
    };
    const timer = setTimeout(() => finish(false), COMMAND_TIMEOUT_MS);
    child.stdout!.on('data', (d: Buffer) => {
      size += d.length;
      if (size > COMMAND_OUTPUT_LIMIT) finish(false);
      else chunks.push(d);
    });
    child.stdout!.on('error', () => finish(false));
    child.on('error', () => finish(false));
    // 'close': the command exited and every holder of its stdout closed it.
    child.on('close', (code, signal) => finish(code === 0 && signal === null));
  });
}

/** SIGKILL to the command's process group (it leads one: spawned detached); the child alone as a fallback. */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}
