import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/engine/discover/index.js';
import { scan, type ScanOutput } from '../../src/engine/scan.js';
import type { Diagnostic } from '../../src/source/types.js';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';

// The test fixtures of two peer tools (cfn-lint's templates, checkov's CloudFormation and Terraform), kept beside the
// repository and read in place (see the peer suites' SOURCES.md). Each top-level tree is scanned once, from the peer
// suites' root, so the files and findings below are named relative to that root.
const ROOT = sharedPath('peer-suites');
const TREES = ['cfn-lint/bad', 'cfn-lint/good', 'cfn-lint/quickstart', 'checkov/cloudformation', 'checkov/terraform'] as const;
type Tree = (typeof TREES)[number];
const present = sharedAvailable('peer suites through the scan pipeline', ...TREES.map((t) => path.join(ROOT, t)));

/** Every finding the scan reports over the peer suites, each examined by hand against its configuration. */
interface ExpectedFinding {
  rule: string;
  /** Relative to the peer suites' root. */
  file: string;
  address: string;
  /** Why the finding is right: what the configuration says. */
  reason: string;
}
const here = path.dirname(fileURLToPath(import.meta.url));
const EXPECTED: ExpectedFinding[] = JSON.parse(readFileSync(path.join(here, 'expected-findings.json'), 'utf8')) as ExpectedFinding[];

/**
 * Diagnostics that say a file of cfn-lint's `good` folder (valid CloudFormation) is wrong: any at level error, and
 * these codes at any level, each of which claims the template itself is at fault.
 */
const CLAIMS_INVALID = new Set(['cfn-invalid-reference', 'cfn-invalid-intrinsic', 'cfn-unknown-resource-attribute']);

interface ListedDiagnostic {
  code: string;
  /** Relative to the peer suites' root. */
  file: string;
  line: number;
}

/**
 * Such diagnostics on `good` files that are known to be wrong and are being fixed, each with a comment naming its issue
 * and item. When a fix lands the entry no longer occurs and the test fails until it is removed here, so the check
 * tightens as the fixes land. None is known today.
 */
const KNOWN_WRONG: ListedDiagnostic[] = [];

/** Such diagnostics on `good` files that are right: the template is valid only for the rule cfn-lint tests with it. */
const RIGHT: Array<ListedDiagnostic & { reason: string }> = [
  {
    code: 'cfn-invalid-reference',
    file: 'cfn-lint/good/custom/is-defined.yaml',
    line: 70,
    reason: 'the template spells its parameters section "Parameter", so NodeEnv is not a parameter',
  },
  {
    code: 'cfn-invalid-reference',
    file: 'cfn-lint/good/functions/sub_needed.yaml',
    line: 100,
    reason: 'the template declares no GreetingLambda (its resources are MyContentBucket, AMIId, myPolicy, Key, GreetingRequest, IOTPolicies)',
  },
  { code: 'cfn-invalid-reference', file: 'cfn-lint/good/functions/sub_needed.yaml', line: 114, reason: 'the template declares no GreetingResource' },
  { code: 'cfn-invalid-reference', file: 'cfn-lint/good/functions/sub_needed.yaml', line: 115, reason: 'the template declares no GreetingApi' },
];

/** `tf-internal-error`, `cfn-internal-error`, `tfplan-internal-error`, … and a rule that threw. */
const isInternal = (code: string) => code === 'rule-error' || code.endsWith('-internal-error');
const findingKey = (f: { rule: string; file: string; address: string }) => `${f.rule} ${f.file} ${f.address}`;
const diagnosticKey = (d: { code: string; file: string; line?: number }) => `${d.code} ${d.file}:${d.line ?? '?'}`;

const results = new Map<Tree, { result: ScanOutput; discovered: string[]; seconds: number }>();
async function scanned(tree: Tree) {
  let r = results.get(tree);
  if (!r) {
    const dir = path.join(ROOT, tree);
    const found = await discover([dir], { root: ROOT });
    const started = performance.now();
    const result = await scan({ paths: [dir], root: ROOT });
    r = { result, discovered: found.files.map((f) => f.path), seconds: (performance.now() - started) / 1000 };
    results.set(tree, r);
  }
  return r;
}

describe.skipIf(!present)('peer suites through the scan pipeline', () => {
  it.each(TREES)(
    '%s scans every file without a crash',
    async (tree) => {
      const { result, discovered, seconds } = await scanned(tree);
      expect(result.empty).toBe(false);
      expect(discovered.length).toBeGreaterThan(0);
      // Every file discovery lists was read to a result (parsed, or refused with a diagnostic of its own).
      const read = new Set(result.files);
      expect(discovered.filter((f) => !read.has(f))).toEqual([]);
      expect(result.diagnostics.filter((d) => isInternal(d.code))).toEqual([]);
      // A tree takes seconds; a hang or a blow-up shows here before it shows in CI's time.
      expect(seconds).toBeLessThan(180);
    },
    300_000,
  );

  it('reports exactly the findings examined and listed in expected-findings.json', async () => {
    const reported: string[] = [];
    for (const tree of TREES) {
      const { result } = await scanned(tree);
      for (const f of result.findings) reported.push(findingKey({ rule: f.ruleId, file: f.location.file, address: f.location.address }));
    }
    const expected = EXPECTED.map(findingKey);
    // Each listed finding says why it is right.
    expect(EXPECTED.filter((e) => e.reason.trim() === '').map(findingKey)).toEqual([]);
    expect(new Set(expected).size).toBe(expected.length);
    // A finding not listed has not been examined; a listed one no longer reported is a change to look into.
    expect({ notListed: reported.filter((k) => !expected.includes(k)).sort(), noLongerReported: expected.filter((k) => !reported.includes(k)).sort() }).toEqual(
      {
        notListed: [],
        noLongerReported: [],
      },
    );
  }, 300_000);

  it("claims no file of cfn-lint's good folder is wrong, beyond the listed ones", async () => {
    const { result } = await scanned('cfn-lint/good');
    const claims = (d: Diagnostic) => d.file.startsWith('cfn-lint/good/') && (d.severity === 'error' || CLAIMS_INVALID.has(d.code));
    const seen = result.diagnostics.filter(claims);
    // Nothing at level error, and nothing on the lists at level error either.
    expect(seen.filter((d) => d.severity === 'error').map(diagnosticKey)).toEqual([]);
    const got = [...new Set(seen.map(diagnosticKey))].sort();
    const listed = [...KNOWN_WRONG, ...RIGHT].map(diagnosticKey);
    expect({
      notListed: got.filter((k) => !listed.includes(k)),
      // A known wrong one that no longer occurs was fixed: remove it from KNOWN_WRONG.
      noLongerOccurring: listed.filter((k) => !got.includes(k)).sort(),
    }).toEqual({ notListed: [], noLongerOccurring: [] });
  });
});
