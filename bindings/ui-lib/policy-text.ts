/**
 * Where things are in a policy's text, for editors: the line and column of a parse error, and the
 * lines of a rule (to highlight the rule that fired). Portable (no node: imports).
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';

export interface TextPosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
}

export interface LineRange {
  /** First line, 1-based. */
  start: number;
  /** Last line, 1-based, inclusive. */
  end: number;
}

// policy.md §1.2: YAML and decode errors read `parse policy yaml: [<line>:<col>] <message>`.
const YAML_POSITION = /^parse policy yaml: \[(\d+):(\d+)\] /;
// Validation errors name the rule last: `invalid rule effect "x" for <name>`.
const FOR_RULE = / for (.+)$/;

/**
 * The position of a policy error (from parsePolicyYaml) in `text`: the one the message gives, or
 * the start of the rule a validation message names. Undefined when the error has no place.
 */
export function policyErrorPosition(err: unknown, text: string): TextPosition | undefined {
  const message = err instanceof Error ? err.message : String(err);
  const at = YAML_POSITION.exec(message);
  if (at) return { line: Number(at[1]), col: Number(at[2]) };
  const rule = FOR_RULE.exec(message);
  const range = rule ? ruleLineRange(text, rule[1]!) : undefined;
  return range ? { line: range.start, col: 1 } : undefined;
}

/** The lines of the rule named `name` (trimmed, as policies compare names), or undefined. */
export function ruleLineRange(text: string, name: string): LineRange | undefined {
  const wanted = name.trim();
  if (wanted === '') return undefined;
  const lines = new LineCounter();
  let doc;
  try {
    doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  } catch {
    return undefined;
  }
  if (!isMap(doc.contents)) return undefined;
  const rules = doc.contents.get('rules', true);
  if (!isSeq(rules)) return undefined;
  for (const item of rules.items as Node[]) {
    if (!isMap(item)) continue;
    const ruleName = item.get('name', true);
    if (!isScalar(ruleName) || String(ruleName.value).trim() !== wanted || !item.range) continue;
    const [from, , to] = item.range;
    const end = Math.max(from, to - 1);
    return { start: lines.linePos(from).line, end: lines.linePos(end).line };
  }
  return undefined;
}
