import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { GaitError } from '../../bindings/errors.js';
import { parsePrivateKey, parsePublicKey } from '../../bindings/crypto/keys.js';
import { decodeIntentValue } from '../../bindings/intent/decode.js';
import { normalizeIntent } from '../../bindings/intent/normalize.js';
import type { NormalizedIntent } from '../../bindings/intent/model.js';

export const FIXTURES = new URL('../fixtures/gait/', import.meta.url);

export const fixtureText = (rel: string): string => readFileSync(new URL(rel, FIXTURES), 'utf8');

export const APPROVAL_PRIV = parsePrivateKey(fixtureText('scenarios/keys/approval_private.key'));
export const APPROVAL_PUB = parsePublicKey(fixtureText('scenarios/keys/approval_public.key'));
export const DELEGATION_PUB = parsePublicKey(fixtureText('signed/delegation_public.key'));
export const APPROVAL_KEY_ID = '8393424682c702d59a923d26924b2d4827711e6c585117077766645e22efeb52';
export const DELEGATION_KEY_ID = '854baff4855aef78ee7bff54778815baba4f4c8dd693e12ad4429edd118f6590';

export const hex = (c: string): string => c.repeat(64);

export function intent(value: unknown): NormalizedIntent {
  return normalizeIntent(decodeIntentValue(value));
}

/** Runs `fn` and returns the thrown GaitError (asserting it is one, with `category`). */
export function thrown(fn: () => unknown, category = 'invalid_input'): GaitError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected a GaitError').toBeInstanceOf(GaitError);
  expect((caught as GaitError).category).toBe(category);
  return caught as GaitError;
}

export async function rejected(p: Promise<unknown>, category = 'invalid_input'): Promise<GaitError> {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected a GaitError').toBeInstanceOf(GaitError);
  expect((caught as GaitError).category).toBe(category);
  return caught as GaitError;
}
