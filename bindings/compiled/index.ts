/** Compiled policies: compile (needs the YAML parser) and load (does not). */
export { compilePolicy, type CompilePolicyOptions } from './compile.js';
export { isLoadedCompiledPolicy, type LoadCompiledPolicyOptions, type LoadedCompiledPolicy } from './load.js';
export { loadCompiledPolicy } from './load-sync.js';
export { verifyCompiledPolicy } from './verify.js';
export { CompiledPolicyError, FORMAT_VERSION as COMPILED_POLICY_FORMAT_VERSION, type CompiledPolicyErrorCode } from './format.js';
