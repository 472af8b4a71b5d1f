/**
 * `npm run fuzz`: a longer random run than the hostile suite. Each iteration copies a good fixture (fixtures/ or
 * examples/), mutates it (byte flips, truncation, deep nesting, duplicated blocks, random encodings, links, FIFOs,
 * one of the hostile cases dropped in beside it) and scans it with the built CLI under a time limit. A failure is a
 * crash (exit 3 or a signal), a hang, an exit 0 or 1 without a report, or internal text (a stack trace, "Maximum
 * call stack") in the report or on stderr. Exits 1 if any iteration failed.
 *
 *   npm run fuzz -- [--seed N] [--count N] [--limit SECONDS] [--keep]
 *   npm run fuzz -- --cases [--only NAME]   run the hostile suite's cases once and print their outcome as a table
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { cases, REPO, type CaseContext, type HostileCase } from './cases.js';
import { INTERNAL_TEXT, problems } from './problems.js';
import { CLI, chooseTracer, makeCaseDir, newBase, removeCaseDir, runCase } from './run-case.js';

interface Options {
  seed: number;
  count: number;
  limitMs: number;
  keep: boolean;
  cases: boolean;
  /** With --cases: only the cases whose names contain one of these. */
  only: string[];
}

function options(argv: string[]): Options {
  const o: Options = { seed: Date.now() % 1_000_000, count: 200, limitMs: 30_000, keep: false, cases: false, only: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => Number(argv[++i]);
    if (a === '--seed') o.seed = next();
    else if (a === '--count') o.count = next();
    else if (a === '--limit') o.limitMs = next() * 1000;
    else if (a === '--keep') o.keep = true;
    else if (a === '--cases') o.cases = true;
    else if (a === '--only') o.only.push(String(argv[++i]));
    else if (a === '--') continue;
    else throw new Error(`unknown option ${a}: --seed N, --count N, --limit SECONDS, --keep, --cases [--only NAME]`);
  }
  if (!Number.isInteger(o.seed) || !Number.isInteger(o.count) || o.count < 1 || !(o.limitMs > 0))
    throw new Error('--seed, --count and --limit take positive numbers');
  return o;
}

/** mulberry32: a small seeded generator, so a failing iteration can be replayed with its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The good inputs: every fixture or example folder that holds a .tf, template, plan or cdk.out. */
function seeds(): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 6) return;
    const entries = readdirSync(dir, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && /\.(tf|tf\.json|ya?ml|json|template)$/.test(e.name) && e.name !== 'expect.json')) out.push(dir);
    for (const e of entries) if (e.isDirectory() && e.name !== 'node_modules' && e.name !== 'cdk.out') walk(path.join(dir, e.name), depth + 1);
  };
  for (const top of ['fixtures', 'examples']) walk(path.join(REPO, top), 0);
  return out.sort();
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

