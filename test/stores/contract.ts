// The limit-store contract (bindings/stores/types.ts), run against every store: the same cases
// as the in-memory reference (countInMap), and exact counts under concurrent evaluations. The
// cases live in contract-cases.ts so runtimes other than vitest's (Deno) run the same ones.
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import type { LimitStore } from '../../bindings/stores/types.js';
import { contractCases, type ContractCase } from './contract-cases.js';

export { request } from './contract-cases.js';

export interface StoreFixture {
  store: LimitStore;
  /** Called after each test. */
  close?: () => Promise<void> | void;
}

/** `without`: capabilities the store leaves out by design (see ContractCase.capability), each with a test of its own. */
export function limitStoreContract(name: string, open: () => Promise<StoreFixture>, options: { without?: readonly ContractCase['capability'][] } = {}): void {
  describe(`limit store contract: ${name}`, () => {
    let f: StoreFixture;
    beforeEach(async () => {
      f = await open();
    });
    afterEach(async () => {
      await f.close?.();
    });

    for (const c of contractCases) {
      if (c.capability && options.without?.includes(c.capability)) continue;
      it(c.name, () => c.run(f.store, (actual, expected) => expect(actual).toEqual(expected)));
    }
  });
}
