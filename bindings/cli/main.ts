/** The `gait` command line: dispatch, help and version. */
import type { CliIO, CommandContext } from './output.js';
import { printJson, printError } from './output.js';
import { invalidInput } from '../errors.js';
import { GAIT_VERSION, VERSION } from '../version.js';

// Each command's modules load only when that command runs: start-up time is most of a CLI call.

export const USAGE = `gait-wasm ${VERSION}: a Gait-compatible policy gate for AI-agent tool calls

Usage:
  gait demo --policy [--json]                      run the bundled example policies and intents
  gait policy validate|fmt|test|simulate|init ...   policy CI (gait policy --help)
  gait gate eval --policy <p> --intent <i> [--simulate] [--json]
  gait trace verify <trace.json> --public-key <key>
  gait keys init [--out-dir gait-out/keys] [--prefix gait] [--force] [--json]
  gait approve --intent-digest <d> --policy-digest <d> --ttl <dur> --scope <csv> --approver <id> --reason-code <c> [--json]
  gait delegate mint|verify ...                     signed delegation tokens (gait delegate --help)
  gait approve-script --policy <p> --intent <i> --registry <r> --approver <id> [--json]
  gait list-scripts --registry <r> [--json]
  gait mcp proxy|bridge|verify|serve ...            the tool-call boundary (gait mcp --help)
  gait mcp gate --policy <p> -- <server command...> put an MCP server behind the policy (stdio)
  gait claude-code hook --policy <p>                Claude Code PreToolUse hook (event on stdin)
<<<<<<< HEAD
  gait version [--json]                             also --version, -v
=======
  gait ui [--listen 127.0.0.1:7980] [--policy <p>]  the policy workbench in the browser (loopback)
  gait version [--json]
>>>>>>> playground

Every command takes --help. Exit codes: 0 allow/dry_run/ok, 1 internal error,
2 verification failed, 3 block, 4 require_approval, 6 invalid input.
`;

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const ctx: CommandContext = { io, argv, json: argv.includes('--json') || argv.includes('-json') };
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      io.stdout(`gait ${VERSION}\n`);
      return 0;
    case '--help':
    case '-help':
    case '-h':
    case 'help':
      io.stdout(USAGE);
      return 0;
    // As Gait: further arguments are ignored, --explain describes the command.
    case 'version':
    case '--version':
    case '-v':
      if (ctx.json) return printJson(ctx, { ok: true, version: VERSION, compatible_gait_version: GAIT_VERSION }, 0);
      io.stdout(rest.includes('--explain') ? 'Print the CLI version.\n' : `gait ${VERSION} (gait-wasm, compatible with Gait ${GAIT_VERSION})\n`);
      return 0;
    case 'policy':
      return (await import('./policy-commands.js')).runPolicy(ctx, rest);
    case 'gate': {
      const [sub, ...gateArgs] = rest;
      const { runGateEval, GATE_EVAL_USAGE } = await import('./gate-eval.js');
      if (sub === 'eval') return runGateEval(ctx, gateArgs);
      if (sub === '--help' || sub === '-h' || sub === 'help') {
        io.stdout(GATE_EVAL_USAGE);
        return 0;
      }
      io.stdout(GATE_EVAL_USAGE + 'Rollout path:\n  observe: gait gate eval ... --simulate --json\n  enforce: gait gate eval ... --json\n');
      return 6;
    }
    case 'trace':
      return (await import('./trace-command.js')).runTrace(ctx, rest);
    case 'keys':
      return (await import('./keys-command.js')).runKeys(ctx, rest);
    case 'demo':
      return (await import('./demo.js')).runDemo(ctx, rest);
    case 'approve':
      return (await import('./approve-command.js')).runApprove(ctx, rest);
    case 'delegate':
      return (await import('./delegate-command.js')).runDelegate(ctx, rest);
    case 'approve-script':
      return (await import('./script-registry-commands.js')).runApproveScript(ctx, rest);
    case 'list-scripts':
      return (await import('./script-registry-commands.js')).runListScripts(ctx, rest);
    case 'mcp':
      return (await import('./mcp-command.js')).runMcp(ctx, rest);
    case 'claude-code':
      return (await import('./claude-code-command.js')).runClaudeCode(ctx, rest);
    case 'ui':
      return (await import('./ui-command.js')).runUi(ctx, rest);
    default: {
      const code = printError(ctx, '', invalidInput(`unknown command: ${command}`));
      if (!ctx.json) io.stdout(USAGE);
      return code;
    }
  }
}

