/**
 * `gait ui`: serves the policy workbench (dist/ui/) on loopback, as Gait's `gait ui` serves its
 * UI: `--listen` (default 127.0.0.1:7980), a non-loopback address only with
 * `--allow-non-loopback`, `--open-browser` (default true). `--policy` and `--intent` preload
 * local files into the page; they are read (never written) each time the page is loaded.
 */
import { spawn } from 'node:child_process';
import type { CommandContext } from './output.js';
import { stopOnSignal } from './stop-on-signal.js';
import { printJson, printError } from './output.js';
import { parseFlags, flagString } from './flags.js';
import { packagePath } from './files.js';
import { GaitError, invalidInput } from '../errors.js';
import { goTrim } from '../canonical/text.js';
import { readPolicyFile } from '../policy/load-node.js';
import { readRegularFile, readFailureText, utf8Text } from '../read-file-node.js';
import { MAX_INTENT_BYTES } from '../intent/decode.js';
import { isLoopbackHost, listenPort, ListenAddressError, splitHostPort } from '../mcp/listen-address.js';
import { serveFetchHandler, type NodeFetchServer } from '../mcp/serve-node.js';
import { createUiHandler, type UiPreload } from '../ui-lib/site.js';
import { packageUiFileReader } from '../ui-lib/site-node.js';

export const UI_USAGE = `Usage:
  gait ui [--listen 127.0.0.1:7980] [--open-browser=true|false] [--allow-non-loopback] [--policy <policy.yaml>] [--intent <intent.json>] [--json] [--explain]

Serves the policy workbench (a page that runs the gate in the browser) on loopback. --policy and
--intent preload local files into the page (read-only).
`;

const EXPLAIN = 'Serve a localhost policy workbench: edit a policy and intents, see decisions, mint approvals and simulate changes, all in the browser.\n';

export interface UiHooks {
  signal?: AbortSignal;
  onListening?: (server: NodeFetchServer) => void;
}

async function readIntentText(path: string): Promise<string> {
  try {
    return utf8Text(await readRegularFile(path, MAX_INTENT_BYTES));
  } catch (err) {
    throw invalidInput(`read intent: ${readFailureText(err, path)}`);
  }
}

export async function runUi(ctx: CommandContext, args: readonly string[], hooks: UiHooks = {}): Promise<number> {
  let server: NodeFetchServer;
  let url: string;
  let listen: string;
  let openBrowser: boolean;
  try {
    // --open-browser defaults to true (as Gait's): a later --open-browser=false clears it.
    const flags = parseFlags(['--open-browser', ...args], { bools: ['json', 'explain', 'open-browser', 'allow-non-loopback'], strings: ['listen', 'policy', 'intent'] }, true);
    if (flags.help) {
      ctx.io.stdout(UI_USAGE);
      return 0;
    }
    if (flags.bools.has('explain')) {
      ctx.io.stdout(EXPLAIN);
      return 0;
    }
    if (flags.positionals.length > 0) throw invalidInput('unexpected positional arguments');
    const requested = goTrim(flags.strings.has('listen') ? flagString(flags, 'listen') : '127.0.0.1:7980');
    let host: string;
    let port: number;
    try {
      const parts = splitHostPort(requested);
      host = parts.host;
      port = listenPort(parts.port);
    } catch (err) {
      if (err instanceof ListenAddressError) throw invalidInput(`invalid --listen address: ${err.message}`);
      throw invalidInput(`listen tcp: ${(err as Error).message}`);
    }
    if (!isLoopbackHost(host) && !flags.bools.has('allow-non-loopback')) throw invalidInput('non-loopback --listen requires --allow-non-loopback');
    openBrowser = flags.bools.has('open-browser');

    const policyPath = flags.strings.has('policy') ? flagString(flags, 'policy') : '';
    const intentPath = flags.strings.has('intent') ? flagString(flags, 'intent') : '';
    const preload = async (): Promise<UiPreload | undefined> => {
      if (policyPath === '' && intentPath === '') return undefined;
      const out: UiPreload = {};
      if (policyPath !== '') out.policy = utf8Text(await readPolicyFile(policyPath));
      if (intentPath !== '') out.intent = await readIntentText(intentPath);
      return out;
    };
    await preload(); // unreadable files fail now, before anything listens

    const root = packagePath('dist/ui/index.html') ? packagePath('') : undefined;
    if (!root) throw new GaitError('the workbench (dist/ui/) is missing from the installation: run npm run build', 'internal_failure');
    const handler = createUiHandler({
      readFile: packageUiFileReader(root),
      preload: () => preload().catch((err) => {
        ctx.io.stderr(`ui: preload skipped: ${(err as Error).message}\n`);
        return undefined;
      }),
    });
    try {
      server = await serveFetchHandler(handler, { host: host === '' ? undefined : host === 'localhost' ? '127.0.0.1' : host, port });
    } catch (err) {
      throw invalidInput(`listen tcp ${requested}: ${(err as Error).message}`);
    }
    const a = server.address;
    listen = a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
    url = `http://${listen}`;
  } catch (err) {
    return printError(ctx, 'ui', err);
  }
  if (ctx.json) printJson(ctx, { ok: true, listen, url }, 0);
  else ctx.io.stdout(`ui listening=${listen}\nui url=${url}\n`);
  if (openBrowser) openUrl(url);
  hooks.onListening?.(server);
  return stopOnSignal(() => server.close(1000), hooks.signal);
}

/** Opens `url` in the desktop's browser; failures are ignored (a headless machine has none). */
function openUrl(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // no browser opener: the URL is printed
  }
}

