/** The summary tables of a V8 .cpuprofile (bench/profile.mjs, bench/mcp-serve-profile.mjs). */

/** Self, inclusive and per-file time from a .cpuprofile, restricted to samples under the loop. */
export function summarise(profile, calls, windowStart, windowEnd, unit = 'µs/call', phases = []) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n) => {
    const cf = n.callFrame;
    const url = cf.url.replace(/^file:\/\/.*?\/(dist|node_modules)\//, '$1/').replace(/^file:\/\/.*\/bench\//, 'bench/');
    return `${cf.functionName || '(anonymous)'} ${url ? `${url}:${cf.lineNumber + 1}` : '(native)'}`;
  };
  const fileOf = (n) => {
    const url = n.callFrame.url;
    if (!url) return n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : '(native / V8 builtins)';
    return url.replace(/^file:\/\/.*?\/(dist|node_modules)\//, '$1/').replace(/^file:\/\/.*\/bench\//, 'bench/');
  };
  // Time per node, from the samples inside the loop's window only.
  const self = new Map();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < windowStart || at > windowEnd) continue;
    const id = profile.samples[i];
    const dt = profile.timeDeltas[i + 1] ?? 0; // a sample's duration is the gap to the next one
    self.set(id, (self.get(id) ?? 0) + dt);
  }
  const stack = (id) => {
    const out = [];
    for (let at = id; at !== undefined; at = parent.get(at)) out.push(byId.get(at));
    return out;
  };
  let total = 0;
  const selfByFn = new Map();
  const selfByFile = new Map();
  const inclusive = new Map();
  const byPhase = new Map(phases.map(([label]) => [label, 0]));
  for (const [id, t] of self) {
    const nodes = stack(id);
    const leaf = nodes[0];
    total += t;
    const frames = nodes.map((n) => n.callFrame);
    const phase = phases.find(([, test]) => test(frames));
    if (phase) byPhase.set(phase[0], byPhase.get(phase[0]) + t);
    selfByFn.set(key(leaf), (selfByFn.get(key(leaf)) ?? 0) + t);
    selfByFile.set(fileOf(leaf), (selfByFile.get(fileOf(leaf)) ?? 0) + t);
    const seen = new Set();
    for (const n of nodes) {
      const k = key(n);
      if (seen.has(k)) continue; // recursion counts once
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + t);
    }
  }
  const pct = (t) => ((100 * t) / total).toFixed(1);
  // timeDeltas are µs: per call for a loop, or ms of the one process.
  const perCall = (t) => (unit === 'ms' ? (t / 1000).toFixed(1) : (t / calls).toFixed(2));
  const table = (title, map, limit, col) => [
    `## ${title}`,
    '',
    `| % | ${unit} | ${col} |`,
    '|---:|---:|---|',
    ...[...map].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([k, t]) => `| ${pct(t)} | ${perCall(t)} | \`${k}\` |`),
    '',
  ];
  const inclusiveShown = new Map([...inclusive].filter(([k]) => !k.includes('bench/profile.mjs') && !k.startsWith('(root)')));
  return [
    unit === 'ms' ? `Sampled time: ${(total / 1000).toFixed(0)} ms.` : `Sampled loop time: ${(total / 1000).toFixed(0)} ms = ${perCall(total)} µs/call.`,
    '',
    ...(phases.length ? table('Phases', byPhase, phases.length, 'phase') : []),
    ...table('Top functions by self time', selfByFn, 30, 'function (file:line)'),
    ...table('Top functions by inclusive time', inclusiveShown, 30, 'function (file:line)'),
    ...table('Self time by source file', selfByFile, 20, 'file'),
  ];
}
