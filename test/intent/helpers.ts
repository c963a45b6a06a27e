import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { GaitError } from '../../bindings/errors.js';
import { decodeIntentJson, decodeIntentValue } from '../../bindings/intent/decode.js';
import { normalizeIntent } from '../../bindings/intent/normalize.js';
import type { NormalizedIntent } from '../../bindings/intent/model.js';

export const FIXTURES = new URL('../fixtures/gait/', import.meta.url);

export function fixtureText(rel: string): string {
  return readFileSync(new URL(rel, FIXTURES), 'utf8');
}

/** Decode (text or value) and normalize. */
export function norm(input: unknown): NormalizedIntent {
  return normalizeIntent(typeof input === 'string' ? decodeIntentJson(input) : decodeIntentValue(input));
}

/** Asserts `run` throws an invalid-input GaitError with exactly `message`. */
export function expectInvalid(run: () => unknown, message: string): void {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected GaitError "${message}"`).toBeInstanceOf(GaitError);
  expect((caught as GaitError).category).toBe('invalid_input');
  expect((caught as GaitError).message).toBe(message);
}

/** A valid minimal intent to vary in tests. */
export function baseIntent(): Record<string, unknown> {
  return {
    tool_name: 'tool.demo',
    args: { x: 'y' },
    targets: [],
    arg_provenance: [],
    context: { identity: 'alice', workspace: '/repo/gait', risk_class: 'low' },
  };
}
