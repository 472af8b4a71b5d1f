#!/usr/bin/env node
// The benchmark: generated Terraform trees and CloudFormation templates, one root module with thousands of subnets,
// one small root module, and `--version`, each scanned by the built CLI in a process of its own. For each case it
// measures wall time (process start to exit), files per second, peak RSS, the share of each stage (from the engine's
// IAC_VPCE_TIMINGS output) and, interleaved in the same run, the parse-only floor (bench/floor.mjs) and the ratio to
// it. When the CLI has them, it also measures `--jobs 1` against `--jobs 2` and a cold against a warm rescan.
//
// usage: npm run bench [-- options]
//   --quick            the N = 200 cases, the small module and --version (a minute or two)
//   --cases a,b        only these cases: tf-200 tf-2000 cfn-200 cfn-2000 subnets small version cache
//   --reps n           repetitions of each measurement (default: 3 for small inputs, 1 for large ones)
//   --write            write bench/RESULTS.md (the default for a full run)
//   --no-write         print the tables only
//   --profile <dir>    also write a CPU profile (node --cpu-prof) of each case's last scan into <dir>
//   --keep             keep the generated trees (their folder is printed)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { writeCloudFormationTree, writeSmallModule, writeSubnetModule, writeTerraformTree } from './generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const cli = path.join(repo, 'dist/src/cli/bin.js');
const floorScript = path.join(here, 'floor.mjs');
const usageHook = path.join(here, 'usage-hook.mjs');
const resultsFile = path.join(here, 'RESULTS.md');
const CHILD_TIMEOUT_MS = 10 * 60 * 1000;

const ALL_CASES = ['tf-200', 'tf-2000', 'cfn-200', 'cfn-2000', 'subnets', 'small', 'version', 'cache'];
const QUICK_CASES = ['tf-200', 'cfn-200', 'small', 'version', 'cache'];

const args = process.argv.slice(2);
const valueOf = (flag) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes('--quick');
const casesArg = valueOf('--cases');
const cases = casesArg ? casesArg.split(',').map((s) => s.trim()) : quick ? QUICK_CASES : ALL_CASES;
for (const c of cases) {
  if (!ALL_CASES.includes(c)) {
    console.error(`unknown case "${c}"; cases: ${ALL_CASES.join(' ')}`);
    process.exit(2);
  }
}
const repsArg = valueOf('--reps') === undefined ? undefined : Number(valueOf('--reps'));
const full = !casesArg && !quick;
const write = args.includes('--no-write') ? false : args.includes('--write') || full;
const profileDir = valueOf('--profile') ? path.resolve(valueOf('--profile')) : undefined;
const keep = args.includes('--keep');
if (profileDir) mkdirSync(profileDir, { recursive: true });

if (!existsSync(cli)) {
  console.error(`${path.relative(process.cwd(), cli)} is missing: run \`npm run build\` (npm ci does it) first.`);
  process.exit(2);
}

const helpText = spawnSync(process.execPath, [cli, 'scan', '--help'], { encoding: 'utf8' }).stdout ?? '';
const has = { jobs: /--jobs\b/.test(helpText), noCache: /--no-cache\b/.test(helpText), cacheDir: /--cache-dir\b/.test(helpText) };
// Where the parse cache lives: a folder of the benchmark's own when the CLI takes --cache-dir, else the scanned folder's.
const CACHE_DIR = '.iac-vpce-cache';

const work = mkdtempSync(path.join(os.tmpdir(), 'iac-vpce-bench-'));
const log = (s) => process.stderr.write(`${s}\n`);

