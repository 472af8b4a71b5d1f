import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Rule } from '../../rules/rule.js';

/**
 * A failure of iac-vpce itself on one input (a graph builder or a rule that throws) becomes a diagnostic on that
 * input; every other input's findings are still reported. The failures are injected by replacing the builders and
 * the rule registry: each throws only for the inputs named "boom".
 */
vi.mock('../../src/graph/terraform/build.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/graph/terraform/build.js')>();
  return {
    ...real,
    buildTerraformGraph: (module: Parameters<typeof real.buildTerraformGraph>[0]) => {
      if (module.dir === 'tf-boom') throw new Error('injected builder failure\n    at somewhere (internal.ts:1:1)');
      return real.buildTerraformGraph(module);
    },
  };
});

vi.mock('../../src/graph/cloudformation/build.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/graph/cloudformation/build.js')>();
  return {
    ...real,
    buildCloudFormationGraph: (...args: Parameters<typeof real.buildCloudFormationGraph>) => {
      if (args[0].file === 'cfn-boom/template.yaml') throw new TypeError("Cannot read properties of undefined (reading 'x')");
      return real.buildCloudFormationGraph(...args);
    },
  };
});

vi.mock('../../src/parsers/terraform/evaluate/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/parsers/terraform/evaluate/index.js')>();
  return {
    ...real,
    evaluateRootModule: (...args: Parameters<typeof real.evaluateRootModule>) => {
      if (args[1] === 'eval-boom') return Promise.reject(new RangeError('Maximum call stack size exceeded'));
      return real.evaluateRootModule(...args);
    },
  };
});

vi.mock('../../rules/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../rules/index.js')>();
  const [first] = real.rules;
  const throwing: Rule = {
    ...first!,
    id: 'VPCE999',
    name: 'throws-on-boom',
    messages: {},
    check(graph) {
      if (graph.name.startsWith('rule-boom')) throw new Error('injected rule failure');
    },
  };
  return { ...real, rules: [...real.rules, throwing] };
});

const { scan } = await import('../../src/engine/scan.js');
const { tmpTree } = await import('../helpers/tmp-tree.js');

const FIXTURES = path.resolve(__dirname, '../../fixtures/rules/VPCE101');
const TF = readFileSync(path.join(FIXTURES, 'terraform/bad-nat-default-route/main.tf'), 'utf8');
const CFN = readFileSync(path.join(FIXTURES, 'cloudformation-yaml/bad-nat-no-endpoint/template.yaml'), 'utf8');

describe('per-input guard', () => {
  it('reports a throwing builder, evaluator or rule on its input and keeps every other finding', async () => {
    const inputs = ['good', 'tf-boom', 'eval-boom', 'rule-boom'];
    const root = tmpTree({
      ...Object.fromEntries(inputs.map((d) => [`${d}/main.tf`, TF])),
      'cfn-good/template.yaml': CFN,
      'cfn-boom/template.yaml': CFN,
    });
    const result = await scan({ paths: [root], today: '2026-06-01' });
    const vpce101 = result.findings.filter((f) => f.ruleId === 'VPCE101').map((f) => f.location.file);
    // The rule that throws takes only its own findings with it: VPCE101 still runs on rule-boom.
    expect(vpce101.sort()).toEqual(['cfn-good/template.yaml', 'good/main.tf', 'rule-boom/main.tf']);

    const internal = result.diagnostics.filter((d) => d.code === 'scan-internal-error');
    expect(internal.map((d) => d.file).sort()).toEqual(['cfn-boom/template.yaml', 'eval-boom', 'tf-boom/main.tf']);
    const byFile = new Map(internal.map((d) => [d.file, d.message]));
    expect(byFile.get('tf-boom/main.tf')).toMatch(/^Internal error while building the network graph of the root module tf-boom: injected builder failure\. /);
    expect(byFile.get('cfn-boom/template.yaml')).toContain("building the network graph of this template: Cannot read properties of undefined (reading 'x')");
    expect(byFile.get('eval-boom')).toContain('scanning this Terraform root module: Maximum call stack size exceeded');
    // No stack text unless asked for.
    for (const d of internal) expect(d.message).not.toMatch(/\n|\bat \S+ \(/);

    const ruleErrors = result.diagnostics.filter((d) => d.code === 'rule-error');
    expect(ruleErrors.map((d) => [d.file, d.message])).toEqual([
      ['rule-boom', 'Rule VPCE999 failed on this configuration: injected rule failure. Its findings here are missing; the other rules ran.'],
    ]);
  });

  it('adds the stack when IAC_VPCE_DEBUG is set', async () => {
    const root = tmpTree({ 'tf-boom/main.tf': TF });
    vi.stubEnv('IAC_VPCE_DEBUG', '1');
    try {
      const result = await scan({ paths: [root], today: '2026-06-01' });
      const d = result.diagnostics.find((x) => x.code === 'scan-internal-error');
      expect(d?.message).toMatch(/\nError: injected builder failure\n {4}at /);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
