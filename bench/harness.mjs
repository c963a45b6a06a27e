/**
 * The measurement harness: warm up, calibrate a batch size N so one batch takes ~75 µs, then time
 * many batches of N calls with process.hrtime.bigint(). Per-call time = batch time / N; p50 and
 * p99 are taken over batches. Every case function returns a number that is accumulated into a
 * module-level sink, so the JIT cannot drop the work as dead code.
 *
 * Each measurement gets its own batch loop compiled with `new Function` from unique source text, so
 * the call site `fn()` in the loop only ever sees one target (a loop shared by all cases would go megamorphic and charge every
 * case, the floor included, for an indirect call it would not otherwise pay).
 */

/** Sum of every result: read by `sinkValue()` so the work stays observable. */
let sink = 0;

export function sinkValue() {
  return sink;
}

const SYNC_LOOP = `
  return function batch(n) {
    let acc = 0;
    const t0 = hrtime();
    for (let i = 0; i < n; i++) acc += fn();
    const t1 = hrtime();
    return [Number(t1 - t0), acc];
  };`;

const ASYNC_LOOP = `
  return async function batch(n) {
    let acc = 0;
    const t0 = hrtime();
    for (let i = 0; i < n; i++) acc += await fn();
    const t1 = hrtime();
    return [Number(t1 - t0), acc];
  };`;

let loops = 0;

function makeBatch(fn, isAsync) {
  // The source must differ per loop: V8 caches `new Function` by source text, and identical text
  // would share one SharedFunctionInfo (and one call-site feedback) between all cases again.
  const source = `/* loop ${++loops} */` + (isAsync ? ASYNC_LOOP : SYNC_LOOP);
  // eslint-disable-next-line no-new-func
  return new Function('fn', 'hrtime', source)(fn, process.hrtime.bigint);
}

/** Percentile by linear interpolation over a sorted array (the convention of cli.md §13.2). */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export const FULL = Object.freeze({ warmupMs: 200, measureMs: 400, minBatches: 60, maxMs: 3000, batchNs: 75_000 });
export const SHORT = Object.freeze({ warmupMs: 80, measureMs: 250, minBatches: 40, maxMs: 2000, batchNs: 75_000 });

/**
 * Measures `fn` (sync, or async when `isAsync`). Returns per-call nanoseconds: p50, p99, min,
 * mean (total time / total calls) and ops/s (from the mean), plus the batch size and count.
 */
export async function measure(fn, { isAsync = false, ...opts } = {}) {
  const o = { ...FULL, ...opts };
  const batch = makeBatch(fn, isAsync);
  const run = async (n) => {
    const [ns, acc] = await batch(n);
    sink += acc;
    return ns;
  };

  // Calibrate: double N until a batch takes at least the target (JIT still warming).
  let n = 1;
  for (;;) {
    const ns = await run(n);
    if (ns >= o.batchNs || n >= 1 << 24) break;
    n = ns <= 0 ? n * 16 : Math.max(n * 2, Math.min(n * 16, Math.ceil((n * o.batchNs) / ns)));
  }
  // Warm up, then recalibrate N on the warmed-up cost: the median per-call time of the second half
  // of the warm-up batches (a GC pause or a tier-up there must not shrink N). Optimized code can
  // arrive late on a busy machine (TurboFan compiles on a background thread), so warm up again,
  // up to 3 times, until N settles within 30%.
  for (let stage = 0; stage < 3; stage++) {
    const warmEnd = performance.now() + o.warmupMs;
    const warm = [];
    while (performance.now() < warmEnd) warm.push((await run(n)) / n);
    const settled = warm.slice(warm.length >> 1).sort((a, b) => a - b);
    const perCallNs = settled.length > 0 ? percentile(settled, 50) : 0;
    if (!(perCallNs > 0)) break;
    const next = Math.max(1, Math.min(1 << 24, Math.round(o.batchNs / perCallNs)));
    const settledN = Math.abs(next - n) <= 0.3 * n;
    n = next;
    if (settledN) break;
  }

  const perCall = [];
  let totalNs = 0;
  let calls = 0;
  const start = performance.now();
  for (;;) {
    const ns = await run(n);
    perCall.push(ns / n);
    totalNs += ns;
    calls += n;
    const elapsed = performance.now() - start;
    if (elapsed >= o.maxMs) break;
    if (elapsed >= o.measureMs && perCall.length >= o.minBatches) break;
  }
  perCall.sort((a, b) => a - b);
  const mean = totalNs / calls;
  return {
    p50_ns: percentile(perCall, 50),
    p99_ns: percentile(perCall, 99),
    min_ns: perCall[0],
    mean_ns: mean,
    ops_per_s: 1e9 / mean,
    batch_size: n,
    batches: perCall.length,
    calls,
  };
}

/**
 * Measures every case in `rounds` interleaved passes (all cases, then all again, ...), so slow
 * drift on a shared machine spreads over every case instead of landing on a few. A case reports
 * the stats of its median round (by p50), every round's p50 (`round_p50_ns`) and the spread
 * between rounds (`noise` = max / min round p50).
 *
 * The floor (the case with group 'floor', ~5 ns) is itself noisy between runs, and every ratio
 * divides by it, so it is sampled often: before every `floorEvery` cases and once at the end; the
 * floor p50 is the median of those samples. Adds `x_floor` (p50 / floor p50) and `vs_cedar`
 * (cedar p50 / p50) to each result. `log` gets one progress line per case.
 */
export async function measureCases(cases, opts = FULL, log = () => {}, rounds = 1, floorEvery = 8) {
  const floorCase = cases.find((c) => c.group === 'floor');
  if (!floorCase) throw new Error('no floor case');
  const floors = [];
  const perCase = new Map(cases.map((c) => [c, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const [i, c] of cases.entries()) {
      if (i % floorEvery === 0 && c !== floorCase) floors.push((await measure(floorCase.fn, opts)).p50_ns);
      const r = await measure(c.fn, { ...opts, isAsync: !!c.isAsync });
      if (c === floorCase) floors.push(r.p50_ns);
      perCase.get(c).push(r);
      log(`[${round}/${rounds}] ${c.id.padEnd(44)} p50 ${fmt(r.p50_ns).padStart(10)}  p99 ${fmt(r.p99_ns).padStart(10)}  (${r.batch_size} × ${r.batches})`);
    }
  }
  floors.push((await measure(floorCase.fn, opts)).p50_ns);
  const floorP50 = percentile([...floors].sort((a, b) => a - b), 50);
  const results = cases.map((c) => {
    const runs = perCase.get(c);
    const byP50 = [...runs].sort((a, b) => a.p50_ns - b.p50_ns);
    const median = byP50[(byP50.length - 1) >> 1];
    const { fn: _fn, isAsync: _a, verify: _v, ...meta } = c;
    return {
      ...meta,
      ...median,
      round_p50_ns: runs.map((r) => r.p50_ns),
      noise: byP50[byP50.length - 1].p50_ns / byP50[0].p50_ns,
    };
  });
  const cedar = results.find((x) => x.group === 'cedar');
  for (const x of results) {
    x.x_floor = x.p50_ns / floorP50;
    x.vs_cedar = cedar ? cedar.p50_ns / x.p50_ns : undefined;
  }
  return { results, floor: { p50_ns: floorP50, samples_p50_ns: floors } };
}

function fmt(ns) {
  return ns < 1_000 ? `${ns.toFixed(0)} ns` : ns < 1_000_000 ? `${(ns / 1_000).toFixed(2)} µs` : `${(ns / 1e6).toFixed(2)} ms`;
}
