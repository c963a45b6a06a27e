/**
 * Credential brokers for rules with `require_broker_credential` (cli.md §2.2, §2.3 step 19).
 * A broker issues a credential reference for an allowed call; the secret itself is never printed,
 * traced or written: only a reference to it.
 *
 *   off      no broker: such calls block (`broker_credential_required`)
 *   stub     always issues `stub:<24 hex>` (ttl 300 s), a digest of the request (stubReference) - for
 *            tests and demos
 *   env      issues when `<prefix><KEY>` is set and not blank (KEY: see envVariableName; an empty
 *            reference issues nothing); reference `env:<VAR>` (never derived from the value)
 *   command  runs `--credential-command` (no shell) with `--credential-command-args`, the request
 *            as JSON on stdin; issues the `credential_ref` of the JSON response it prints (Gait's
 *            protocol, see parseCommandResponse); 5 s deadline, 16 KiB output (runCommand)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { sha256Hex } from '../canonical/sha256.js';
import { invalidInput } from '../errors.js';
import type { CredentialRequest, IssuedCredential } from '../enforce.js';

export type BrokerKind = 'off' | 'stub' | 'env' | 'command';

export interface BrokerConfig {
  kind: BrokerKind;
  envPrefix: string;
  command: string;
  commandArgs: string[];
  env: Readonly<Record<string, string | undefined>>;
}

/** What a broker is asked for, and what it issues: the pipeline's types (enforce.ts). */
export type BrokerRequest = CredentialRequest;
export type { IssuedCredential };

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
      return { ...base, credential_ref: stubReference(req), ttl_seconds: 300, issued_at: req.now };
    case 'env': {
      const name = envVariableName(config.envPrefix, req.reference);
      if (name === undefined) return undefined;
      const value = config.env[name];
      if (value === undefined || value.trim() === '') return undefined;
      return { ...base, credential_ref: `env:${name}`, ttl_seconds: 0 };
    }
    case 'command': {
      const output = await runCommand(config, req, commandRequestJson(req));
      const response = output === undefined ? undefined : parseCommandResponse(output);
      if (response === undefined) return undefined;
      return { ...base, broker: response.issuedBy, credential_ref: response.credentialRef, ttl_seconds: response.ttlSeconds };
    }
  }
}

/**
 * The stub's reference, as Gait derives it: `stub:` and the first 24 hex digits of the SHA-256 of
 * tool name, identity, workspace, session id, request id, reference and the scopes (joined by `,`),
 * joined by `|`. The same request always gets the same reference; nothing secret goes in.
 */
export function stubReference(req: BrokerRequest): string {
  const fields = [req.toolName, req.identity, req.workspace, req.sessionId, req.requestId, req.reference, req.scopes.join(',')];
  return `stub:${sha256Hex(fields.join('|')).slice(0, 24)}`;
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

/** The request the command reads on stdin: Gait's field names and order. */
function commandRequestJson(req: BrokerRequest): string {
  return JSON.stringify({
    ToolName: req.toolName,
    Identity: req.identity,
    Workspace: req.workspace,
    SessionID: req.sessionId,
    RequestID: req.requestId,
    Reference: req.reference,
    Scope: req.scopes,
  });
}

const CREDENTIAL_REF_MAX_BYTES = 256;

interface CommandResponse {
  credentialRef: string;
  issuedBy: string;
  ttlSeconds: number;
}

/**
 * The command's answer, as Gait reads it: its whole output (stdout and stderr) is one JSON object;
 * `credential_ref` (string, trimmed) must be non-empty, at most 256 bytes and free of CR, LF and
 * tab; `issued_by` (string) defaults to `command`; `ttl_seconds` (integer) is recorded when > 0.
 * Anything else gives no credential. The reference is the broker's handle for the credential:
 * we never derive one from the output, so nothing secret-derived is printed, traced or recorded.
 * Stricter than Gait (fail-closed): keys must be spelt exactly (Go matches them case-insensitively).
 */
export function parseCommandResponse(output: string): CommandResponse | undefined {
  let value: unknown;
  try {
    value = JSON.parse(output);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  const text = (key: string): string | undefined => {
    const v = o[key];
    if (v === undefined || v === null) return '';
    return typeof v === 'string' ? v.trim() : undefined;
  };
  const credentialRef = text('credential_ref');
  const issuedBy = text('issued_by');
  if (credentialRef === undefined || issuedBy === undefined || credentialRef === '') return undefined;
  if (Buffer.byteLength(credentialRef, 'utf8') > CREDENTIAL_REF_MAX_BYTES || /[\r\n\t]/.test(credentialRef)) return undefined;
  const ttl = o['ttl_seconds'];
  if (ttl !== undefined && ttl !== null && !Number.isSafeInteger(ttl)) return undefined;
  return { credentialRef, issuedBy: issuedBy || 'command', ttlSeconds: typeof ttl === 'number' && ttl > 0 ? ttl : 0 };
}

/**
 * Runs the broker command with `input` on stdin and returns its output, or undefined when it failed, ran past the deadline
 * or wrote more than the output limit. The command gets its own process group; on the deadline or
 * the output limit the whole group is killed and we stop waiting at once, so a descendant that
 * keeps the pipe open (`sleep 60 & echo token`) can neither stretch the deadline nor outlive the gate.
 */
function runCommand(config: BrokerConfig, req: BrokerRequest, input: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(config.command, config.commandArgs, {
        detached: true,
        stdio: ['pipe', 'pipe', 'pipe'],
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
    // The command leads its own group, so a signal that stops gate eval would not reach it: pass
    // the kill on, then let the signal end this process as it would have.
    const onSignal = (signal: NodeJS.Signals) => {
      killGroup(child);
      for (const s of STOP_SIGNALS) process.removeListener(s, onSignal);
      process.kill(process.pid, signal);
    };
    for (const s of STOP_SIGNALS) process.once(s, onSignal);
    const finish = (ok: boolean) => {
      if (settled) return;
      settled = true;
      for (const s of STOP_SIGNALS) process.removeListener(s, onSignal);
      clearTimeout(timer);
      if (!ok) killGroup(child);
      child.stdin?.destroy();
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve(ok ? Buffer.concat(chunks).toString('utf8') : undefined);
    };
    const timer = setTimeout(() => finish(false), COMMAND_TIMEOUT_MS);
    // stdout and stderr form one output, in arrival order, bounded together (as Gait's shared buffer).
    const onData = (d: Buffer) => {
      size += d.length;
      if (size > COMMAND_OUTPUT_LIMIT) finish(false);
      else chunks.push(d);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.stdout!.on('error', () => finish(false));
    child.stderr!.on('error', () => finish(false));
    // A command that does not read its input closes stdin early (EPIPE): that alone is no failure.
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(input);
    child.on('error', () => finish(false));
    // 'close': the command exited and every holder of its stdout/stderr closed them.
    child.on('close', (code, signal) => finish(code === 0 && signal === null));
  });
}

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

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
