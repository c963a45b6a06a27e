/**
 * Compile-time check that every runtime entry offers the portable entry's API with the same
 * types: package.json points every export condition at one declaration file (portable.d.ts).
 */
import type * as Portable from './portable.js';
import type * as Node from './node.js';
import type * as Deno from './deno.js';
import type * as Browser from './browser.js';
import type * as Workerd from './workerd.js';

type Offers<Entry extends Surface, Surface> = Entry;

export type RuntimeEntries = [
  Offers<typeof Node, typeof Portable>,
  Offers<typeof Deno, typeof Portable>,
  Offers<typeof Browser, typeof Portable>,
  Offers<typeof Workerd, typeof Portable>,
];
