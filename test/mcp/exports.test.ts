// The export lines (mcp.md §11): the `cli_exports` fixture of EXPECTED.jsonl, and byte-exact lines
// recorded from Gait v1.3.6 (`gait mcp proxy --export-log-out … --export-otel-out …`).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportLogLine, exportOtelLine } from '../../bindings/mcp/exports.js';
import type { McpExportEvent } from '../../bindings/mcp/types.js';
import { FIXTURES } from '../cli/run.js';

const fixture = readFileSync(path.join(FIXTURES, 'mcp/EXPECTED.jsonl'), 'utf8')
  .split('\n').filter((l) => l.includes('"cli_exports"')).map((l) => JSON.parse(l))[0];

const event = (e: Partial<McpExportEvent> = {}): McpExportEvent => ({
  created_at: '1980-01-01T00:00:00Z', producer_version: '1.3.6', run_id: 'run_x', session_id: '', trace_id: 't', trace_path: '',
  tool_name: 'tool.read', verdict: 'allow', reason_codes: [], policy_digest: 'p', intent_digest: 'i', decision_latency_ms: 0,
  delegation_ref: '', delegation_depth: 0, ...e,
});

describe('export lines', () => {
  it('match the cli_exports fixture', () => {
    const log = fixture.files['out/events.jsonl'][0];
    const e = event({ ...log, decision_latency_ms: 12 });
    const logLine = exportLogLine(e);
    const otelLine = exportOtelLine(e);
    expect(logLine.endsWith('}\n')).toBe(true);
    expect({ ...JSON.parse(logLine), decision_latency_ms: undefined }).toEqual({ ...log, decision_latency_ms: undefined });
    const otel = JSON.parse(otelLine);
    expect(otel.attributes['gait.decision_latency_ms']).toBe(12);
    delete otel.attributes['gait.decision_latency_ms'];
    expect(otel).toEqual(fixture.files['out/otel.jsonl'][0]);
  });

  it('log line: struct order, Go HTML escaping (Gait bytes)', () => {
    const e = event({
      run_id: 'run_mcp_5fb460236975', session_id: 'a<b>&c', trace_id: 'b2dbfb3288dc4ce45b7dbc79', trace_path: 'out/t.json',
      reason_codes: ['default_allow'], policy_digest: '65819d9cf07c7619aa8aaf2bd4e8d6f8e3f86b139b49a68c535fd14d77a5009f',
      intent_digest: '5fb460236975c73b4b1e83337179ef9df6e625e78bb8f2cb7519e4b66ecd1038', decision_latency_ms: 8,
    });
    expect(exportLogLine(e)).toBe(
      '{"created_at":"1980-01-01T00:00:00Z","producer_version":"1.3.6","run_id":"run_mcp_5fb460236975","session_id":"a\\u003cb\\u003e\\u0026c",' +
      '"trace_id":"b2dbfb3288dc4ce45b7dbc79","trace_path":"out/t.json","tool_name":"tool.read","verdict":"allow","reason_codes":["default_allow"],' +
      '"policy_digest":"65819d9cf07c7619aa8aaf2bd4e8d6f8e3f86b139b49a68c535fd14d77a5009f","intent_digest":"5fb460236975c73b4b1e83337179ef9df6e625e78bb8f2cb7519e4b66ecd1038","decision_latency_ms":8}\n',
    );
    expect(exportOtelLine(e)).toBe(
      '{"attributes":{"gait.decision_latency_ms":8,"gait.delegation_depth":0,"gait.delegation_ref":"","gait.intent_digest":"5fb460236975c73b4b1e83337179ef9df6e625e78bb8f2cb7519e4b66ecd1038",' +
      '"gait.policy_digest":"65819d9cf07c7619aa8aaf2bd4e8d6f8e3f86b139b49a68c535fd14d77a5009f","gait.reason_codes":["default_allow"],"gait.run_id":"run_mcp_5fb460236975",' +
      '"gait.session_id":"a\\u003cb\\u003e\\u0026c","gait.tool_name":"tool.read","gait.trace_path":"out/t.json","gait.verdict":"allow"},' +
      '"body":"gait.mcp.proxy.decision","severity_text":"INFO","time_unix_nano":315532800000000000,"trace_id":"b2dbfb3288dc4ce45b7dbc79"}\n',
    );
  });

  it('log line omits empty optional members but keeps the required ones empty', () => {
    expect(exportLogLine(event({ run_id: '', trace_id: '', tool_name: '', policy_digest: '', intent_digest: '' }))).toBe(
      '{"created_at":"1980-01-01T00:00:00Z","producer_version":"1.3.6","run_id":"","trace_id":"","tool_name":"","verdict":"allow","policy_digest":"","intent_digest":""}\n',
    );
    expect(JSON.parse(exportLogLine(event({ delegation_ref: 'd', delegation_depth: 2 })))).toMatchObject({ delegation_ref: 'd', delegation_depth: 2 });
  });

  it('OTel line keeps every attribute; reason codes null when none', () => {
    const otel = JSON.parse(exportOtelLine(event()));
    expect(otel.attributes).toEqual({
      'gait.decision_latency_ms': 0, 'gait.delegation_depth': 0, 'gait.delegation_ref': '', 'gait.intent_digest': 'i', 'gait.policy_digest': 'p',
      'gait.reason_codes': null, 'gait.run_id': 'run_x', 'gait.session_id': '', 'gait.tool_name': 'tool.read', 'gait.trace_path': '', 'gait.verdict': 'allow',
    });
  });

  it('time_unix_nano is Go UnixNano of created_at: exact past 2^53, offsets applied, int64 wrapping (Gait values)', () => {
    const nanos = (created_at: string) => /"time_unix_nano":(-?\d+)/.exec(exportOtelLine(event({ created_at })))![1];
    expect(nanos('2026-03-01T00:00:00.123456789Z')).toBe('1772323200123456789');
    expect(nanos('2026-03-01T05:00:00.123456789+05:00')).toBe('1772323200123456789');
    expect(nanos('1500-01-01T00:00:00Z')).toBe('3614974473709551616');
    expect(nanos('2300-01-01T00:00:00Z')).toBe('-8032952073709551616');
    expect(nanos('0001-01-01T00:00:00.5Z')).toBe('-6795364578371345152');
  });

  it('refuses a created_at that is not RFC 3339', () => {
    expect(() => exportOtelLine(event({ created_at: 'yesterday' }))).toThrow(/export created_at: parsing time/);
  });
});
