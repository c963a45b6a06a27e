/**
 * `policy fmt` (policy.md §10.2): the normalized model printed as canonical YAML. Every field is
 * emitted in model order (from schema.ts), zero values included; 2-space indentation; lists in
 * block style with the dash at the parent key's indentation, `[]` when empty; `null` for absent
 * pointers; floats always with a fraction; strings spelled as Gait's printer spells them
 * (yaml-scalar.ts). The output is byte-identical to Gait's (spec README decision 3) except where
 * Gait's own spelling would not read back; re-parsing gives the same model, so fmt is idempotent
 * and never changes the digest.
 */
import type { Policy } from './model.js';
import { POLICY_SCHEMA, type Struct } from './schema.js';
import { withPolicy } from '../arguments.js';
import { gaitYamlString } from './yaml-scalar.js';
import { goQuote } from './gostr.js';
import { YamlSource } from './yaml-source.js';
import { decodePolicy } from './decode.js';

/**
 * A string as Gait prints it, unless our strict reader would not read that spelling back as the
 * same string (`.inf` and `?` bare, a tab at an edge, a carriage return or a leading indented
 * line in a literal block): then Go-quoted, so that fmt stays idempotent and keeps the digest.
 */
export function yamlString(s: string, indent: number): string {
  const spelled = gaitYamlString(s, indent);
  if (/^[A-Za-z0-9_][A-Za-z0-9_./-]*$/.test(spelled) || spelled.startsWith('"') || readsBackAs(gaitYamlString(s, 0), s)) return spelled;
  return goQuote(s);
}

function readsBackAs(spelled: string, s: string): boolean {
  try {
    const src = YamlSource.parse(`schema_id: ${spelled}\n`);
    return !src.firstProblem() && decodePolicy(src).schema_id === s;
  } catch {
    return false;
  }
}

/** Floats always carry a fraction so they read back as floats: 0 -> 0.0, 1e-7 -> 1.0e-7. */
function yamlFloat(x: number): string {
  if (Number.isNaN(x)) return '.nan';
  if (!Number.isFinite(x)) return x > 0 ? '.inf' : '-.inf';
  const s = String(x);
  if (s.includes('.')) return s;
  const e = s.indexOf('e');
  return e < 0 ? s + '.0' : s.slice(0, e) + '.0' + s.slice(e);
}

/**
 * An int field: every digit written out (String() would round 2^63 to 9223372036854776000, which
 * Gait reads as an overflow). Ints are doubles here; 2^63 stands for Go's MaxInt64 and prints so.
 */
function yamlInt(n: number): string {
  if (!Number.isInteger(n)) return String(n);
  return n >= 2 ** 63 ? '9223372036854775807' : BigInt(n).toString();
}

function emit(obj: Record<string, unknown>, def: Struct, indent: number, lines: string[]): void {
  const pad = ' '.repeat(indent);
  for (const [key, field] of Object.entries(def.fields)) {
    const v = obj[key];
    if (typeof field === 'string') {
      switch (field) {
        case 'strings': {
          const items = v as string[];
          if (items.length === 0) lines.push(`${pad}${key}: []`);
          else {
            lines.push(`${pad}${key}:`);
            for (const item of items) lines.push(`${pad}- ${yamlString(item, indent)}`);
          }
          break;
        }
        case 'string':
          lines.push(`${pad}${key}: ${yamlString(v as string, indent)}`);
          break;
        case 'float':
          lines.push(`${pad}${key}: ${yamlFloat(v as number)}`);
          break;
        default: // int, int?, bool, bool?
          lines.push(`${pad}${key}: ${typeof v === 'number' ? yamlInt(v) : String(v)}`);
      }
    } else if ('list' in field) {
      const items = v as Array<Record<string, unknown>>;
      if (items.length === 0) {
        lines.push(`${pad}${key}: []`);
        continue;
      }
      lines.push(`${pad}${key}:`);
      for (const item of items) {
        const sub: string[] = [];
        emit(item, field.list, indent + 2, sub);
        sub[0] = `${pad}- ${sub[0]!.slice(indent + 2)}`;
        lines.push(...sub);
      }
    } else {
      lines.push(`${pad}${key}:`);
      emit(v as Record<string, unknown>, field, indent + 2, lines);
    }
  }
}

/** Canonical YAML text of a normalized policy, with a trailing newline. */
export function formatPolicy(p: Policy): string {
  return withPolicy('formatPolicy', p, () => {
    const lines: string[] = [];
    emit(p as unknown as Record<string, unknown>, POLICY_SCHEMA, 0, lines);
    return lines.join('\n') + '\n';
  });
}
