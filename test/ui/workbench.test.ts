// The policy workbench (dist/ui/, built by `npm run build`) in real Chromium (playwright-core),
// served as `gait ui` serves it (createUiHandler on loopback). Every feature is driven by clicks
// and typing; screenshots go to test-artifacts/ui/. The page must log no console errors, make no
// request after it is ready, be usable from the keyboard and pass axe-core's checks.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, ROOT } from '../runtimes/runtimes.mjs';
import { serveStatic } from '../runtimes/server.mjs';
import { createUiHandler } from '../../bindings/ui-lib/site.js';
import { packageUiFileReader } from '../../bindings/ui-lib/site-node.js';
import { serveFetchHandler, type NodeFetchServer } from '../../bindings/mcp/serve-node.js';
import { createGate, formatPolicy, parsePolicyYaml, simulatePolicies, init } from '../../bindings/load/node.js';

const UI = join(ROOT, 'dist/ui');
const ARTIFACTS = join(ROOT, 'test-artifacts/ui');
const INTENTS = join(ROOT, 'examples/gait/policy/intents');
const MEDIUM = join(ROOT, 'examples/gait/policy/base_medium_risk.yaml');

let chromium: { context: BrowserContext; close(): Promise<void> };
let server: NodeFetchServer;
let url: string;
let page: Page;
const consoleErrors: string[] = [];
const requests: Array<{ url: string; afterReady: boolean }> = [];
let ready = false;

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const text = (sel: string) => page.locator(sel).innerText();
/** Waits until the live decision shows `verdict`. */
const verdictIs = (verdict: string) =>
  page.waitForFunction((v) => !document.body.dataset.busy && document.getElementById('verdict')?.dataset.verdict === v, verdict, { timeout: 10_000 });
