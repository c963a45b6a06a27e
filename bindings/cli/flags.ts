/**
 * Command-line flags with Go `flag` package semantics (cli.md §0.1): `-x` and `--x` are the same,
 * `--x=v` or `--x v` for strings, `--x` or `--x=true|false` for booleans, exact error texts.
 * `-h`/`--help` always mean help (spec README decision 4).
 */
import { invalidInput } from '../errors.js';

export interface FlagSpec {
  readonly strings?: readonly string[];
  readonly bools?: readonly string[];
}

export interface ParsedFlags {
  strings: Map<string, string>;
  bools: Set<string>;
  positionals: string[];
  help: boolean;
}

function flagName(token: string): { name: string; value: string | undefined } | undefined {
  if (token.length < 2 || token[0] !== '-') return undefined;
  const body = token.startsWith('--') ? token.slice(2) : token.slice(1);
  if (body === '' || body.startsWith('-') || body.startsWith('=')) return undefined;
  const eq = body.indexOf('=');
  return eq < 0 ? { name: body, value: undefined } : { name: body.slice(0, eq), value: body.slice(eq + 1) };
}

/**
 * Parses flags. With `interleaved`, flags may follow positionals (Gait reorders the arguments of
 * `policy` and `demo` commands); otherwise parsing stops at the first positional, like `gate eval`.
 */
export function parseFlags(argv: readonly string[], spec: FlagSpec, interleaved: boolean): ParsedFlags {
  const out: ParsedFlags = { strings: new Map(), bools: new Set(), positionals: [], help: false };
  parseInto(out, argv, spec, interleaved);
  return out;
}

/**
 * parseFlags that also reports what was parsed before a failing token: Gait prints a flag error
 * as JSON only when `--json` came before it.
 */
export function parseFlagsUntilError(argv: readonly string[], spec: FlagSpec, interleaved: boolean): { flags: ParsedFlags; error?: unknown } {
  const out: ParsedFlags = { strings: new Map(), bools: new Set(), positionals: [], help: false };
  try {
    parseInto(out, argv, spec, interleaved);
    return { flags: out };
  } catch (error) {
    return { flags: out, error };
  }
}

function parseInto(out: ParsedFlags, argv: readonly string[], spec: FlagSpec, interleaved: boolean): void {
  const strings = new Set(spec.strings ?? []);
  const bools = new Set([...(spec.bools ?? []), 'help']);
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    const flag = flagName(token);
    if (!flag) {
      if (!interleaved) {
        out.positionals.push(...argv.slice(i));
        break;
      }
      out.positionals.push(token);
      continue;
    }
    const { name, value } = flag;
    if (name === 'h' || name === 'help') {
      out.help = true;
      continue;
    }
    if (bools.has(name)) {
      if (value === undefined || value === 'true' || value === '1' || value === 't' || value === 'T' || value === 'TRUE' || value === 'True') {
        out.bools.add(name);
      } else if (value === 'false' || value === '0' || value === 'f' || value === 'F' || value === 'FALSE' || value === 'False') {
        out.bools.delete(name);
      } else {
        out.bools.delete(name); // Go's bool flag stores false before reporting the bad value
        throw invalidInput(`invalid boolean value "${value}" for -${name}: parse error`);
      }
      continue;
    }
    if (strings.has(name)) {
      if (value !== undefined) {
        out.strings.set(name, value);
      } else if (i + 1 < argv.length) {
        out.strings.set(name, argv[++i]!);
      } else {
        throw invalidInput(`flag needs an argument: -${name}`);
      }
      continue;
    }
    throw invalidInput(`flag provided but not defined: -${name}`);
  }
}

export function flagString(flags: ParsedFlags, name: string): string {
  return flags.strings.get(name) ?? '';
}
