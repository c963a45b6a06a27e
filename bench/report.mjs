/**
 * The report: the targets judged against a run's results, and the readable Markdown
 * (printed to stdout and written to bench/results.md) beside the JSON (bench/results.json).
 */
import { writeFileSync } from 'node:fs';
import { renderMcpServeLoad } from './mcp-serve-load.mjs';

const KiB = 1024;

export function formatNs(ns) {
  if (!Number.isFinite(ns)) return '—';
  if (ns < 1_000) return `${ns.toFixed(ns < 100 ? 1 : 0)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(ns < 10_000 ? 2 : 1)} µs`;
  return `${(ns / 1_000_000).toFixed(2)} ms`;
}

const ms = (x) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
const ratio = (x) => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(2) : x.toFixed(0)}×` : '—');
const ops = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(0));

/** The targets, each met or missed, with what was measured and how. */
export function judgeTargets(r) {
  const c = (id) => r.cases.find((x) => x.id === id);
  const typical = c('typical/object:decision');
  const full = c('typical/object:full');
  const cedar = c('cedar/typical');
  const big = c('rules1000/object:decision');
  const out = [];
  const add = (name, target, measured, met, note) => out.push({ name, target, measured, met, note });
  add(
    'typical, decision only, from a parsed object: p50',
    '≤ 1 µs',
    formatNs(typical.p50_ns),
    typical.p50_ns <= 1_000,
    `gate.verdict(object) (decision-only API). Layers: core ${formatNs(c('typical/core').p50_ns)}; gate.evaluate(object) without digests ${formatNs(c('typical/object:evaluate').p50_ns)}`,
  );
  if (cedar) {
    const speedup = cedar.p50_ns / typical.p50_ns;
    const same = r.cedar_same_process?.typical_object_decision ?? [];
    const sameText = same.length ? `; measured in the same process: ${same.map(ratio).join(', ')}` : '';
    add(
      'typical, decision only, from a parsed object vs cedar-wasm (p50)',
      '≥ 30× faster',
      `${ratio(speedup)} faster`,
      speedup >= 30,
      `cedar-wasm statefulIsAuthorized p50 ${formatNs(cedar.p50_ns)}${sameText}; core layer alone is ${ratio(cedar.p50_ns / c('typical/core').p50_ns)} faster`,
    );
  }
  add('1,000-rule policy, match last: p50', '≤ 3 µs', formatNs(big.p50_ns), big.p50_ns <= 3_000, `decision only from a parsed object; core alone ${formatNs(c('rules1000/core').p50_ns)}, encode+core ${formatNs(c('rules1000/encode+core').p50_ns)}`);
  add('full result with intent digest (typical, object): p50', '≤ 5 µs', formatNs(full.p50_ns), full.p50_ns <= 5_000, 'gate.evaluate(object).intent_digest');
  add('core.wasm size', '≤ 64 KiB', `${(r.core_wasm.bytes / KiB).toFixed(1)} KiB (${(r.core_wasm.gzip_bytes / KiB).toFixed(1)} KiB gzip)`, r.core_wasm.bytes <= 64 * KiB, '');
  if (r.instantiate) {
    const g = r.instantiate.gait;
    add(
      'instantiate + policy load (fresh process, median)',
      '≤ 5 ms',
      ms(g.instantiate_and_policy.median_ms),
      g.instantiate_and_policy.median_ms <= 5,
      `read ${ms(g.read.median_ms)} + compile ${ms(g.compile.median_ms)} + instantiate ${ms(g.instance.median_ms)} + policy parse ${ms(g.policy_parse.median_ms)} + policy load ${ms(g.policy_load.median_ms)}; module import ${ms(g.import.median_ms)} not included`,
    );
  }
  if (r.instantiate?.compiled) {
    const c = r.instantiate.compiled;
    add(
      'compiled policy cold start in Node (fresh process, median)',
      '≤ 5 ms',
      ms(c.total.median_ms),
      c.total.median_ms <= 5,
      `import gait-wasm/compiled ${ms(c.import.median_ms)} + initSync ${ms(c.init.median_ms)} + createGate(.gaitc) ${ms(c.policy_load.median_ms)} + first gate.check ${ms(c.first_decision.median_ms)}; the YAML path (main bundle) ${ms(r.instantiate.yaml.total.median_ms)}`,
    );
  }
  if (r.workerd_cold_start) {
    const w = r.workerd_cold_start;
    add(
      'compiled policy cold start in workerd (median)',
      '≤ 5 ms',
      ms(w.compiled.total_ms),
      w.compiled.total_ms <= 5,
      `import ${ms(w.compiled.import_ms)} + first request ${ms(w.compiled.first_ms)} (gate.verdict instead of check: ${ms(w['compiled-verdict'].total_ms)}); the YAML path ${ms(w.yaml.total_ms)}; measured from outside the worker (its clock stops between I/O)`,
    );
  }
  if (r.decide_only_bundle) {
    const worst = Math.max(...Object.values(r.decide_only_bundle).map((b) => b.with_core_gzip_bytes));
    add('decide-only bundle + core.wasm (gzip -9, largest entry)', '≤ 40 KiB', `${(worst / KiB).toFixed(1)} KiB`, worst <= 40 * KiB, Object.entries(r.decide_only_bundle).map(([n, b]) => `${n} ${(b.bytes / KiB).toFixed(1)} KiB raw`).join(', '));
  }
  if (r.process) {
    add('whole-process `gait gate eval` vs `node -e 0` (p50)', '≤ 2×', ratio(r.process.ratio_p50), r.process.ratio_p50 <= 2, `${ms(r.process.gait.p50_ms)} vs ${ms(r.process.node_e_0.p50_ms)} over ${r.process.runs} runs each`);
  }
  for (const c of r.mcp_serve?.comparisons ?? []) {
    const where = c.config.replace('traces on ', '');
    const ours = r.mcp_serve.rows.find((x) => x.server === c.server && x.config === c.config);
    const gait = r.mcp_serve.rows.find((x) => x.id === `gait/${where}`);
    add(
      `\`${(c.server ?? 'gait-wasm').replace(/^gait-wasm/, 'gait mcp serve')}\` under load vs Gait's (${c.config})`,
      '≥ 2× requests/s, p99 no worse',
      `${ratio(c.throughput_ratio)} requests/s, p99 ${ratio(c.p99_ratio)}`,
      c.met,
      `${Math.round(ours.requests_per_s)} vs ${Math.round(gait.requests_per_s)} req/s; p99 ${ours.p99_ms} vs ${gait.p99_ms} ms (${r.mcp_serve.connections} connections)`,
    );
  }
  if (r.memory) {
    const m = r.memory;
    add(
      'memory flat after 10 M evaluations',
      'no growth',
      `WASM ${m.core.delta.wasm_bytes} B, heap ${(m.core.delta.heap_used / KiB).toFixed(0)} KiB, RSS ${(m.core.delta.rss / KiB).toFixed(0)} KiB`,
      m.core.flat && m.full.flat,
      `${m.core.evaluations.toLocaleString('en-US')} core evaluations; plus ${m.full.evaluations.toLocaleString('en-US')} full gate.evaluate(object) (heap Δ ${(m.full.delta.heap_used / KiB).toFixed(0)} KiB)`,
    );
  }
  return out;
}

