/**
 * Reading the project config file (signed_artifacts.md §1.7) as Gait v1.3.6 does: the path is
 * trimmed; an empty path is an error; a missing file is an empty config only when the caller
 * allows it (`gate eval`: only at the default path). Every failure is invalid input (exit 6).
 *
 * Unlike Gait, only a regular file of at most MAX_PROJECT_CONFIG_BYTES is read: a FIFO, a
 * device (even `/dev/null`, which Gait reads as empty) or a directory is refused.
 */
import { invalidInput } from './errors.js';
import { goTrim } from './canonical/text.js';
import { cleanPath } from './intent/wrkr-node.js';
import { readRegularFile, readFailureText, utf8Text } from './read-file-node.js';
import {
  DEFAULT_PROJECT_CONFIG_PATH, MAX_PROJECT_CONFIG_BYTES, emptyProjectConfig, parseProjectConfig, type ProjectConfig,
} from './project-config.js';

/** Whether `path` names the default config file (Go's filepath.Clean of the trimmed path). */
export function isDefaultProjectConfigPath(path: string): boolean {
  return cleanPath(goTrim(path)) === DEFAULT_PROJECT_CONFIG_PATH;
}

/** Loads and parses the config at `path`. Throws GaitError (invalid_input) with Gait's texts. */
export async function loadProjectConfig(path: string, allowMissing: boolean): Promise<ProjectConfig> {
  const trimmed = goTrim(path);
  if (trimmed === '') throw invalidInput('project config path is required');
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(trimmed, MAX_PROJECT_CONFIG_BYTES);
  } catch (err) {
    if (allowMissing && (err as { code?: unknown } | undefined)?.code === 'ENOENT') return emptyProjectConfig();
    throw invalidInput(`read project config: ${readFailureText(err, trimmed)}`);
  }
  const parsed = parseProjectConfig(utf8Text(bytes));
  if (!parsed.ok) throw invalidInput(parsed.error);
  return parsed.config;
}
