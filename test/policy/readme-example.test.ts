// The README's "Writing safe policies" example must stay what it claims: valid and warning-free.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parsePolicyYaml, policyWarnings } from '../../bindings/index.js';

describe('README safe-policy example', () => {
  it('parses and gives no policy validate warnings', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Writing safe policies'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml, 'a yaml block in the section').toBeDefined();
    const policy = parsePolicyYaml(yaml!);
    expect(policy.default_verdict).toBe('block');
    expect(policyWarnings(policy)).toEqual([]);
  });
});
