// The policy workbench: edit a policy and an intent (or a tool call), see the gate's decision live,
// mint and use approval tokens, verify artifacts, simulate a policy change. Everything runs on the
// package's browser build in this page; nothing is fetched after core.wasm.
import {
  init, createGate, parsePolicyYaml, formatPolicy, enforce, approvalContext, mintApprovalToken, serializeApprovalToken,
  parseApprovalToken, validateApprovalToken, generateKeyPair, keyId, encodePublicKey, parsePublicKey, verifyTrace,
  serializeTrace, simulatePolicies, policyErrorPosition, ruleLineRange, RUNTIME_ENTRY,
} from '../dist/bundle/browser.js';
import { POLICIES, INTENTS } from 'gait:examples';
import { lineEditor } from './editor.js';
import { encodeState, decodeState } from './share.js';
import { TOOL_CALLS } from './tool-calls.js';

const $ = (id) => document.getElementById(id);
const DEFAULT_POLICY = 'gait/policy/base_medium_risk.yaml';
const DEFAULT_INTENT = 'gait/policy/intents/intent_write.json';
const message = (err) => (err instanceof Error ? err.message : String(err));
const list = (items) => (items && items.length ? items.join(', ') : '–');

const policyEditor = lineEditor($('policy'), $('policy-gutter'), $('policy-marks'));
let gate; // the gate for the policy text in the editor, or undefined when it does not parse
let gateText;
let evaluation; // the last evaluation: { verdict, intent, policyDigest, intentDigest, prepared }
let keys; // { privateKey, publicKey } made in this page
let fixtures = []; // [{ path, text }]

function option(select, value, label = value) {
  select.append(new Option(label, value));
}

function showError(id, text) {
  $(id).hidden = !text;
  $(id).textContent = text ?? '';
}

function setVerdict(el, verdict) {
  el.dataset.verdict = verdict;
  el.textContent = verdict || '–';
}

// ---- policy ---------------------------------------------------------------------------------

function loadPolicy() {
  const text = $('policy').value;
  if (text === gateText) return;
  gateText = text;
  gate?.dispose();
  gate = undefined;
  policyEditor.clear('hit');
  try {
    gate = createGate(parsePolicyYaml(text));
    $('policy-digest').textContent = gate.policyDigest;
    showError('policy-error');
    policyEditor.clear('err');
  } catch (err) {
    const at = policyErrorPosition(err, text);
    showError('policy-error', at ? `Line ${at.line}, column ${at.col}: ${message(err)}` : message(err));
    $('policy-digest').textContent = '–';
    if (at) policyEditor.mark('err', at.line);
    else policyEditor.clear('err');
  }
}

function formatCurrentPolicy() {
  try {
    $('policy').value = formatPolicy(parsePolicyYaml($('policy').value));
    changed();
  } catch (err) {
    loadPolicy(); // shows the error where it is
  }
}

// ---- intent ---------------------------------------------------------------------------------

function intentExamples(format) {
  if (format === 'intent') return INTENTS.map((f) => [f.path, f.text]);
  return Object.entries(TOOL_CALLS[format]).map(([name, call]) => [name, JSON.stringify(call, null, 2) + '\n']);
}

function fillIntentExamples(selected) {
  const select = $('intent-example');
  select.replaceChildren();
  const examples = intentExamples($('intent-format').value);
  for (const [name] of examples) option(select, name);
  select.value = examples.some(([n]) => n === selected) ? selected : examples[0][0];
}

function pickIntentExample() {
  const found = intentExamples($('intent-format').value).find(([n]) => n === $('intent-example').value);
  if (found) $('intent').value = found[1];
  changed();
}

