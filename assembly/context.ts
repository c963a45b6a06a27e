// State of the evaluation in progress, kept in globals: the core never allocates managed objects,
// so the host owns all memory above the heap base.
export let PB: usize = 0; // compiled policy base
export let IB: usize = 0; // encoded intent base

export function setBuffers(policy: usize, intent: usize): void {
  PB = policy;
  IB = intent;
}

// The single intent, or script step, being evaluated.
export let subjTool: i32 = 0;
export let subjTargets: usize = 0; // `count, target record*`
export let subjProvenance: usize = 0; // list of source ids
export let subjCtxTool: i32 = 0;
export let subjCtxData: i32 = 0;
export let subjCtxEndpoint: i32 = 0;
export let subjCtxAutonomy: i32 = 0;

export function setSubject(
  tool: i32, targets: usize, provenance: usize,
  ctxTool: i32, ctxData: i32, ctxEndpoint: i32, ctxAutonomy: i32,
): void {
  subjTool = tool;
  subjTargets = targets;
  subjProvenance = provenance;
  subjCtxTool = ctxTool;
  subjCtxData = ctxData;
  subjCtxEndpoint = ctxEndpoint;
  subjCtxAutonomy = ctxAutonomy;
}
