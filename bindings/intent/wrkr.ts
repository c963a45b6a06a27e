/**
 * Wrkr inventory files (intent.md §5): a bare array of items or `{"items":[…]}`; item values
 * trimmed and lower-cased; items without a tool name skipped; a later duplicate tool replaces an
 * earlier one; class values not validated. Errors are `parse wrkr inventory: …` (invalid input).
 */
import { invalidInput } from '../errors.js';
import { trimLower } from '../canonical/text.js';
import { JsonDepthError, JsonSyntaxError, parseJsonTree, type JNode } from './json-tree.js';
import { foldName, GoDecodeError, goDecode, STRING, type GoStruct } from './go-decode.js';

export interface WrkrEntry {
  tool_name: string;
  data_class: string;
  endpoint_class: string;
  autonomy_level: string;
}

/** Keyed by lower-cased, trimmed tool name. */
export type WrkrInventoryMap = Map<string, WrkrEntry>;

const MAX_DEPTH = 64;

const ITEM: GoStruct = {
  name: 'item', pkg: 'gate',
  fields: { tool_name: STRING, data_class: STRING, endpoint_class: STRING, autonomy_level: STRING },
  zero: (): WrkrEntry => ({ tool_name: '', data_class: '', endpoint_class: '', autonomy_level: '' }),
};

/** Case-insensitive `items` member (last one wins), as a Go struct field would match it. */
function itemsMember(node: Extract<JNode, { k: 'obj' }>): JNode | undefined {
  let found: JNode | undefined;
  for (const [key, value] of node.entries) if (foldName(key) === 'ITEMS') found = value;
  return found;
}

function fail(message: string): never {
  throw invalidInput(`parse wrkr inventory: ${message}`);
}

export function parseWrkrInventory(text: string): WrkrInventoryMap {
  let tree: JNode;
  try {
    tree = parseJsonTree(text, MAX_DEPTH, `exceeds maximum nesting depth of ${MAX_DEPTH}`);
  } catch (err) {
    if (err instanceof JsonSyntaxError || err instanceof JsonDepthError) fail(err.message);
    throw err;
  }
  let list: JNode = tree;
  if (tree.k === 'obj') {
    const items = itemsMember(tree);
    // Without `items` the object is read as the bare-array form, and fails as such below.
    if (items !== undefined) {
      if (items.k !== 'arr') fail('items must be an array');
      list = items;
    }
  }
  let entries: WrkrEntry[];
  try {
    entries = goDecode(list, { t: 'slice', spec: ITEM }, []) as WrkrEntry[];
  } catch (err) {
    if (err instanceof GoDecodeError) fail(err.message);
    throw err;
  }
  const tools: WrkrInventoryMap = new Map();
  for (const e of entries) {
    const toolName = trimLower(e.tool_name);
    if (toolName === '') continue;
    tools.set(toolName, {
      tool_name: toolName,
      data_class: trimLower(e.data_class),
      endpoint_class: trimLower(e.endpoint_class),
      autonomy_level: trimLower(e.autonomy_level),
    });
  }
  return tools;
}

/** The four auth_context keys an inventory hit writes (overwriting any the intent carried). */
export function wrkrAuthContext(entry: WrkrEntry): Record<string, string> {
  return {
    'wrkr.tool_name': entry.tool_name,
    'wrkr.data_class': entry.data_class,
    'wrkr.endpoint_class': entry.endpoint_class,
    'wrkr.autonomy_level': entry.autonomy_level,
  };
}
