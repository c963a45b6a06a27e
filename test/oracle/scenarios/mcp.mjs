// The tool-call boundary scenarios (spec mcp.md): `gait mcp proxy` on a generated call in one of
// the five adapter formats (gen-tool-call.mjs), with MCP trust, exports and prod-signed traces
// (cross-verified), and `gait mcp verify` on a generated trust setup and server description.
import { createGenerator, mulberry32 } from '../../../conformance/generator.mjs';
import { FIXTURE_KEYS, crossVerifyTraces } from '../harness.mjs';
import { RANDOM_FIELDS } from '../known-differences.mjs';
import { generateServeCase, generateToolCallCase, generateVerifyCase } from '../gen-tool-call.mjs';

const signing = ['--key-mode', 'prod', '--private-key', FIXTURE_KEYS.private];
// decision_latency_ms is wall-clock milliseconds (and omitted when 0) in outputs and exports.
const randomFields = [...RANDOM_FIELDS, 'decision_latency_ms'];
// Removed (not blanked): Gait omits it when 0.
const scrub = (text) => text.replace(/"(gait\.)?decision_latency_ms":\d+,/g, '').replace(/,"(gait\.)?decision_latency_ms":\d+/g, '');

export const MCP_SCENARIOS = [
  {
    name: 'mcp-proxy',
    command: 'mcp proxy',
    generate: (seed) => generateToolCallCase(mulberry32(seed ^ 0x6d6370), createGenerator(seed).randomCase()),
    files: (c) => ({ 'policy.yaml': c.policy, ...c.files }),
    steps: (c) => [{
      argv: ['mcp', 'proxy', '--policy', 'policy.yaml', '--call', 'call.json', ...c.flags, ...(c.human ? [] : ['--json']), ...(c.prod ? signing : []), '--trace-out', 'trace.json'],
      // Dev-mode traces are signed with a fresh key on each side: only prod traces are compared.
      capture: { ...(c.prod ? { trace: 'trace.json' } : {}), ...(c.exports ? { log: 'out/log.jsonl', otel: 'out/otel.jsonl' } : {}) },
    }],
    randomFields,
    scrub,
    check: (ours, gait, c, env) => (c.prod ? crossVerifyTraces(ours, gait, env) : []),
  },
  {
    name: 'mcp-verify',
    command: 'mcp verify',
    generate: (seed) => generateVerifyCase(mulberry32(seed ^ 0x766572), createGenerator(seed).randomCase()),
    files: (c) => ({ 'policy.yaml': c.policy, ...c.files }),
    steps: (c) => [{ argv: ['mcp', 'verify', '--policy', 'policy.yaml', '--server', 'server.json', ...c.flags, ...(c.human ? [] : ['--json'])] }],
  },
  {
    name: 'mcp-serve',
    command: 'mcp serve',
    generate: (seed) => {
      const base = createGenerator(seed).randomCase();
      return generateServeCase(mulberry32(seed ^ 0x736572), (i) => generateToolCallCase(mulberry32((seed + i) ^ 0x6d6370), i === 0 ? base : { ...createGenerator(seed + i).randomCase(), policy: base.policy }));
    },
    files: (c) => c.files,
    steps: (c) => [{ serve: true, argv: c.argv, env: c.env, requests: c.requests }],
    // Default trace names carry a UTC timestamp (the body bytes have it scrubbed already).
    randomFields: [...randomFields, 'trace_path'],
  },
];
