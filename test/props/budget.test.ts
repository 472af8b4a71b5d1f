import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EvalBudget, type EvalLimits } from '../../src/source/budget.js';
import { evaluateRootModule } from '../../src/parsers/terraform/evaluate/index.js';
import { ModuleLoader } from '../../src/parsers/terraform/evaluate/module-loader.js';
import { hclExpr } from './arbitraries.js';
import { INTERNAL, params } from './settings.js';

const LIMITS: EvalLimits = { maxCollection: 300, maxString: 2_000, maxSteps: 4_000, maxInstances: 40 };
/** The most one charge may add: a collection, a string's steps or a block's instances, each checked first. */
const ONE_CHARGE = Math.max(LIMITS.maxCollection, Math.ceil(LIMITS.maxString / 16), LIMITS.maxInstances);

// Expressions that ask for far more than the limits: products, nested `for`, long joins and formats, large counts.
const n = fc.constantFrom(3, 64, 1024, 100_000);
const hostile = fc.oneof(
  fc.tuple(n, n).map(([a, b]) => `length(setproduct(range(${a}), range(${b}), range(64)))`),
  fc.tuple(n, n).map(([a, b]) => `[for x in range(${a}) : [for y in range(${b}) : "\${x}-\${y}"]]`),
  n.map((a) => `join(",", [for i in range(${a}) : "xxxxxxxxxxxxxxxx"])`),
  n.map((a) => `format("%0${a}d", 1)`),
  n.map((a) => `strrev(join("", formatlist("%s%s", range(${a}), range(${a}))))`),
  n.map((a) => `{ for i in range(${a}) : tostring(i) => i }`),
  fc.tuple(n, hclExpr).map(([a, e]) => `concat(range(${a}), [${e}])`),
);
const value = fc.oneof(hostile, hclExpr);
const file = fc
  .array(fc.tuple(fc.constantFrom('aws_vpc', 'aws_subnet', 'aws_route_table'), fc.oneof(fc.constant(undefined), n), value, value), {
    minLength: 1,
    maxLength: 4,
  })
  .map(
    (blocks) =>
      `locals {\n  big = ${blocks[0]![2]}\n}\n` +
      blocks
        .map(
          ([t, count, a, b], i) =>
            `resource "${t}" "r${i}" {\n${count === undefined ? '' : `  count = ${count}\n`}  cidr_block = ${a}\n  tags = { v = ${b}, l = local.big }\n}\n`,
        )
        .join('\n'),
  );

/** Every list, object and string reachable from a value, with its size. */
function* sizes(v: unknown, seen = new Set<unknown>()): Generator<['collection' | 'string', number]> {
  if (typeof v === 'string') yield ['string', v.length];
  if (typeof v !== 'object' || v === null || seen.has(v)) return;
  seen.add(v);
  const entries = Array.isArray(v) ? v : Object.values(v);
  yield ['collection', entries.length];
  for (const x of entries) yield* sizes(x, seen);
}

// Every budget the evaluator uses, seen through its methods (the hot path counts expressions inline).
const budgets: EvalBudget[] = [];
const METHODS = ['charge', 'collection', 'string', 'instancesOf', 'exceeded'] as const;
const originals = METHODS.map((m) => EvalBudget.prototype[m]);
beforeEach(() => {
  METHODS.forEach((m, i) => {
    const method = originals[i] as (this: EvalBudget, ...args: unknown[]) => unknown;
    (EvalBudget.prototype as unknown as Record<string, unknown>)[m] = function (this: EvalBudget, ...args: unknown[]) {
      if (!budgets.includes(this)) budgets.push(this);
      return method.apply(this, args);
    };
  });
});
afterEach(() => {
  METHODS.forEach((m, i) => ((EvalBudget.prototype as unknown as Record<string, unknown>)[m] = originals[i]));
});

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('evaluation never exceeds its budget', () => {
  it('on hostile and random Terraform: finishes, values stay within the limits, steps stop at the limit', { timeout: 300_000 }, async () => {
    let limited = 0;
    await fc.assert(
      fc.asyncProperty(file, async (text) => {
        const dir = mkdtempSync(path.join(tmpdir(), 'iac-vpce-budget-'));
        dirs.push(dir);
        writeFileSync(path.join(dir, 'main.tf'), text);
        budgets.length = 0;
        const module = await evaluateRootModule(new ModuleLoader(dir, () => {}), '.', { limits: LIMITS, region: 'us-east-1' });
        for (const d of module.diagnostics) expect(d.code, d.message).not.toMatch(INTERNAL);
        expect(module.instances.length).toBeLessThanOrEqual(LIMITS.maxInstances);
        for (const [kind, size] of sizes(module.instances)) {
          // A resource's own attributes and tags are a handful of keys; only built values can be large.
          expect(size, kind).toBeLessThanOrEqual(kind === 'string' ? LIMITS.maxString : LIMITS.maxCollection);
        }
        for (const b of budgets) expect(b.steps).toBeLessThanOrEqual(LIMITS.maxSteps + ONE_CHARGE);
        if (budgets.some((b) => b.exhausted)) expect(module.diagnostics.map((d) => d.code)).toContain('tf-limit-exceeded');
        if (module.diagnostics.some((d) => d.code === 'tf-limit-exceeded')) limited += 1;
      }),
      params(40),
    );
    // The hostile expressions reach a limit in most runs: the property is not passing on small inputs alone.
    expect(limited).toBeGreaterThan(0);
  });
});