/** Evaluates the intent (or tool call) with the current gate; returns what the panels show. */
async function evaluateIntent() {
  const format = $('intent-format').value;
  const text = $('intent').value;
  if (format === 'intent') {
    const e = gate.evaluate(text);
    return {
      verdict: e.result.verdict, reason_codes: e.result.reason_codes, violations: e.result.violations, matched_rule: e.matched_rule,
      intent: text, prepared: e.prepared, policyDigest: e.policy_digest, intentDigest: e.intent_digest, json: e.result,
    };
  }
  const r = await gate.evaluateToolCall(text, { adapter: format, signingKey: keys?.privateKey });
  const o = r.output;
  return {
    verdict: o.verdict, reason_codes: o.reason_codes ?? [], violations: o.violations ?? [], matched_rule: o.matched_rule_ids?.[0] ?? '',
    intent: r.intent, prepared: r.intent, policyDigest: o.policy_digest ?? gate.policyDigest, intentDigest: o.intent_digest ?? '', json: o,
  };
}

let run = 0;
async function decide() {
  const mine = ++run;
  loadPolicy();
  policyEditor.clear('hit');
  if (!gate) {
    evaluation = undefined;
    return showDecision({ verdict: 'error' }, 'fix the policy first');
  }
  let e;
  try {
    e = await evaluateIntent();
  } catch (err) {
    if (mine !== run) return;
    evaluation = undefined;
    return showDecision({ verdict: 'error' }, message(err));
  }
  if (mine !== run) return;
  evaluation = e;
  showDecision(e);
  const lines = e.matched_rule ? ruleLineRange($('policy').value, e.matched_rule) : undefined;
  if (lines) policyEditor.mark('hit', lines.start, lines.end);
}

function showDecision(e, error) {
  setVerdict($('verdict'), e.verdict);
  showError('intent-error', error);
  $('reason-codes').textContent = list(e.reason_codes);
  $('violations').textContent = list(e.violations);
  $('matched-rule').textContent = e.matched_rule || '–';
  $('intent-digest').textContent = e.intentDigest || '–';
  $('result-json').textContent = e.json ? JSON.stringify(e.json, null, 2) : '';
}

// ---- approvals ------------------------------------------------------------------------------

function newKeys() {
  keys = generateKeyPair();
  $('key-id').textContent = keyId(keys.publicKey);
  $('public-key').value = encodePublicKey(keys.publicKey);
}

async function mint() {
  showError('approval-error');
  try {
    if (!evaluation?.prepared) throw new Error('the current intent has no decision to approve');
    const context = approvalContext(evaluation.prepared, evaluation.policyDigest);
    const token = await mintApprovalToken({
      intentDigest: context.intentDigest, policyDigest: context.policyDigest, delegationBindingDigest: context.delegationBindingDigest,
      scope: context.requiredScope, ttl: $('ttl').value, approver: $('approver').value, reasonCode: $('approval-reason').value,
      now: new Date(), privateKey: keys.privateKey,
    });
    $('token').value = serializeApprovalToken(token);
  } catch (err) {
    showError('approval-error', message(err));
  }
}

async function decideWithToken() {
  showError('approval-error');
  setVerdict($('approved-verdict'), '');
  $('approved-reasons').textContent = '';
  try {
    if (!gate || !evaluation) throw new Error('the policy and intent must evaluate first');
    const r = await enforce(gate, evaluation.intent, {
      approval: { tokens: $('token').value.trim() ? [$('token').value] : [], verifyKey: keys.publicKey },
      signingKey: keys.privateKey,
    });
    setVerdict($('approved-verdict'), r.result.verdict);
    $('approved-reasons').textContent = list(r.result.reason_codes);
    const link = $('trace-download');
    if (link.href) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(new Blob([serializeTrace(r.trace)], { type: 'application/json' }));
    link.hidden = false;
    $('artifact').value = serializeTrace(r.trace);
  } catch (err) {
    setVerdict($('approved-verdict'), 'error');
    showError('approval-error', message(err));
  }
}