/** Runs a child process; resolves with its wall time, exit code, output, resource usage and stage timings. */
function run(argv, { cwd = repo, timings = false, usage = true, profile } = {}) {
  const usageFile = path.join(work, `usage-${process.hrtime.bigint()}.json`);
  const nodeArgs = [
    ...(usage ? ['--import', usageHook] : []),
    ...(profile ? ['--cpu-prof', '--cpu-prof-dir', profile.dir, '--cpu-prof-name', profile.name] : []),
  ];
  const env = { ...process.env, ...(usage ? { BENCH_USAGE_FILE: usageFile } : {}), ...(timings ? { IAC_VPCE_TIMINGS: '1' } : {}) };
  if (!timings) delete env.IAC_VPCE_TIMINGS;
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, ...argv], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      const ms = performance.now() - start;
      clearTimeout(timer);
      let rusage;
      if (usage && existsSync(usageFile)) {
        rusage = JSON.parse(readFileSync(usageFile, 'utf8'));
        rmSync(usageFile);
      }
      const line = /^iac-vpce-timings (.*)$/m.exec(stderr);
      const cpuMs = rusage ? (rusage.userCPUTime + rusage.systemCPUTime) / 1000 : undefined;
      resolve({ ms, cpuMs, code, signal, stdout, stderr, rssMb: rusage ? rusage.maxRSS / 1024 : undefined, stages: line ? JSON.parse(line[1]) : undefined });
    });
  });
}

