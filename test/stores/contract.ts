// The limit-store contract (bindings/stores/types.ts), run against every store: the same cases
// as the in-memory reference (countInMap), and exact counts under concurrent evaluations. The
// cases live in contract-cases.ts so runtimes other than vitest's (Deno) run the same ones.
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import type { LimitStore } from '../../bindings/stores/types.js';
import { contractCases } from './contract-cases.js';

export { request } from './contract-cases.js';

export interface StoreFixture {
  store: LimitStore;
  /** Called after each test. */
  close?: () => Promise<void> | void;
}

export function limitStoreContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`limit store contract: ${name}`, () => {
    let f: StoreFixture;
    beforeEach(async () => {
      f = await open();
    });
    afterEach(async () => {
      await f.close?.();
    });

    for (const c of contractCases) {
      it(c.name, () => c.run(f.store, (actual, expected) => expect(actual).toEqual(expected)));
    }
  });
}
