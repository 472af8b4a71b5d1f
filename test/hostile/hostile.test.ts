/**
 * The hostile-input suite: every case in cases.ts is generated into its own folder and scanned by the built CLI in
 * its own process, two at a time. Each must end within its time limit with exit 1 (the good files' findings are at
 * the --fail-on level) and a JSON report holding exactly the good findings, the expected diagnostic at its file and
 * line, no internal message text, and no path opened outside the case's root but the tool's own and system files.
 */
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cases } from './cases.js';
import { DEFAULT_LIMIT_MS, problems } from './problems.js';
import { CLI, chooseTracer, makeCaseDir, newBase, removeCaseDir, runCase, runsAsRoot } from './run-case.js';

/** Scans running at once: the machine may have two cores. */
const POOL = 2;

let running = 0;
const waiting: Array<() => void> = [];
async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= POOL) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

const base = newBase();
afterAll(() => removeCaseDir(base));

describe('hostile inputs', () => {
  if (!existsSync(CLI)) {
    it('needs the built CLI', () => {
      throw new Error(`${CLI} is missing: run npm run build first`);
    });
    return;
  }
  const tracer = chooseTracer();
  it(`records opened paths with ${tracer}`, () => {
    // On Linux the outside-root check must have a tracer; elsewhere the fs hook is used.
    expect(tracer).not.toBe('none');
  });

  for (const c of cases) {
    const limit = c.limitMs ?? DEFAULT_LIMIT_MS;
    it.concurrent(`${c.name}: ${c.checks}`, { timeout: limit * 4 + 60_000 }, async (ctx) => {
      if (c.unprivileged && runsAsRoot() && process.platform !== 'linux') ctx.skip();
      const { caseDir, ctx: dirs } = makeCaseDir(c.name, base);
      c.build(dirs);
      const why = c.unsupported?.(dirs);
      if (why) {
        console.warn(`hostile case ${c.name} not run: ${why}`);
        ctx.skip();
      }
      const run = await slot(() => runCase(c, caseDir, dirs, limit));
      removeCaseDir(caseDir);
      expect(problems(c, run), `${c.name} (${run.ms} ms, exit ${run.exit}${run.signal ? `, ${run.signal}` : ''})`).toEqual([]);
    });
  }
});