function check(result, what) {
  if (result.code !== 0) {
    log(`${what} failed (exit ${result.code ?? result.signal}):\n${result.stderr.slice(-2000)}`);
    return false;
  }
  return true;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function scanArgv(dir, extra = []) {
  const out = path.join(work, 'out.sarif');
  return [cli, 'scan', dir, '--format', 'sarif', '--output', out, '--quiet', '--fail-on', 'none', '--fail-on-diagnostics', 'none', ...extra];
}

function findingsOf() {
  try {
    const sarif = JSON.parse(readFileSync(path.join(work, 'out.sarif'), 'utf8'));
    return sarif.runs.reduce((n, r) => n + r.results.length, 0);
  } catch {
    return undefined;
  }
}

/** The scan variants measured against the floor: one job and two when --jobs exists, never the cache. */
function variants() {
  const noCache = has.noCache ? ['--no-cache'] : [];
  if (!has.jobs) return [{ name: 'scan', extra: noCache }];
  return [
    { name: 'scan --jobs 1', extra: ['--jobs', '1', ...noCache] },
    { name: 'scan --jobs 2', extra: ['--jobs', '2', ...noCache] },
  ];
}

const STAGES = ['startup', 'discover', 'read', 'parse', 'evaluate', 'graph', 'rules', 'finish', 'report'];

/** Mean stage times of several runs, with `other` the part of the scan no stage accounts for (idle, waiting). */
function stageShares(list) {
  const have = list.filter(Boolean);
  if (have.length === 0) return undefined;
  const mean = (k) => have.reduce((a, s) => a + (s[k] ?? 0), 0) / have.length;
  const out = Object.fromEntries(STAGES.map((k) => [k, mean(k)]));
  const inScan = ['discover', 'read', 'parse', 'evaluate', 'graph', 'rules', 'finish'].reduce((a, k) => a + out[k], 0);
  out.other = Math.max(0, mean('scan') - inScan);
  out.total = mean('total');
  return out;
}

/** A scan case: its tree generated once, then `reps` rounds of floor and scan variants, interleaved. */
async function floorCase(name, label, files, dir, reps) {
  const vs = variants();
  const walls = Object.fromEntries([['floor', []], ...vs.map((v) => [v.name, []])]);
  const cpus = Object.fromEntries([['floor', []], ...vs.map((v) => [v.name, []])]);
  const rss = Object.fromEntries(vs.map((v) => [v.name, 0]));
  const stages = Object.fromEntries(vs.map((v) => [v.name, []]));
  let floorRss = 0;
  let findings;
  for (let r = 0; r < reps; r++) {
    const f = await run([floorScript, dir]);
    if (!check(f, `${name}: floor`)) return undefined;
    walls.floor.push(f.ms);
    cpus.floor.push(f.cpuMs);
    floorRss = Math.max(floorRss, f.rssMb ?? 0);
    for (const v of vs) {
      const last = r === reps - 1;
      const profile = profileDir && last ? { dir: profileDir, name: `${name}-${v.name.replace(/\W+/g, '-')}.cpuprofile` } : undefined;
      const s = await run(scanArgv(dir, v.extra), { timings: true, profile });
      if (!check(s, `${name}: ${v.name}`)) return undefined;
      walls[v.name].push(s.ms);
      cpus[v.name].push(s.cpuMs);
      rss[v.name] = Math.max(rss[v.name], s.rssMb ?? 0);
      stages[v.name].push(s.stages);
      findings = findingsOf();
    }
    log(
      `  ${name} round ${r + 1}/${reps}: ${Object.entries(walls)
        .map(([k, w]) => `${k} ${w.at(-1).toFixed(0)} ms`)
        .join(', ')}`,
    );
  }
  const floor = median(walls.floor);
  const floorCpu = median(cpus.floor);
  return {
    name,
    label,
    files,
    reps,
    findings,
    floor,
    floorCpu,
    floorRss,
    runs: vs.map((v) => ({
      variant: v.name,
      ms: median(walls[v.name]),
      cpuMs: median(cpus[v.name]),
      rssMb: rss[v.name],
      ratio: median(walls[v.name]) / floor,
      cpuRatio: median(cpus[v.name]) / floorCpu,
      stages: stageShares(stages[v.name]),
    })),
  };
}

/** A case without a floor: the median wall time of `reps` runs of `argv`. */
async function plainCase(name, label, argv, reps, options = {}) {
  const walls = [];
  const cpus = [];
  let rss = 0;
  const stages = [];
  for (let r = 0; r < reps; r++) {
    const profile = profileDir && r === reps - 1 ? { dir: profileDir, name: `${name}.cpuprofile` } : undefined;
    const s = await run(argv, { ...options, profile });
    if (!check(s, name)) return undefined;
    walls.push(s.ms);
    cpus.push(s.cpuMs);
    rss = Math.max(rss, s.rssMb ?? 0);
    stages.push(s.stages);
  }
  log(`  ${name}: ${walls.map((w) => w.toFixed(0)).join(', ')} ms`);
  return {
    name,
    label,
    ms: median(walls),
    cpuMs: cpus.every((c) => c !== undefined) ? median(cpus) : undefined,
    rssMb: rss,
    stages: stageShares(stages),
    findings: findingsOf(),
  };
}

/** Cold (cache folder emptied) against warm (the second run over the unchanged tree), `reps` pairs. */
async function cacheCase(dir, label, files, reps) {
  if (!has.noCache) return { name: 'cache', label, missing: true };
  const cold = [];
  const warm = [];
  let cacheSeen = false;
  const cacheDir = has.cacheDir ? path.join(work, 'parse-cache') : path.join(dir, CACHE_DIR);
  const extra = has.cacheDir ? ['--cache-dir', cacheDir] : [];
  for (let r = 0; r < reps; r++) {
    rmSync(cacheDir, { recursive: true, force: true });
    const c = await run(scanArgv(dir, extra), { cwd: dir });
    if (!check(c, 'cache: cold')) return undefined;
    cacheSeen ||= existsSync(cacheDir);
    const w = await run(scanArgv(dir, extra), { cwd: dir });
    if (!check(w, 'cache: warm')) return undefined;
    cold.push(c.ms);
    warm.push(w.ms);
    log(`  cache round ${r + 1}/${reps}: cold ${c.ms.toFixed(0)} ms, warm ${w.ms.toFixed(0)} ms`);
  }
  rmSync(cacheDir, { recursive: true, force: true });
  return { name: 'cache', label, files, cold: median(cold), warm: median(warm), cacheSeen, where: has.cacheDir ? '--cache-dir' : `${CACHE_DIR}/` };
}

const results = {};
const dirs = {};
function tree(key, writer) {
  if (!dirs[key]) {
    const dir = path.join(work, key);
    const files = writer(dir);
    dirs[key] = { dir, files };
  }
  return dirs[key];
}
const reps = (dflt) => repsArg ?? dflt;

log(`iac-vpce benchmark in ${work}${keep ? ' (kept)' : ''}; --jobs ${has.jobs ? 'present' : 'absent'}, --no-cache ${has.noCache ? 'present' : 'absent'}`);
const started = performance.now();
const loadBefore = os.loadavg()[0];
for (const name of cases) {
  log(`${name}:`);
  if (name === 'tf-200' || name === 'tf-2000') {
    const n = Number(name.slice(3));
    const t = tree(name, (d) => writeTerraformTree(d, n));
    results[name] = await floorCase(name, `Terraform, ${n} root modules`, t.files, t.dir, reps(n >= 2000 ? 1 : 3));
  } else if (name === 'cfn-200' || name === 'cfn-2000') {
    const n = Number(name.slice(4));
    const t = tree(name, (d) => writeCloudFormationTree(d, n));
    results[name] = await floorCase(name, `CloudFormation, ${n} templates`, t.files, t.dir, reps(n >= 2000 ? 1 : 3));
  } else if (name === 'subnets') {
    const t = tree('subnets', (d) => writeSubnetModule(d, 2000));
    results[name] = await floorCase(name, 'one root module, 2000 subnets (6002 resources)', t.files, t.dir, reps(1));
  } else if (name === 'small') {
    const t = tree('small', (d) => writeSmallModule(d));
    const extra = has.noCache ? ['--no-cache'] : [];
    results[name] = await plainCase(name, 'one small root module (3 files)', scanArgv(t.dir, extra), reps(5), { timings: true });
  } else if (name === 'version') {
    results[name] = await plainCase(name, '`iac-vpce --version`', [cli, '--version'], reps(5), { usage: false });
  } else if (name === 'cache') {
    const key = cases.includes('tf-2000') ? 'tf-2000' : 'tf-200';
    const n = Number(key.slice(3));
    const t = tree(key, (d) => writeTerraformTree(d, n));
    results[name] = await cacheCase(t.dir, `Terraform, ${n} root modules`, t.files, reps(n >= 2000 ? 1 : 3));
  }
}
const totalSeconds = (performance.now() - started) / 1000;
const loadAfter = os.loadavg()[0];
if (!keep) rmSync(work, { recursive: true, force: true });

// ---- report ----

const f0 = (n) => (n === undefined ? '–' : n.toFixed(0));
const f2 = (n) => (n === undefined ? '–' : n.toFixed(2));
const pct = (part, whole) => (whole ? `${((100 * part) / whole).toFixed(0)}%` : '–');

function mainTable() {
  const rows = [
    '| case | files | findings | run | wall (ms) | CPU (ms) | files/s | peak RSS (MB) | floor wall (ms) | floor CPU (ms) | wall ratio to floor | CPU ratio to floor |',
    '|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const k of ['tf-200', 'tf-2000', 'cfn-200', 'cfn-2000', 'subnets']) {
    const r = results[k];
    if (!r) continue;
    for (const v of r.runs) {
      rows.push(
        `| ${r.label} | ${r.files} | ${r.findings ?? '–'} | ${v.variant} | ${f0(v.ms)} | ${f0(v.cpuMs)} | ${f0((1000 * r.files) / v.ms)} | ${f0(v.rssMb)} | ${f0(r.floor)} | ${f0(r.floorCpu)} | ${f2(v.ratio)}× | ${f2(v.cpuRatio)}× |`,
      );
    }
  }
  const s = results.small;
  if (s) rows.push(`| ${s.label} | 3 | ${s.findings ?? '–'} | scan | ${f0(s.ms)} | ${f0(s.cpuMs)} | ${f0(3000 / s.ms)} | ${f0(s.rssMb)} | – | – | – | – |`);
  const v = results.version;
  if (v) rows.push(`| ${v.label} | – | – | – | ${f0(v.ms)} | – | – | – | – | – | – | – |`);
  return rows.join('\n');
}

function stageTable() {
  const rows = [`| case | run | ${STAGES.join(' | ')} | other |`, `|---|---|${STAGES.map(() => '---:').join('|')}|---:|`];
  const add = (label, variant, st) => {
    if (!st) return;
    rows.push(`| ${label} | ${variant} | ${[...STAGES, 'other'].map((k) => `${f0(st[k])} (${pct(st[k], st.total)})`).join(' | ')} |`);
  };
  for (const k of ['tf-200', 'tf-2000', 'cfn-200', 'cfn-2000', 'subnets']) {
    const r = results[k];
    if (r) for (const v of r.runs) add(r.label, v.variant, v.stages);
  }
  if (results.small) add(results.small.label, 'scan', results.small.stages);
  return rows.join('\n');
}

function targetsTable() {
  const rows = ['| target | measured | met |', '|---|---|:---:|'];
  const mark = (ok) => (ok === undefined ? '–' : ok ? '✓' : '✗');
  const byVariant = (k, pattern) => results[k]?.runs.find((v) => pattern.test(v.variant));
  const tfKeys = ['tf-200', 'tf-2000'].filter((k) => results[k]);
  const ratioRow = (target, pattern, limit) => {
    const vals = tfKeys.map((k) => [k, byVariant(k, pattern)]).filter(([, v]) => v);
    if (vals.length === 0)
      return rows.push(
        `| ${target} | not measured${pattern.source.includes('2') && !has.jobs ? ' (no --jobs option)' : ''} | ${has.jobs || !pattern.source.includes('2') ? '–' : '✗'} |`,
      );
    rows.push(
      `| ${target} | ${vals.map(([k, v]) => `${results[k].label}: ${f2(v.ratio)}× (CPU time ${f2(v.cpuRatio)}×)`).join('; ')} | ${mark(vals.every(([, v]) => v.ratio <= limit))} |`,
    );
  };
  ratioRow('one job ≤ 1.25× the parse-only floor', has.jobs ? /--jobs 1/ : /^scan$/, 1.25);
  ratioRow('two jobs ≤ 0.7× the floor', /--jobs 2/, 0.7);
  const c = results.cache;
  if (!c) rows.push('| warm rescan of an unchanged tree ≤ 10% of cold | not measured | – |');
  else if (c.missing) rows.push('| warm rescan of an unchanged tree ≤ 10% of cold | no cache (no --no-cache option) | ✗ |');
  else
    rows.push(
      `| warm rescan of an unchanged tree ≤ 10% of cold | ${c.label}: warm ${f0(c.warm)} ms, cold ${f0(c.cold)} ms (${pct(c.warm, c.cold)}) | ${mark(c.warm <= 0.1 * c.cold)} |`,
    );
  const s = results.small;
  rows.push(`| one small root module < 0.5 s wall | ${s ? `${f0(s.ms)} ms` : 'not measured'} | ${mark(s && s.ms < 500)} |`);
  const v = results.version;
  rows.push(`| \`--version\` < 0.15 s | ${v ? `${f0(v.ms)} ms` : 'not measured'} | ${mark(v && v.ms < 150)} |`);
  const big = ['tf-2000', 'cfn-2000'].filter((k) => results[k]);
  const peak = big.map((k) => [k, Math.max(...results[k].runs.map((x) => x.rssMb ?? 0))]);
  rows.push(
    `| peak RSS < 600 MB at N = 2000 | ${peak.length ? peak.map(([k, m]) => `${results[k].label}: ${f0(m)} MB`).join('; ') : 'not measured'} | ${mark(peak.length ? peak.every(([, m]) => m < 600) : undefined)} |`,
  );
  const sub = results.subnets;
  const subRun = sub?.runs[0];
  rows.push(
    `| 2000-subnet module within 2× hcl2json's parse of its file | ${subRun ? `${f0(subRun.ms)} ms against ${f0(sub.floor)} ms: ${f2(subRun.ratio)}× (CPU time ${f2(subRun.cpuRatio)}×)` : 'not measured'} | ${mark(subRun ? subRun.ratio <= 2 : undefined)} |`,
  );
  return rows.join('\n');
}

function machine() {
  const cpus = os.cpus();
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' });
  return {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    ramGb: (os.totalmem() / 1024 ** 3).toFixed(0),
    node: process.version,
    os: `${os.type()} ${os.arch()}`,
    commit: git.status === 0 ? git.stdout.trim() : undefined,
  };
}

const m = machine();
const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
const section = `## ${m.date}

Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGb} GB RAM, ${m.os}, Node ${m.node}${m.commit ? `; commit ${m.commit}` : ''}. Command: \`${command}\`
(${totalSeconds.toFixed(0)} s in all; load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after). \`--jobs\`: ${has.jobs ? 'yes' : 'not an option of this build'}; cache (\`--no-cache\`): ${has.noCache ? 'yes' : 'not an option of this build'}.

### Targets

${targetsTable()}

### Wall time, throughput, memory

${mainTable()}

### Where the time goes

Milliseconds per stage (share of the scanning process's own lifetime), the mean of the runs:

${stageTable()}
${
  results.cache && !results.cache.missing
    ? `
### Cache

${results.cache.label}: cold (cache folder emptied) ${f0(results.cache.cold)} ms, warm (second run, unchanged tree) ${f0(results.cache.warm)} ms${results.cache.cacheSeen ? '' : `; no cache folder appeared (${results.cache.where})`}. Both runs use the CLI's default \`--jobs\`.
`
    : ''
}`;

console.log(`\n${section}`);

if (write) {
  const headline = (() => {
    const r = results['tf-200']?.runs[0];
    const sub = results.subnets?.runs[0];
    return [
      r ? `Terraform N = 200 ${f2(r.ratio)}× the floor` : undefined,
      sub ? `2000 subnets ${f2(sub.ratio)}×` : undefined,
      results.small ? `small module ${f0(results.small.ms)} ms` : undefined,
      results.version ? `--version ${f0(results.version.ms)} ms` : undefined,
    ]
      .filter(Boolean)
      .join(', ');
  })();
  const previous = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
  const history =
    /## History\n\n([\s\S]*)$/
      .exec(previous)?.[1]
      ?.split('\n')
      .filter((l) => l.startsWith('- ')) ?? [];
  history.unshift(`- ${m.date}${m.commit ? ` (${m.commit})` : ''}: ${headline || 'partial run'}.`);
  const text = `# Benchmark results

\`npm run bench\` (\`bench/run.mjs\`) generates its inputs (\`bench/generate.mjs\`): trees of Terraform root modules (one VPC
each, in \`main.tf\`, \`variables.tf\` and \`outputs.tf\`: public and private subnets over three zones, a NAT gateway
per zone, route tables, an S3 endpoint on half of them), the same networks as CloudFormation templates (region left
symbolic, so every region of the bundled data is evaluated), one root module of 2000 subnets each with its own route
table and association (one 760 KB file), and one small root module. Each measurement is the built CLI (\`iac-vpce scan
--format sarif\`) in a process of its own, timed from spawn to exit; peak RSS is that process's. The floor is every
input file through \`@cdktf/hcl2json\` (templates: the \`yaml\` parser) and nothing else, in its own process
(\`bench/floor.mjs\`), run interleaved with the scans; the ratio is median scan wall time over median floor wall time.
Stage times come from the engine's opt-in \`IAC_VPCE_TIMINGS=1\`: \`startup\` is the time before the scan starts,
\`report\` the time after it ends (rendering, writing, exit), \`other\` the part of the scan no stage accounts for. Each
moment of the scan goes to one stage: an inner stage (a module parsed while it is evaluated) before the outer one, and
when stages overlap, work on the main thread before waiting for a parse, before waiting for a read. When root modules
and templates are scanned in unit workers (\`--jobs 2\`, from 256 of them), their stages run in the workers and the
main thread's wait for them shows as \`other\`. Each run gives the machine's load average before and after it: on a shared machine wall times grow with the load, CPU
times much less, so the CPU ratio to the floor is the steadier figure.

${section}
## History

${history.slice(0, 6).join('\n')}
`;
  writeFileSync(resultsFile, text);
  log(`wrote ${path.relative(process.cwd(), resultsFile)}`);
}
