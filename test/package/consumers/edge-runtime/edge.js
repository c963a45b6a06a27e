// A Vercel edge function. Edge runtimes may not compile WebAssembly from bytes, so core.wasm comes
// in as a compiled module (`?module`, as Next.js and Vercel import .wasm for the edge).
import core from 'gait-wasm/core.wasm?module';
import { initSync, createGate, RUNTIME_ENTRY } from 'gait-wasm';
import { POLICY, report } from './decision.js';

export const config = { runtime: 'edge' };

export default async function handler() {
  initSync(core);
  return Response.json(report(createGate(POLICY), RUNTIME_ENTRY));
}