async function verifyArtifact() {
  const out = $('verify-result');
  try {
    const publicKey = parsePublicKey($('public-key').value);
    const text = $('artifact').value;
    const schema = JSON.parse(text)?.schema_id;
    if (schema === 'gait.gate.approval_token') {
      const v = await validateApprovalToken(parseApprovalToken(text), {}, publicKey, new Date());
      out.textContent = v.ok ? `approval token verified (key ${keyId(publicKey)})` : `approval token not valid: ${v.code}: ${v.reason}`;
    } else {
      const v = await verifyTrace(text, publicKey);
      out.textContent = v.ok ? `trace verified (verdict ${v.verdict}, key ${v.key_id})` : `trace not verified: ${v.error ?? 'signature verification failed'}`;
    }
    out.dataset.ok = String(out.textContent.includes('verified') && !out.textContent.includes('not'));
  } catch (err) {
    out.textContent = `cannot verify: ${message(err)}`;
    out.dataset.ok = 'false';
  }
}

// ---- simulate -------------------------------------------------------------------------------

async function readFiles(files) {
  const json = [...files].filter((f) => f.name.toLowerCase().endsWith('.json'));
  return Promise.all(json.map(async (f) => ({ path: f.webkitRelativePath || f.name, text: await f.text() })));
}

/** Files and folders dropped on `el` (folders walked with the entries API). */
async function droppedFiles(items) {
  const files = [];
  const walk = async (entry, prefix) => {
    if (entry.isFile) {
      const file = await new Promise((ok, fail) => entry.file(ok, fail));
      if (file.name.toLowerCase().endsWith('.json')) files.push({ path: prefix + file.name, text: await file.text() });
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((ok, fail) => reader.readEntries(ok, fail));
        if (batch.length === 0) break;
        for (const e of batch) await walk(e, `${prefix}${entry.name}/`);
      }
    }
  };
  const entries = [...items].map((i) => i.webkitGetAsEntry?.()).filter(Boolean);
  for (const e of entries) await walk(e, '');
  // Items without entries (files put on the drag by a script): read them as plain files.
  if (entries.length === 0) return readFiles([...items].map((i) => i.getAsFile()).filter(Boolean));
  return files;
}

function setFixtures(list) {
  fixtures = list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  $('fixture-count').textContent = fixtures.length ? `${fixtures.length} fixture(s) loaded.` : 'No fixtures.';
}

/** `allow→block`, or what changed when the verdict did not. */
function changeText(c) {
  if (c.baseline_verdict !== c.candidate_verdict) return `${c.baseline_verdict}→${c.candidate_verdict}`;
  const same = (a = [], b = []) => a.join('\n') === b.join('\n');
  const what = [];
  if (!same(c.baseline_reason_codes, c.candidate_reason_codes)) what.push('reason codes');
  if (!same(c.baseline_violations, c.candidate_violations)) what.push('violations');
  if ((c.baseline_matched_rule ?? '') !== (c.candidate_matched_rule ?? '')) what.push('matched rule');
  return `${c.candidate_verdict}; ${what.join(', ')} changed`;
}

async function simulate() {
  const summary = $('simulate-summary');
  const table = $('simulate-table');
  table.hidden = true;
  try {
    loadPolicy();
    if (!gate) throw new Error('the candidate policy (the editor) does not parse');
    if (fixtures.length === 0) throw new Error('add intent fixtures first');
    const baselineText = POLICIES.find((p) => p.path === $('baseline').value)?.text ?? '';
    const baseline = createGate(baselineText);
    let report;
    try {
      const byPath = new Map(fixtures.map((f) => [f.path, f.text]));
      report = await simulatePolicies(baseline, gate, fixtures.map((f) => f.path), (p) => byPath.get(p));
    } finally {
      baseline.dispose();
    }
    summary.textContent = report.summary;
    const rows = (report.changed ?? []).map((c) => {
      const tr = document.createElement('tr');
      const cells = [c.fixture_path, c.baseline_verdict, c.candidate_verdict, changeText(c), c.candidate_matched_rule ?? '–'];
      for (const text of cells) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    });
    table.tBodies[0].replaceChildren(...rows);
    table.hidden = rows.length === 0;
  } catch (err) {
    summary.textContent = `simulation failed: ${message(err)}`;
  }
}

// ---- state and wiring -----------------------------------------------------------------------

function state() {
  return { policy: $('policy').value, format: $('intent-format').value, intent: $('intent').value, baseline: $('baseline').value };
}

