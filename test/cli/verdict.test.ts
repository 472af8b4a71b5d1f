import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HclRuntime, HclRuntimeDied } from '../../src/parsers/terraform/load/hcl-runtime.js';
import { hclExpressionAst, hclToJson } from '../../src/parsers/terraform/load/hcl2json.js';
import { MAX_NESTING } from '../../src/parsers/terraform/load/text.js';
import { goodFindingKept, scanCase } from '../helpers/scan-case.js';

const REPO = path.resolve(__dirname, '../..');
const VERDICT = path.join(REPO, 'dist/src/cli/verdict.js');

/** `"${[[[…1…]]]}"`: brackets nested `n` deep inside an interpolation. */
const deepBrackets = (n: number) => '${' + '['.repeat(n) + '1' + ']'.repeat(n) + '}';

/** Runs a script that hands guardVerdict a promise, as bin.ts does with main(). */
function guarded(body: string) {
  const script = `import { guardVerdict } from ${JSON.stringify(VERDICT)};\n${body}`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('never an exit without a verdict', () => {
  it('a .tf.json whose "${…}" string nests 10,000 brackets: a diagnostic at its line, the report written, the good finding kept', () => {
    const r = scanCase({ 'bad/main.tf.json': `{\n  "locals": {\n    "x": ${JSON.stringify(deepBrackets(10_000))}\n  }\n}\n` });
    expect(r.stderr).not.toMatch(/fatal error|goroutine|Maximum call stack/);
    expect(r.code).toBe(0);
    expect(r.report).toBeDefined();
    expect(r.report!.diagnostics).toContainEqual(expect.objectContaining({ code: 'tf-nesting-too-deep', file: 'bad/main.tf.json', line: 3 }));
    expect(goodFindingKept(r)).toBe(true);
  }, 60_000);

  it('applies the nesting limit before an expression reaches the parser', async () => {
    const deep = await hclExpressionAst(`<<EOT\n${deepBrackets(MAX_NESTING + 1)}\nEOT\n`);
    expect(deep).toEqual({ error: `The expression nests deeper than ${MAX_NESTING} levels.`, tooDeep: true });
    const fine = await hclExpressionAst(`<<EOT\n${deepBrackets(MAX_NESTING - 5)}\nEOT\n`);
    expect(fine).toHaveProperty('ast');
  }, 30_000);

  it('a runtime killed by its input rejects the call and every later one, and the next parse gets a fresh runtime', async () => {
    // Straight to the runtime, past the nesting limit, to kill it on purpose.
    const rt = new HclRuntime();
    await expect(rt.call('getExpressionAst', 'expr', `<<EOT\n${deepBrackets(10_000)}\nEOT\n`)).rejects.toBeInstanceOf(HclRuntimeDied);
    expect(rt.dead).toBe(true);
    await expect(rt.call('parse', 'a.tf', 'x = 1\n')).rejects.toBeInstanceOf(HclRuntimeDied);
    expect(await hclToJson('a.tf', 'x = 1\n')).toEqual({ json: { x: 1 } });
    expect(await hclExpressionAst('<<EOT\n${var.a}\nEOT\n')).toHaveProperty('ast');
  }, 60_000);

  it('exits 3 with a message when the event loop empties under a promise that never settles', () => {
    const r = guarded(`guardVerdict(new Promise(() => {}), String);`);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('internal error: the scan ended without a result; no report was written');
  });

  it('exits 3 when something calls process.exit(0) before the verdict', () => {
    const r = guarded(`guardVerdict(new Promise(() => {}), String);\nsetTimeout(() => process.exit(0), 10);`);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no report was written');
  });

  it('exits 3, not 1, when an error escapes from a timer', () => {
    const r = guarded(
      `guardVerdict(new Promise(() => {}), (e) => 'iac-vpce: internal error: ' + e.message + '\\n');\nsetTimeout(() => { throw new Error('boom'); }, 10);`,
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('iac-vpce: internal error: boom\n');
  });

  it('passes the exit code of a settled run through, and a rejected run is exit 3', () => {
    expect(guarded(`guardVerdict(Promise.resolve(1), String);`).code).toBe(1);
    expect(guarded(`guardVerdict(Promise.resolve(0), String);`)).toMatchObject({ code: 0, stderr: '' });
    expect(guarded(`guardVerdict(Promise.reject(new Error('x')), (e) => 'failed: ' + e.message + '\\n');`)).toMatchObject({ code: 3, stderr: 'failed: x\n' });
  });
});