export function renderMarkdown(r) {
  const m = r.machine;
  const lines = [
    '# gait-wasm benchmarks',
    '',
    `Run ${r.generated_at} (source ${r.source_revision ?? 'unknown'}) on ${m.cpu_model}, ${m.cores} cores (${m.available_parallelism} available), ${m.memory_gib} GiB, ` +
      `Node ${m.node} (V8 ${m.v8}), ${m.platform}. Load average ${r.machine.loadavg.join(' / ')} at the start, ` +
      `${r.loadavg_end.join(' / ')} at the end (a shared machine: expect noise, see p99).`,
    '',
    `Harness: ${r.harness.rounds} interleaved rounds over all cases; per case and round ${r.harness.warmupMs} ms warm-up, then batches of N calls ` +
      `(N chosen so a batch takes ~${r.harness.batchNs / 1000} µs) for ≥ ${r.harness.measureMs} ms and ≥ ${r.harness.minBatches} batches; ` +
      'per-call time = batch time / N; p50/p99 over the batches of the median round; ops/s from that round\'s mean; ' +
      '"noise" = slowest / fastest round p50. ' +
      `Floor = \`engine.noop\` p50 ${formatNs(r.floor.p50_ns)}: the median of ${r.floor.samples_p50_ns.length} floor measurements spread through the run ` +
      `(${formatNs(Math.min(...r.floor.samples_p50_ns))} to ${formatNs(Math.max(...r.floor.samples_p50_ns))}).`,
    '',
    ...(r.measurement_crashes?.length
      ? [`Note: a measurement process crashed ${r.measurement_crashes.length} time(s) in this run (V8 fatal error, see bench/peer.mjs) and was re-run.`, '']
      : []),
    '## Targets',
    '',
    '| target | goal | measured | | note |',
    '|---|---|---|---|---|',
    ...r.targets.map((t) => `| ${t.name} | ${t.target} | ${t.measured} | **${t.met ? 'met' : 'missed'}** | ${t.note} |`),
    '',
    '## Cases',
    '',
    'Layers: `core` = `engine.evaluate` with a pre-encoded intent (one WASM call + outcome decode); `encode+core` = `encodeIntent` + core from a',
    'prepared intent; `normalized` = `gate.evaluateNormalized(…).result.verdict`; `object:decision` = `gate.verdict(object)` (the decision-only API);',
    '`object:evaluate` / `json:decision` = `gate.evaluate(…).result.verdict` from a parsed object / JSON text (no digest computed);',
    '`object:full` / `json:full` = `gate.evaluate(…).intent_digest` (full result);',
    '`check` = `gate.check(object)` (the `gate eval --json` payload); `stage:*` = one stage of the from-object path alone.',
    '"× floor" = p50 / floor p50; "vs cedar" = cedar p50 / p50 (above 1 = faster than cedar-wasm); "noise" = slowest / fastest round p50.',
    '',
    '| case | verdict | p50 | p99 | ops/s | × floor | vs cedar | noise | N × batches |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...r.cases.map(
      (x) =>
        `| \`${x.id}\` | ${x.verdict ?? ''} | ${formatNs(x.p50_ns)} | ${formatNs(x.p99_ns)} | ${ops(x.ops_per_s)} | ${ratio(x.x_floor)} | ${x.vs_cedar ? ratio(x.vs_cedar) : '—'} | ${ratio(x.noise)} | ${x.batch_size} × ${x.batches} |`,
    ),
    '',
  ];
  if (r.cedar_same_process) {
    const sp = r.cedar_same_process;
    lines.push(
      `cedar-wasm ${r.info.cedar?.version ?? ''} runs in processes of its own, one per round, each measuring the floor, \`typical/core\`, ` +
        '`typical/object:decision` and cedar together (re-measuring cedar-wasm inside the main process crashes Node 20\'s V8: see bench/peer.mjs). ' +
        `Same-process speed-ups over cedar, per round: object:decision ${sp.typical_object_decision.map(ratio).join(', ')}; ` +
        `core ${sp.typical_core.map(ratio).join(', ')} (floor there ${sp.floor_p50_ns.map(formatNs).join(', ')}).`,
      '',
    );
  }
  lines.push(
    '## Size and start-up',
    '',
    `- \`dist/core.wasm\`: ${r.core_wasm.bytes.toLocaleString('en-US')} B (${r.core_wasm.gzip_bytes.toLocaleString('en-US')} B gzip -9)` +
      (r.info.cedar ? `; cedar-wasm's module: ${r.info.cedar.wasm_bytes.toLocaleString('en-US')} B.` : '.'),
  );
  if (r.instantiate) {
    const row = (name, s) => `| ${name} | ${ms(s.median_ms)} | ${ms(s.min_ms)} | ${ms(s.max_ms)} |`;
    const g = r.instantiate.gait;
    const c = r.instantiate.cedar;
    lines.push(
      `- Fresh process, ${r.instantiate.samples} samples each:`,
      '',
      '| step | median | min | max |',
      '|---|---:|---:|---:|',
      row('gait: import dist/ modules (not in the target)', g.import),
      row('gait: read core.wasm', g.read),
      row('gait: compile (new WebAssembly.Module)', g.compile),
      row('gait: instantiate (Engine.fromModule)', g.instance),
      row('gait: parse policy YAML (parsePolicyYaml)', g.policy_parse),
      row('gait: load policy (new Gate: digest, compile, copy)', g.policy_load),
      row('**gait: instantiate + policy load**', g.instantiate_and_policy),
      row('gait: first evaluation', g.first_eval),
      row('cedar-wasm: require (compile + instantiate)', c.load_module),
      row('cedar-wasm: preparsePolicySet', c.policy),
      row('**cedar-wasm: instantiate + policy load**', c.instantiate_and_policy),
      row('cedar-wasm: first statefulIsAuthorized', c.first_eval),
      '',
    );
  }
  if (r.memory) {
    const mm = r.memory;
    const mib = (b) => `${(b / 2 ** 20).toFixed(2)} MiB`;
    const kib = (b) => `${b >= 0 ? '+' : ''}${(b / KiB).toFixed(1)} KiB`;
    const row = (p) =>
      `| ${p.name} | ${p.evaluations.toLocaleString('en-US')} | ${p.seconds.toFixed(1)} s | ${mib(p.before.wasm_bytes)} → ${mib(p.after.wasm_bytes)} | ${mib(p.before.heap_used)} → ${mib(p.after.heap_used)} (${kib(p.delta.heap_used)}) | ${mib(p.before.rss)} → ${mib(p.after.rss)} (${kib(p.delta.rss)}) | ${p.flat ? 'yes' : '**no**'} |`;
    lines.push(
      '## Memory',
      '',
      'Fresh process with `--expose-gc`; values after two `gc()` calls, before and after the run. Flat = WASM memory unchanged and live heap grew < 1 MiB.',
      '',
      '| phase | evaluations | time | WASM memory | JS heap used | RSS | flat |',
      '|---|---:|---:|---|---|---|---|',
      row(mm.core),
      row(mm.full),
      '',
      `WASM memory during the core phase (every 10%): ${[...new Set(mm.core.trajectory.map((t) => t.wasm_bytes))].map(mib).join(', ')}.`,
      '',
    );
  }
  if (r.process) {
    const p = r.process;
    lines.push(
      '## Whole process',
      '',
      `\`${p.command}\` (cwd: a temp dir) against \`node -e 0\`, alternating, ${p.runs} runs each:`,
      '',
      '| command | p50 | p95 | min | max |',
      '|---|---:|---:|---:|---:|',
      `| gait gate eval | ${ms(p.gait.p50_ms)} | ${ms(p.gait.p95_ms)} | ${ms(p.gait.min_ms)} | ${ms(p.gait.max_ms)} |`,
      `| node -e 0 | ${ms(p.node_e_0.p50_ms)} | ${ms(p.node_e_0.p95_ms)} | ${ms(p.node_e_0.min_ms)} | ${ms(p.node_e_0.max_ms)} |`,
      '',
      `Ratio of p50s: ${ratio(p.ratio_p50)} (${ms(p.overhead_p50_ms)} above bare Node start-up).`,
      '',
    );
  }
  if (r.mcp_serve) {
    lines.push('## `gait mcp serve` under load', '', renderMcpServeLoad(r.mcp_serve), '');
  }
  return lines.join('\n');
}

export function writeResults(r, { json = new URL('./results.json', import.meta.url), md = new URL('./results.md', import.meta.url) } = {}) {
  writeFileSync(json, JSON.stringify(r, null, 2) + '\n');
  const text = renderMarkdown(r);
  writeFileSync(md, text + '\n');
  return text;
}