// Decides again shortly after the last edit; `data-busy` on <body> is there until it has.
let pending;
function changed() {
  policyEditor.refresh();
  clearTimeout(pending);
  document.body.dataset.busy = 'true';
  pending = setTimeout(async () => {
    await decide();
    history.replaceState(null, '', await encodeState(state()));
    delete document.body.dataset.busy;
  }, 120);
}

async function share() {
  const url = location.href.split('#')[0] + (await encodeState(state()));
  history.replaceState(null, '', url);
  try {
    await navigator.clipboard.writeText(url);
    $('status').textContent = 'Share link copied to the clipboard.';
  } catch {
    $('status').textContent = 'The address bar holds the share link (the whole state).';
  }
}

function dropTarget(el, onFiles) {
  el.addEventListener('dragover', (ev) => {
    ev.preventDefault();
    el.classList.add('over');
  });
  el.addEventListener('dragleave', () => el.classList.remove('over'));
  el.addEventListener('drop', async (ev) => {
    ev.preventDefault();
    el.classList.remove('over');
    onFiles(await droppedFiles(ev.dataTransfer.items));
  });
}

async function start() {
  for (const p of POLICIES) {
    option($('policy-example'), p.path);
    option($('baseline'), p.path);
  }
  $('baseline').value = 'policy_templates/baseline-highrisk.yaml';
  // The address's state first, then files `gait ui --policy/--intent` put in the page, then the defaults.
  const preload = JSON.parse($('preload')?.textContent || '{}');
  const saved = (await decodeState(location.hash)) ?? preload;
  $('policy-example').value = DEFAULT_POLICY;
  $('policy').value = saved?.policy ?? POLICIES.find((p) => p.path === DEFAULT_POLICY).text;
  $('intent-format').value = TOOL_CALLS[saved?.format] || saved?.format === 'intent' ? saved.format : 'intent';
  fillIntentExamples(DEFAULT_INTENT);
  $('intent').value = saved?.intent ?? INTENTS.find((f) => f.path === DEFAULT_INTENT).text;
  if (saved?.baseline && POLICIES.some((p) => p.path === saved.baseline)) $('baseline').value = saved.baseline;

  $('policy').addEventListener('input', changed);
  $('intent').addEventListener('input', changed);
  $('policy-example').addEventListener('change', () => {
    $('policy').value = POLICIES.find((p) => p.path === $('policy-example').value).text;
    changed();
  });
  $('intent-format').addEventListener('change', () => {
    fillIntentExamples();
    pickIntentExample();
  });
  $('intent-example').addEventListener('change', pickIntentExample);
  $('fmt').addEventListener('click', formatCurrentPolicy);
  $('share').addEventListener('click', share);
  $('new-key').addEventListener('click', newKeys);
  $('mint').addEventListener('click', mint);
  $('decide-with-token').addEventListener('click', decideWithToken);
  $('verify').addEventListener('click', verifyArtifact);
  $('simulate').addEventListener('click', simulate);
  $('baseline').addEventListener('change', changed);
  $('fixture-files').addEventListener('change', async (ev) => setFixtures(await readFiles(ev.target.files)));
  $('fixture-folder').addEventListener('change', async (ev) => setFixtures(await readFiles(ev.target.files)));
  $('bundled-fixtures').addEventListener('click', () => setFixtures(INTENTS.map((f) => ({ ...f }))));
  dropTarget($('drop-zone'), setFixtures);
  dropTarget($('artifact'), (files) => {
    if (files[0]) $('artifact').value = files[0].text;
  });
  newKeys();

  const t0 = performance.now();
  await init(new URL('./core.wasm', import.meta.url));
  $('status').textContent = `Engine ready (${RUNTIME_ENTRY} build, ${(performance.now() - t0).toFixed(0)} ms). Edit the policy or the intent: the decision updates as you type.`;
  policyEditor.refresh();
  await decide();
  document.body.dataset.ready = 'true';
}

start().catch((err) => {
  $('status').textContent = `The workbench failed to start: ${message(err)}`;
  $('status').dataset.error = 'true';
});
