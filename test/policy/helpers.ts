// Shared helpers for the policy tests: fixture paths and GaitError assertions.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative } from 'node:path';
import { expect } from 'vitest';
import { GaitError } from '../../bindings/errors.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/gait/', import.meta.url));

export function fixtureText(rel: string): string {
  return readFileSync(join(FIXTURES, rel), 'utf8');
}

/**
 * Gait's exit code for a divergence case (`divergences/<case>/reference.json`) next to a fixture
 * file, or undefined for the other fixtures.
 */
export function referenceExit(rel: string): number | undefined {
  const ref = join(FIXTURES, dirname(rel), 'reference.json');
  if (!rel.startsWith('divergences/') || !existsSync(ref)) return undefined;
  return (JSON.parse(readFileSync(ref, 'utf8')) as { exit: number }).exit;
}

/** Every policy YAML under the fixture tree, as paths relative to it (sorted). */
function allPolicyFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) out.push(relative(FIXTURES, p));
    }
  };
  walk(FIXTURES);
  return out.sort();
}

/**
 * Every valid policy YAML under the fixture tree (sorted, relative paths): the divergence cases
 * whose policy Gait rejects (reference exit 6) are left out; see invalidFixturePolicyFiles.
 */
export function fixturePolicyFiles(): string[] {
  return allPolicyFiles().filter((f) => referenceExit(f) !== 6);
}

/** The divergence cases' policies that Gait rejects as invalid input (reference exit 6). */
export function invalidFixturePolicyFiles(): string[] {
  return allPolicyFiles().filter((f) => referenceExit(f) === 6);
}

/** Run fn, require a GaitError of category invalid_input, return it. */
export function invalid(fn: () => unknown): GaitError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a GaitError to be thrown').toBeInstanceOf(GaitError);
  const err = caught as GaitError;
  expect(err.category).toBe('invalid_input');
  return err;
}

/** Assert fn throws invalid_input with exactly this message (or matching this pattern). */
export function expectInvalid(fn: () => unknown, message: string | RegExp): GaitError {
  const err = invalid(fn);
  if (typeof message === 'string') expect(err.message).toBe(message);
  else expect(err.message).toMatch(message);
  return err;
}