const OPENERS = ['[', '{', '(', '${', '"', '[{', '!Ref ', '&a ', '*a '];
/** Mutations of one file's bytes. */
const mutations: Array<(r: () => number, b: Buffer) => Buffer> = [
  (r, b) => {
    const c = Buffer.from(b);
    for (let i = 0; i < 1 + r() * 8; i++) if (c.length) c[Math.floor(r() * c.length)] = Math.floor(r() * 256);
    return c;
  },
  (r, b) => b.subarray(0, Math.floor(r() * b.length)),
  (r, b) => {
    const at = Math.floor(r() * b.length);
    const open = pick(r, OPENERS);
    return Buffer.concat([b.subarray(0, at), Buffer.from(open.repeat(Math.floor(200 + r() * 20_000))), b.subarray(at)]);
  },
  (r, b) => {
    const at = Math.floor(r() * b.length);
    const len = Math.floor(r() * 400);
    const chunk = b.subarray(at, at + len);
    return Buffer.concat([b.subarray(0, at), ...Array(Math.floor(2 + r() * 200)).fill(chunk), b.subarray(at)]);
  },
  (_r, b) => Buffer.from('\uFEFF' + b.toString('utf8'), 'utf16le'),
  (r, b) => Buffer.concat([b, Buffer.from(Array.from({ length: 64 }, () => Math.floor(r() * 256)))]),
  (r, b) => Buffer.from(b.toString('utf8').replace(/"[^"\n]*"/g, (s) => (r() < 0.1 ? '"${' + '['.repeat(3000) + ']'.repeat(3000) + '}"' : s))),
  (r, b) => Buffer.from(b.toString('utf8').replace(/\d+/g, (s) => (r() < 0.2 ? String(Math.floor(r() * 1e12)) : s))),
];

/** Shapes dropped beside the fixture: links and special files. */
const shapes: Array<(r: () => number, ctx: CaseContext) => void> = [
  (_r, ctx) => symlinkSync('/dev/zero', path.join(ctx.root, 'zero.auto.tfvars')),
  (_r, ctx) => symlinkSync('/etc', path.join(ctx.root, 'etc')),
  (_r, ctx) => symlinkSync('.', path.join(ctx.root, 'self')),
  (_r, ctx) => execFileSync('mkfifo', [path.join(ctx.root, 'terraform.tfvars')]),
  (_r, ctx) => writeFileSync(path.join(ctx.root, '.iac-vpce.yml'), 'vars: &v [' + '*v, '.repeat(1000) + ']\n'),
  (r, ctx) => {
    mkdirSync(path.join(ctx.root, '.terraform/modules'), { recursive: true });
    writeFileSync(
      path.join(ctx.root, '.terraform/modules/modules.json'),
      pick(r, ['{"Modules":[null]}', '{"Modules":{}}', '[]', '{"Modules":[{"Key":1,"Dir":{}}]}', '{']),
    );
  },
];

interface Failure {
  iteration: number;
  what: string;
  problems: string[];
  dir?: string;
}

/** Problems any scan can have, whatever its input: the hostile suite's checks that need no expectation. */
function genericProblems(run: Awaited<ReturnType<typeof runCase>>, limitMs: number): string[] {
  const out: string[] = [];
  if (run.timedOut) out.push(`hang: still running after ${limitMs / 1000} s`);
  else if (run.signal) out.push(`crash: killed by ${run.signal}`);
  else if (run.exit === 3) out.push('crash: exit 3 (internal error)');
  else if (run.exit !== 0 && run.exit !== 1 && !(run.exit === 2 && run.report))
    out.push(`exit ${run.exit}${run.report ? '' : ' without a report'}: ${run.stderr.trim().slice(0, 200)}`);
  // Exit 2 with a report is "nothing to scan" (every input was mutated out of recognition), which is documented.
  if (!run.timedOut && !run.signal && (run.exit === 0 || run.exit === 1) && !run.report) out.push(`exit ${run.exit} without a report`);
  if (INTERNAL_TEXT.test(run.stderr)) out.push(`internal text on stderr: ${run.stderr.trim().slice(0, 200)}`);
  for (const d of run.report?.diagnostics ?? []) if (INTERNAL_TEXT.test(d.message)) out.push(`internal text in ${d.code}: ${d.message.slice(0, 200)}`);
  if (run.outside.length)
    out.push(`opened outside the root: ${run.outside.slice(0, 3).join(', ')}${run.outside.length > 3 ? ` and ${run.outside.length - 3} more` : ''}`);
  out.push(...run.escapes);
  return out;
}

async function fuzz(o: Options): Promise<number> {
  const r = rng(o.seed);
  const pool = seeds();
  const base = newBase();
  const failures: Failure[] = [];
  const started = Date.now();
  console.log(`fuzz: seed ${o.seed}, ${o.count} iterations, ${pool.length} seed folders, limit ${o.limitMs / 1000} s, tracer ${chooseTracer()}`);
  for (let i = 0; i < o.count; i++) {
    const seedDir = pick(r, pool);
    const { caseDir, ctx } = makeCaseDir(`it-${i}`, base);
    cpSync(seedDir, ctx.root, { recursive: true });
    const files = filesUnder(ctx.root).filter((f) => path.basename(f) !== 'expect.json' && statSync(f).size < 4 * 1024 * 1024);
    const steps: string[] = [path.relative(REPO, seedDir)];
    for (let m = 0; m < 1 + Math.floor(r() * 3) && files.length; m++) {
      const f = pick(r, files);
      const k = Math.floor(r() * mutations.length);
      writeFileSync(f, mutations[k]!(r, readFileSync(f)));
      steps.push(`mutation ${k} on ${path.relative(ctx.root, f)}`);
    }
    if (r() < 0.3) {
      const k = Math.floor(r() * shapes.length);
      try {
        shapes[k]!(r, ctx);
        steps.push(`shape ${k}`);
      } catch {
        // the name was taken by the fixture: no shape this time
      }
    }
    if (r() < 0.1) {
      const hostile: HostileCase = pick(
        r,
        cases.filter((c) => !/60mb|over-size|plan/.test(c.name)),
      );
      const sub = makeCaseDir('drop', caseDir).ctx;
      hostile.build(sub);
      cpSync(sub.root, path.join(ctx.root, 'dropped'), { recursive: true, verbatimSymlinks: true });
      steps.push(`hostile case ${hostile.name}`);
    }
    const run = await runCase({ name: `it-${i}`, checks: '', fromIssue: false, build: () => {}, findings: [], diagnostics: [] }, caseDir, ctx, o.limitMs);
    const found = genericProblems(run, o.limitMs);
    if (found.length) {
      failures.push({ iteration: i, what: steps.join('; '), problems: found, dir: o.keep ? caseDir : undefined });
      console.log(`  #${i} FAIL ${steps.join('; ')}\n      ${found.join('\n      ')}`);
    } else if ((i + 1) % 20 === 0) console.log(`  ${i + 1}/${o.count} done, ${failures.length} failed`);
    if (!(o.keep && found.length)) removeCaseDir(caseDir);
  }
  if (!o.keep) removeCaseDir(base);
  const kinds = new Map<string, number>();
  for (const f of failures) for (const p of f.problems) kinds.set(p.split(':')[0]!, (kinds.get(p.split(':')[0]!) ?? 0) + 1);
  console.log(`\nfuzz summary: seed ${o.seed}, ${o.count} iterations in ${Math.round((Date.now() - started) / 1000)} s, ${failures.length} failed`);
  for (const [k, n] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`  ${n} × ${k}`);
  if (failures.length) console.log(`replay with: npm run fuzz -- --seed ${o.seed} --count ${o.count}${o.keep ? '' : ' --keep'}`);
  return failures.length ? 1 : 0;
}

/** Runs each hostile case once, two at a time, and prints name, outcome and the first problem as a table. */
async function table(o: Options): Promise<number> {
  const base = newBase();
  const rows: string[] = [];
  let failed = 0;
  const queue = cases.filter((c) => o.only.length === 0 || o.only.some((n) => c.name.includes(n)));
  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const { caseDir, ctx } = makeCaseDir(c.name, base);
      c.build(ctx);
      const run = await runCase(c, caseDir, ctx, c.limitMs ?? o.limitMs);
      const found = problems(c, run);
      if (found.length) failed++;
      rows.push(`| ${c.name} | ${found.length ? 'FAIL' : 'pass'} (${(run.ms / 1000).toFixed(1)} s) | ${found.join('; ').replaceAll('|', '/').slice(0, 400)} |`);
      removeCaseDir(caseDir);
    }
  };
  await Promise.all([worker(), worker()]);
  removeCaseDir(base);
  const order = new Map(cases.map((c, i) => [c.name, i]));
  rows.sort((a, b) => order.get(a.split(' | ')[0]!.slice(2))! - order.get(b.split(' | ')[0]!.slice(2))!);
  console.log(
    `cli: ${CLI}, tracer: ${chooseTracer()}\n\n| case | outcome | problems |\n| --- | --- | --- |\n${rows.join('\n')}\n\n${failed} of ${cases.length} failed`,
  );
  return failed ? 1 : 0;
}

const o = options(process.argv.slice(2));
if (!existsSync(CLI)) {
  console.error(`${CLI} is missing: run npm run build first`);
  process.exit(2);
}
process.exitCode = await (o.cases ? table(o) : fuzz(o));
