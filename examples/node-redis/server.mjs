// A Node HTTP service (node:http, no framework) that runs the whole gate (`gate.enforce`: `gait
// gate eval`'s pipeline) on POSTed intents, with rate limits and destructive budgets counted in
// Redis: every process that reaches the same server shares the counters, and counts stay exact.
// POST an intent (JSON), or `{"intent": …, "approval_tokens": [token, …]}`; get back the object
// `gait gate eval --json` prints. Every decision's signed trace is appended to a JSON-lines file.
//   npm run build
//   node examples/node-redis/server.mjs examples/node-redis/policy.yaml --port 8787 --traces traces.jsonl
// Environment: REDIS_URL (default redis://127.0.0.1:6379/0); GAIT_SIGNING_KEY, the trace signing
// key (Gait's base64 private-key text; absent: dev mode, a throw-away key, and `warnings` says so);
// GAIT_APPROVER_KEY_FILE (or --approver-key), the approvers' public key (absent: the signing key's
// public half verifies tokens, as in Gait); GAIT_TRACES (or --traces); GAIT_AUDITS (or --audits:
// approval and delegation audit records, kept only when given); PORT (or --port).
import { appendFile, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { createGate, redisLimitStore, GaitError } from 'gait-wasm';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    traces: { type: 'string', default: process.env.GAIT_TRACES ?? 'traces.jsonl' },
    audits: { type: 'string', default: process.env.GAIT_AUDITS },
    'approver-key': { type: 'string', default: process.env.GAIT_APPROVER_KEY_FILE },
  },
});
const policyPath = positionals[0] ?? new URL('./policy.yaml', import.meta.url);
const gate = createGate(await readFile(policyPath, 'utf8'));
const limitStore = redisLimitStore(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0', { prefix: 'gait-example:limits:' });
const signingKey = process.env.GAIT_SIGNING_KEY || undefined;
const approverKey = flags['approver-key'] ? await readFile(flags['approver-key'], 'utf8') : undefined;

/**
 * Keeps each signed trace (one JSON line) before the decision is answered: no trace, no answer.
 * Approval and delegation audit records go to --audits as `{kind, record}` lines, when given.
 */
async function sink(artifact) {
  if (artifact.kind === 'trace') {
    await appendFile(flags.traces, JSON.stringify(artifact.record) + '\n');
    return flags.traces;
  }
  if (!flags.audits) return undefined;
  await appendFile(flags.audits, JSON.stringify({ kind: artifact.kind, record: artifact.record }) + '\n');
  return flags.audits;
}

/** The intent and its approval tokens from a request body. */
function parseBody(text) {
  const body = JSON.parse(text);
  if (body && typeof body === 'object' && !Array.isArray(body) && 'intent' in body && !('tool_name' in body)) {
    return { intent: body.intent, tokens: Array.isArray(body.approval_tokens) ? body.approval_tokens : [] };
  }
  return { intent: text, tokens: [] };
}

async function decide(text) {
  try {
    const { intent, tokens } = parseBody(text);
    const { result } = await gate.enforce(intent, {
      limitStore,
      signingKey,
      approval: { tokens, verifyKey: approverKey },
      sink,
    });
    // 200 with the decision for every verdict (a store that cannot answer is a block with
    // limit_store_unavailable): the caller enforces it, and only `allow` runs the tool.
    return [200, result];
  } catch (err) {
    // Invalid intents never get a verdict: 400 with the reason (the tool must not run).
    if (err instanceof GaitError) return [400, { ok: false, error: err.message, error_category: err.category }];
    if (err instanceof SyntaxError) return [400, { ok: false, error: `request body: ${err.message}`, error_category: 'invalid_input' }];
    console.error(err);
    return [500, { ok: false, error: 'internal error' }];
  }
}

const server = createServer((req, res) => {
  const answer = ([status, body]) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body) + '\n');
  };
  if (req.method !== 'POST') {
    answer([405, { ok: false, error: 'POST an intent (JSON) to get the gate decision', policy_digest: gate.policyDigest }]);
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => void decide(Buffer.concat(chunks).toString('utf8')).then(answer));
});

server.listen(Number(flags.port), flags.host, () => {
  const { address, port } = server.address();
  console.log(`gait gate listening on http://${address}:${port}`);
});

// Stop taking requests, let the ones in flight finish, then close the Redis connection.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    server.close(() => void limitStore.close().finally(() => process.exit(0)));
    server.closeIdleConnections();
  });
}