/** Lines of `rule` in `policyText` (1-based, inclusive), found by hand to check the page's highlight. */
function ruleLines(policyText: string, rule: string): [number, number] {
  const lines = policyText.split('\n');
  const start = lines.findIndex((l) => l.includes(`name: ${rule}`)) + 1;
  let end = start;
  while (end < lines.length && !/^\s*- name:/.test(lines[end]!) && lines[end]!.trim() !== '') end++;
  return [start, end];
}
const highlighted = () => page.$$eval('#policy-gutter .hit', (els) => els.map((e) => Number((e as HTMLElement).dataset.line)));

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await init();
  server = await serveFetchHandler(createUiHandler({ readFile: packageUiFileReader(ROOT) }), { host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${server.address.port}/`;
  chromium = await launchChromium();
  page = chromium.context.pages()[0] ?? (await chromium.context.newPage());
  await page.setViewportSize({ width: 1440, height: 900 });
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('request', (r) => requests.push({ url: r.url(), afterReady: ready }));
  await page.goto(url);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
  ready = true;
}, 90_000);

afterAll(async () => {
  await chromium?.close();
  await server?.close(100);
});

describe('the policy workbench in Chromium', () => {
  it('opens on the default example: a write that needs approval, its rule highlighted', async () => {
    await verdictIs('require_approval');
    expect(await text('#reason-codes')).toBe('approval_required_for_write');
    expect(await text('#violations')).toBe('approval_required');
    expect(await text('#matched-rule')).toBe('require-approval-tool-write');
    const policy = readFileSync(MEDIUM, 'utf8');
    expect(await page.inputValue('#policy')).toBe(policy);
    const [start, end] = ruleLines(policy, 'require-approval-tool-write');
    expect(await highlighted()).toEqual(Array.from({ length: end - start + 1 }, (_, i) => start + i));
    const gate = createGate(policy);
    expect(await text('#policy-digest')).toBe(gate.policyDigest);
    expect(await text('#intent-digest')).toMatch(/^[0-9a-f]{64}$/);
    await shot('default');
    await page.screenshot({ path: join(ARTIFACTS, 'default-viewport.png') }); // docs/ui.png is a copy
  });

  it('reports policy errors at their line and column as you type, and formats with fmt', async () => {
    await page.click('#policy');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nextra_key: [1');
    await page.waitForFunction(() => !document.getElementById('policy-error')!.hidden);
    const broken = await page.inputValue('#policy');
    let expected = '';
    try {
      parsePolicyYaml(broken);
    } catch (err) {
      expected = (err as Error).message;
    }
    const [, line, col] = /\[(\d+):(\d+)\]/.exec(expected)!;
    expect(await text('#policy-error')).toBe(`Line ${line}, column ${col}: ${expected}`);
    expect(await page.$$eval('#policy-gutter .err', (els) => els.map((e) => (e as HTMLElement).dataset.line))).toEqual([line]);
    expect(await page.getAttribute('#verdict', 'data-verdict')).toBe('error');
    await shot('policy-error');

    // A validation error without a position points at the rule it names.
    await page.fill('#policy', 'default_verdict: allow\nrules:\n  - name: first\n    effect: allow\n  - name: second\n    effect: bogus\n');
    await page.waitForFunction(() => document.getElementById('policy-error')!.textContent!.startsWith('Line 5,'));
    expect(await text('#policy-error')).toBe('Line 5, column 1: invalid rule effect "bogus" for second');

    // fmt: the library's canonical form, digest unchanged.
    const messy = 'rules: [{name: b, effect: block, priority: 5, match: {tool_names: [Tool.Delete]}}]\ndefault_verdict:   allow\n';
    await page.fill('#policy', messy);
    await page.waitForFunction(() => document.getElementById('policy-error')!.hidden);
    const digest = await text('#policy-digest');
    await page.click('#fmt');
    expect(await page.inputValue('#policy')).toBe(formatPolicy(parsePolicyYaml(messy)));
    await page.waitForFunction((d) => document.getElementById('policy-digest')!.textContent === d, digest);
    await shot('fmt');
  });

  it('loads a template, and the examples of every tool-call format decide', { timeout: 90_000 }, async () => {
    await page.selectOption('#policy-example', 'policy_templates/baseline-highrisk.yaml');
    expect(await page.inputValue('#policy')).toBe(readFileSync(join(ROOT, 'examples/policy_templates/baseline-highrisk.yaml'), 'utf8'));
    await page.selectOption('#policy-example', 'gait/policy/base_medium_risk.yaml');
    const gate = createGate(readFileSync(MEDIUM, 'utf8'));
    for (const format of ['mcp', 'openai', 'anthropic', 'claude_code', 'langchain']) {
      await page.selectOption('#intent-format', format);
      const names = await page.$$eval('#intent-example option', (os) => os.map((o) => (o as HTMLOptionElement).value));
      for (const name of names) {
        await page.selectOption('#intent-example', name);
        const call = await page.inputValue('#intent');
        const expected = (await gate.evaluateToolCall(call, { adapter: format })).output;
        const shown = { verdict: expected.verdict, rule: expected.matched_rule_ids?.[0] ?? '–', reasons: expected.reason_codes?.join(', ') || '–' };
        await page.waitForFunction((want) =>
          !document.body.dataset.busy &&
          document.getElementById('verdict')!.dataset.verdict === want.verdict &&
          document.getElementById('matched-rule')!.textContent === want.rule &&
          document.getElementById('reason-codes')!.textContent === want.reasons, shown, { timeout: 10_000 });
      }
    }
    await page.selectOption('#intent-format', 'openai');
    await page.selectOption('#intent-example', 'delete a file');
    await verdictIs('block');
    await shot('tool-call-openai');
    await page.selectOption('#intent-format', 'intent');
  });

  it('the first-minute path: a blocked tool.delete, then an approved write, then verification', async () => {
    await page.selectOption('#policy-example', 'gait/policy/base_medium_risk.yaml');
    await page.selectOption('#intent-example', 'gait/policy/intents/intent_delete.json');
    await verdictIs('block');
    expect(await text('#reason-codes')).toBe('destructive_apply_requires_approval, destructive_tool_blocked');
    const [start, end] = ruleLines(readFileSync(MEDIUM, 'utf8'), 'block-destructive-tool-delete');
    expect(await highlighted()).toEqual(Array.from({ length: end - start + 1 }, (_, i) => start + i));
    await shot('blocked-delete');

    await page.selectOption('#intent-example', 'gait/policy/intents/intent_write.json');
    await verdictIs('require_approval');
    await page.click('#decide-with-token'); // no token yet: still needs approval
    await page.waitForFunction(() => document.getElementById('approved-verdict')!.dataset.verdict === 'require_approval');
    await page.click('#mint');
    await page.waitForFunction(() => (document.getElementById('token') as HTMLTextAreaElement).value.includes('gait.gate.approval_token'));
    const token = JSON.parse(await page.inputValue('#token'));
    expect(token.scope).toEqual(['tool:tool.write']);
    expect(token.intent_digest).toBe(await text('#intent-digest'));
    expect(token.policy_digest).toBe(await text('#policy-digest'));
    await page.click('#decide-with-token');
    await page.waitForFunction(() => document.getElementById('approved-verdict')!.dataset.verdict === 'allow');
    expect(await text('#approved-reasons')).toContain('approval_granted');
    await shot('approved-write');

    // The signed trace of that decision verifies with the page's public key; a changed one does not.
    await page.click('#verify');
    await page.waitForFunction(() => document.getElementById('verify-result')!.dataset.ok === 'true');
    expect(await text('#verify-result')).toMatch(/^trace verified \(verdict allow, key [0-9a-f]+\)$/);
    const trace = await page.inputValue('#artifact');
    await page.fill('#artifact', trace.replace('"verdict": "allow"', '"verdict": "block"'));
    await page.click('#verify');
    await page.waitForFunction(() => document.getElementById('verify-result')!.dataset.ok === 'false');
    // The token verifies too; under another key it does not.
    await page.fill('#artifact', await page.inputValue('#token'));
    await page.click('#verify');
    await page.waitForFunction(() => document.getElementById('verify-result')!.textContent!.startsWith('approval token verified'));
    await page.click('#new-key');
    await page.click('#verify');
    await page.waitForFunction(() => document.getElementById('verify-result')!.textContent!.startsWith('approval token not valid: approval_token_signature_invalid'));
  });

  it('approves a tool call too (MCP format), and verifies a trace dropped as a file, offline', async () => {
    await chromium.context.setOffline(true);
    await page.selectOption('#policy-example', 'gait/policy/base_medium_risk.yaml');
    await page.selectOption('#intent-format', 'mcp');
    await page.selectOption('#intent-example', 'write a file');
    await verdictIs('require_approval');
    await page.click('#mint');
    await page.waitForFunction(() => (document.getElementById('token') as HTMLTextAreaElement).value.includes('"tool:tool.write"'));
    await page.click('#decide-with-token');
    await page.waitForFunction(() => document.getElementById('approved-verdict')!.dataset.verdict === 'allow');
    const trace = await page.inputValue('#artifact');
    await page.fill('#artifact', '');
    const dataTransfer = await page.evaluateHandle((content) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], 'trace.json', { type: 'application/json' }));
      return dt;
    }, trace);
    await page.dispatchEvent('#artifact', 'drop', { dataTransfer });
    await page.waitForFunction(() => (document.getElementById('artifact') as HTMLTextAreaElement).value.includes('gait.gate.trace'));
    await page.click('#verify');
    await page.waitForFunction(() => document.getElementById('verify-result')!.dataset.ok === 'true');
    await page.selectOption('#intent-format', 'intent');
    await chromium.context.setOffline(false);
  });

  it('simulates a baseline against the edited policy over dropped fixture files and a folder', async () => {
    await page.selectOption('#policy-example', 'gait/policy/base_medium_risk.yaml');
    await page.selectOption('#baseline', 'gait/policy/base_high_risk.yaml');
    const files = readdirSync(INTENTS).sort().map((f) => join(INTENTS, f));
    await page.setInputFiles('#fixture-files', files);
    await page.waitForFunction((n) => document.getElementById('fixture-count')!.textContent === `${n} fixture(s) loaded.`, files.length);
    await page.click('#simulate');
    await page.waitForFunction(() => document.getElementById('simulate-summary')!.textContent!.startsWith('policy simulate'));

    const baseline = createGate(readFileSync(join(ROOT, 'examples/gait/policy/base_high_risk.yaml'), 'utf8'));
    const candidate = createGate(readFileSync(MEDIUM, 'utf8'));
    const names = files.map((f) => f.slice(INTENTS.length + 1));
    const report = await simulatePolicies(baseline, candidate, names, (n) => readFileSync(join(INTENTS, n), 'utf8'));
    expect(await text('#simulate-summary')).toBe(report.summary);
    const rows = await page.$$eval('#simulate-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    const change = (c: NonNullable<typeof report.changed>[number]) =>
      c.baseline_verdict !== c.candidate_verdict
        ? `${c.baseline_verdict}→${c.candidate_verdict}`
        : `${c.candidate_verdict}; ${[
          String(c.baseline_reason_codes) !== String(c.candidate_reason_codes) && 'reason codes',
          String(c.baseline_violations) !== String(c.candidate_violations) && 'violations',
          c.baseline_matched_rule !== c.candidate_matched_rule && 'matched rule',
        ].filter(Boolean).join(', ')} changed`;
    expect(rows).toEqual((report.changed ?? []).map((c) => [c.fixture_path, c.baseline_verdict, c.candidate_verdict, change(c), c.candidate_matched_rule ?? '–']));
    expect(rows.map((r) => r[3])).toContain('block→require_approval');
    expect(rows.map((r) => r[3])).toContain('require_approval; reason codes, violations, matched rule changed');
    await shot('simulate');

    // A folder (webkitdirectory) gives the same fixtures, by relative path.
    await page.setInputFiles('#fixture-folder', INTENTS);
    await page.waitForFunction((n) => document.getElementById('fixture-count')!.textContent === `${n} fixture(s) loaded.`, files.length);
    await page.click('#simulate');
    await page.waitForFunction((s) => document.getElementById('simulate-summary')!.textContent === s, report.summary);

    // Files dropped on the drop zone.
    const dataTransfer = await page.evaluateHandle((list) => {
      const dt = new DataTransfer();
      for (const [name, content] of list) dt.items.add(new File([content], name, { type: 'application/json' }));
      return dt;
    }, names.slice(0, 2).map((n) => [n, readFileSync(join(INTENTS, n), 'utf8')]));
    await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer });
    await page.waitForFunction(() => document.getElementById('fixture-count')!.textContent === '2 fixture(s) loaded.');
  });

  it('keeps the state in the URL hash: a new tab opens the same policy and intent', async () => {
    await page.selectOption('#intent-format', 'intent');
    await page.selectOption('#intent-example', 'gait/policy/intents/intent_delete.json');
    await page.fill('#policy', readFileSync(MEDIUM, 'utf8').replace('default_verdict: require_approval', 'default_verdict: block'));
    await verdictIs('block');
    await page.click('#share');
    await page.waitForFunction(() => /share link/i.test(document.getElementById('status')!.textContent!));
    const shared = page.url();
    const policy = await page.inputValue('#policy');
    const other = await chromium.context.newPage();
    await other.goto(shared);
    await other.waitForSelector('body[data-ready=true]');
    expect(await other.inputValue('#policy')).toBe(policy);
    expect(await other.inputValue('#intent')).toBe(await page.inputValue('#intent'));
    expect(await other.getAttribute('#verdict', 'data-verdict')).toBe('block');
    // A broken hash is ignored: the default example opens.
    await other.goto(url + '#s=not-deflate');
    await other.reload();
    await other.waitForSelector('body[data-ready=true]');
    expect(await other.inputValue('#policy')).toBe(readFileSync(MEDIUM, 'utf8'));
    expect(await other.getAttribute('#verdict', 'data-verdict')).toBe('require_approval');
    await other.close();
  });

  it('made no request while it was used (everything above ran in the page)', () => {
    expect(requests.filter((r) => r.afterReady)).toEqual([]);
  });

  it('works from the keyboard: Tab reaches every control in order, Enter and arrows operate them', async () => {
    await page.goto(url);
    await page.waitForSelector('body[data-ready=true]');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const order: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName || '');
      if (order.includes(id)) break;
      order.push(id);
    }
    const expected = ['share', 'policy-example', 'fmt', 'policy', 'intent-format', 'intent-example', 'intent', 'new-key', 'approver', 'ttl', 'approval-reason', 'mint', 'decide-with-token', 'token', 'public-key', 'artifact', 'verify', 'baseline', 'fixture-files', 'fixture-folder', 'bundled-fixtures', 'simulate'];
    for (const id of expected) expect(order, `Tab order ${order.join(',')}`).toContain(id);
    expect(order.filter((id) => expected.includes(id))).toEqual(expected);

    // Keyboard only: pick the delete example with the arrow keys, then approve the write with Enter.
    await page.focus('#intent-example');
    const options = await page.$$eval('#intent-example option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    const steps = options.indexOf('gait/policy/intents/intent_delete.json') - options.indexOf(await page.inputValue('#intent-example'));
    for (let i = 0; i < Math.abs(steps); i++) await page.keyboard.press(steps > 0 ? 'ArrowDown' : 'ArrowUp');
    await verdictIs('block');
    await page.focus('#bundled-fixtures');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('simulate-summary')!.textContent!.startsWith('policy simulate fixtures='));
  });

  it('passes axe-core with no violations', async () => {
    await page.goto(url);
    await page.waitForSelector('body[data-ready=true]');
    await page.click('#bundled-fixtures');
    await page.click('#simulate');
    await page.waitForSelector('#simulate-table:not([hidden])');
    await page.evaluate(readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8'));
    const result = await page.evaluate(async () => {
      const r = await (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ target: unknown }> }> }> } }).axe.run();
      return r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
    });
    expect(result).toEqual([]);
  });

  it('logged no console errors, and every request went to its own origin for its own files', () => {
    expect(consoleErrors).toEqual([]);
    const origin = new URL(url).origin;
    expect(requests.filter((r) => !r.url.startsWith(origin) && !r.url.startsWith('blob:'))).toEqual([]);
    // Page loads (the keyboard and axe tests reload it) fetch the same five files and nothing else.
    const names = new Set(requests.map((r) => new URL(r.url).pathname));
    expect([...names].sort()).toEqual(['/', '/app.js', '/core.wasm', '/engine.js', '/examples.js', '/style.css'].sort());
  });
});

describe('the static site (dist/ui/) hosted as is', () => {
  it('works from a plain static file server under a sub-path', async () => {
    const files = await serveStatic(ROOT, ['dist/ui/']);
    const other = await chromium.context.newPage();
    const errors: string[] = [];
    other.on('pageerror', (e) => errors.push(String(e)));
    other.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    try {
      await other.goto(`${files.url}/dist/ui/index.html`);
      await other.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
      expect(await other.getAttribute('#verdict', 'data-verdict')).toBe('require_approval');
      expect(errors).toEqual([]);
    } finally {
      await other.close();
      await files.close();
    }
  });
});
