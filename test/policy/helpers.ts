// Shared helpers for the policy tests: fixture paths and GaitError assertions.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { GaitError } from '../../bindings/errors.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/gait/', import.meta.url));

export function fixtureText(rel: string): string {
  return readFileSync(join(FIXTURES, rel), 'utf8');
}

/** Every policy YAML under the fixture tree, as paths relative to it (sorted). */
export function fixturePolicyFiles(): string[] {
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
