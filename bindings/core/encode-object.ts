/**
 * The decision-only fast path: a parsed intent object encoded straight into the core's buffer,
 * without building the decoded (Go struct) and normalized intents first. It reads only what the
 * core needs and checks everything that could make the full path fail, so it must give exactly
 * the bytes of the full path,
 *   encodeIntent(stripContextClaims(normalizeIntent(decodeIntentValue(value))), compiled),
 * and test/core/encode-object.test.ts checks that byte for byte over the conformance corpus and
 * seeded mutations.
 *
 * It takes single intents (no script, delegation, skill provenance or relationship) made of plain
 * objects and arrays whose members are exactly the field names, with values of the field's JSON
 * kind. For anything else, including every input the full path would reject or fail closed on,
 * it returns `undefined` (it never throws) and the caller takes the full path, which produces the
 * answer or the error. Targets and provenance go through the shared normalizers (targets.ts).
 */
import type { CompiledPolicy } from './compile.js';
import { encodeSingleIntent, NO_WRKR, type EncodedIntent, type WrkrContext } from './encode.js';
import { isPlainObject } from '../intent/fast-decode.js';
import { trimLower } from '../canonical/text.js';
import { isPlainRfc3339 } from '../time.js';
import { bail, checkObject, checkString, checkStrings, contextCore, hasOwn, normalTargetsAndProvenance, str } from '../intent/plain-intent.js';

/** The four `wrkr.*` auth_context values, as encode.ts reads them after normalization. */
function wrkrOf(auth: Record<string, unknown>): WrkrContext {
  const get = (key: string): string => {
    const v = auth[key];
    if (typeof v !== 'string') return '';
    if (!v.isWellFormed()) bail(); // Go decodes lone surrogates to U+FFFD first
    return trimLower(v);
  };
  return { tool: get('wrkr.tool_name'), data: get('wrkr.data_class'), endpoint: get('wrkr.endpoint_class'), autonomy: get('wrkr.autonomy_level') };
}

interface ContextParts {
  identity: string;
  workspace: string;
  riskClass: string;
  planPhase: boolean;
  wrkr: WrkrContext;
}

function context(v: unknown): ContextParts {
  if (!isPlainObject(v)) bail(); // absent or null: identity is required
  let identity = '';
  let workspace = '';
  let risk = '';
  let phase = '';
  let setDigest = '';
  let mode = '';
  let wrkr = NO_WRKR;
  for (const key in v) {
    if (!hasOwn.call(v, key)) bail(); // inherited enumerable members: not plain JSON
    const item = v[key];
    switch (key) {
      case 'identity': identity = str(item); break;
      case 'workspace': workspace = str(item); break;
      case 'risk_class': risk = str(item); break;
      case 'phase': phase = str(item); break;
      case 'context_set_digest': setDigest = str(item); break;
      case 'context_evidence_mode': mode = str(item); break;
      case 'job_id':
      case 'session_id':
      case 'request_id':
      case 'environment_fingerprint':
        checkString(item);
        break;
      case 'credential_scopes':
      case 'context_refs':
        checkStrings(item);
        break;
      case 'auth_context':
        checkObject(item, 3);
        if (item !== null && item !== undefined) wrkr = wrkrOf(item as Record<string, unknown>);
        break;
      default:
        bail();
    }
  }
  // The set digest and evidence mode are stripped without an envelope, but still validated.
  const c = contextCore(identity, workspace, risk, phase, setDigest, mode);
  return { identity: c.identity, workspace: c.workspace, riskClass: c.riskClass, planPhase: c.phase === 'plan', wrkr };
}

function encode(value: unknown, compiled: CompiledPolicy): EncodedIntent {
  if (!isPlainObject(value)) bail();
  let tool = '';
  let targetsValue: unknown;
  let provenanceValue: unknown;
  let contextValue: unknown;
  for (const key in value) {
    if (!hasOwn.call(value, key)) bail(); // inherited enumerable members: not plain JSON
    const item = value[key];
    switch (key) {
      case 'tool_name': tool = str(item); break;
      case 'targets': targetsValue = item; break;
      case 'arg_provenance': provenanceValue = item; break;
      case 'context': contextValue = item; break;
      case 'args': checkObject(item, 2); break;
      case 'created_at':
        checkString(item);
        if (typeof item === 'string' && item !== '' && !isPlainRfc3339(item)) bail();
        break;
      case 'schema_id':
      case 'schema_version':
      case 'producer_version':
        checkString(item);
        break;
      case 'script':
      case 'delegation':
      case 'skill_provenance':
      case 'relationship':
        if (item !== null && item !== undefined) bail();
        break;
      default:
        bail();
    }
  }
  tool = trimLower(tool);
  if (tool === '') bail();
  const ctx = context(contextValue);
  const { targets, provenance } = normalTargetsAndProvenance(targetsValue, provenanceValue, tool);
  return encodeSingleIntent(
    { tool, riskClass: ctx.riskClass, identity: ctx.identity, workspace: ctx.workspace, planPhase: ctx.planPhase, wrkr: ctx.wrkr, targets, provenance },
    compiled,
  );
}

/**
 * The core's encoding of a parsed intent object, or `undefined` when the full path must handle
 * it. Never throws. The bytes are valid until the next encode (encode.ts reuses its buffer).
 */
export function encodeIntentObject(value: unknown, compiled: CompiledPolicy): EncodedIntent | undefined {
  try {
    return encode(value, compiled);
  } catch {
    return undefined; // FALLBACK, or e.g. a throwing getter: the full path raises it again
  }
}
