/** The OAuth boundary check (mcp.md §7.3): the auth mode, and under oss-prod the OAuth evidence. */
import { invalidInput } from '../errors.js';
import { goTrim } from '../canonical/text.js';
import { parseRfc3339 } from '../time.js';
import { treeFromValue } from '../intent/json-tree.js';
import { goDecode, type RawJson } from '../intent/go-decode.js';
import { OAUTH_EVIDENCE_TYPE, type ToolCall, type ToolCallOAuthEvidence } from './tool-call.js';

const PASS_MODES = new Set(['off', 'none', 'token']);

/** The evidence given inside `auth_context.oauth_evidence`, when it decodes as one. */
function authContextEvidence(value: RawJson | undefined): ToolCallOAuthEvidence | undefined {
  if (value === undefined || value === null) return undefined;
  try {
    const tree = treeFromValue(value, 64, 'exceeded max depth');
    return tree ? ((goDecode(tree, OAUTH_EVIDENCE_TYPE) as ToolCallOAuthEvidence | null) ?? undefined) : undefined;
  } catch {
    return undefined;
  }
}

const blank = (s: string): boolean => goTrim(s) === '';
const noEntry = (list: readonly string[]): boolean => !list.some((s) => !blank(s));

/** Throws GaitError (invalid_input) with Gait's message when the call fails the check. */
export function checkOAuthBoundary(call: ToolCall, profile: string): void {
  const ctx = call.context;
  let mode = goTrim(ctx.auth_mode).toLowerCase();
  if (mode === '') {
    const fromContext = ctx.auth_context?.get('oauth_mode');
    if (typeof fromContext === 'string') mode = goTrim(fromContext.toLowerCase());
  }
  if (mode === '') {
    if (!ctx.oauth_evidence) return;
    mode = 'oauth';
  }
  if (PASS_MODES.has(mode)) return;
  if (mode !== 'oauth' && mode !== 'oauth_dcr') throw invalidInput('context.auth_mode must be one of off|none|token|oauth|oauth_dcr');
  if (goTrim(profile).toLowerCase() !== 'oss-prod') return;
  const evidence = ctx.oauth_evidence ?? authContextEvidence(ctx.auth_context?.get('oauth_evidence'));
  if (!evidence) throw invalidInput('oss-prod with OAuth auth mode requires context.oauth_evidence');
  const missing: string[] = [];
  if (blank(evidence.issuer)) missing.push('issuer');
  if (noEntry(evidence.audience)) missing.push('audience');
  if (blank(evidence.subject)) missing.push('subject');
  if (blank(evidence.client_id)) missing.push('client_id');
  if (blank(evidence.token_type)) missing.push('token_type');
  if (noEntry(evidence.scopes)) missing.push('scopes');
  if (blank(evidence.redirect_uri)) missing.push('redirect_uri');
  if (blank(evidence.evidence_ref)) missing.push('evidence_ref');
  if (mode === 'oauth_dcr') {
    if (blank(evidence.dcr_client_id)) missing.push('dcr_client_id');
    if (blank(evidence.token_binding)) missing.push('token_binding');
  }
  if (blank(evidence.auth_time)) missing.push('auth_time');
  else {
    try {
      parseRfc3339(goTrim(evidence.auth_time));
    } catch {
      throw invalidInput('context.oauth_evidence.auth_time must be RFC3339');
    }
  }
  if (missing.length > 0) throw invalidInput(`missing OAuth evidence fields: ${missing.join(', ')}`);
}
