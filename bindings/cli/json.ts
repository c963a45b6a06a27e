/**
 * JSON as Gait's Go CLI prints it (cli.md §0.3): keys sorted byte-wise at every level for
 * stdout, except inside objects marked with structOrder(); struct order for pretty files. The
 * encoder itself (escaping, numbers) is the library's canonical/go-json.ts.
 */
import { goJson } from '../canonical/go-json.js';

export { structOrder, goString } from '../canonical/go-json.js';

/** One line, keys sorted: the CLI's stdout form. */
export function toCliJson(value: unknown): string {
  return goJson(value, { sortKeys: true });
}

/** Pretty, 2-space, struct (insertion) order, trailing newline: traces and audit files. */
export function toPrettyJson(value: unknown): string {
  return goJson(value, { sortKeys: false, indent: '  ' }) + '\n';
}
