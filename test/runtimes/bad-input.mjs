// Run by loaders.test.ts in a runtime that cannot load the engine (node --no-expose-wasm; deno
// without --allow-read): prints how createGate(policy) and init() fail, as JSON.
import process from 'node:process';

const out = {};
const gait = await import('gait-wasm');
const describe = (err) => ({ name: err?.name, message: err?.message, gait: err instanceof gait.GaitError });
try {
  gait.createGate('default_verdict: allow\n');
  out.createGate = { ok: true };
} catch (err) {
  out.createGate = describe(err);
}
try {
  await gait.init();
  out.init = { ok: true };
} catch (err) {
  out.init = describe(err);
}
process.stdout.write(JSON.stringify(out) + '\n');
