import path from 'node:path';
import type * as sarif from 'sarif';
import { compareText, pathToUri } from './common.js';
import { SHARD_PROPERTY, type ShardProperty } from './sarif.js';
import { unusedSuppressionNote } from '../engine/suppress.js';
import type { Suppression } from '../source/suppression.js';
import type { Diagnostic } from '../source/types.js';

const TOOL = 'iac-vpce';

export interface SarifInput {
  /** How the log is named in messages (its file). */
  name: string;
  log: unknown;
}

/**
 * Merges iac-vpce SARIF logs of one analysis, the parts of a sharded scan (`--shard K/N`), into the log a one-shot
 * scan writes: one run, artifacts, rules, results and notifications each deduplicated and in the order the scan gives
 * them, every `index` pointing into the merged arrays, and the shard marks removed. When the parts carry shard marks,
 * every part of the same split must be there exactly once. Returns a message when the logs cannot be merged.
 */
export function mergeSarif(inputs: readonly SarifInput[]): sarif.Log | string {
  if (inputs.length === 0) return 'nothing to merge: give the SARIF files of the parts';
  const runs: Array<{ name: string; run: sarif.Run }> = [];
  let first: sarif.Log | undefined;
  for (const { name, log } of inputs) {
    const problem = shapeProblem(log);
    if (problem) return `${name}: ${problem}`;
    const l = log as sarif.Log;
    first ??= l;
    for (const run of l.runs) runs.push({ name, run });
  }
  const head = runs[0]!.run;
  for (const { name, run } of runs) {
    const differs = sameAnalysis(head, run);
    if (differs) return `${name}: ${differs} differs from ${runs[0]!.name}; merge joins the parts of one analysis`;
  }
  const shards = shardsOf(runs);
  if (typeof shards === 'string') return shards;
  const scanRoot = shards?.scanRoot ?? '.';

  const rules = mergeRules(runs.map((r) => r.run.tool.driver.rules ?? []));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const fileOf = (loc: sarif.Location | undefined): string => {
    const uri = loc?.physicalLocation?.artifactLocation?.uri;
    return uri === undefined ? '' : scanRelative(uriToPath(uri), scanRoot);
  };

  const results = new Map<string, sarif.Result>();
  for (const { run } of runs) {
    for (const r of run.results ?? []) {
      const key = r.partialFingerprints?.['primaryLocationLineHash'] ?? JSON.stringify(r);
      if (!results.has(key)) results.set(key, r);
    }
  }
  const notifications = new Map<string, sarif.Notification>();
  const add = (n: sarif.Notification) => {
    const key = JSON.stringify(reindexed(n, new Map(), ruleIndex, true));
    if (!notifications.has(key)) notifications.set(key, n);
  };
  for (const { run } of runs) {
    for (const inv of run.invocations ?? []) {
      for (const n of inv.toolExecutionNotifications ?? []) {
        // Whether a suppression was used is decided over all the parts, below.
        if (!(shards && n.descriptor?.id === 'suppression-unused')) add(n);
      }
    }
  }
  if (shards) for (const d of unusedSuppressions(runs)) add(suppressionNotification(d, shards.scanRoot, head));

  // An artifact is listed when a part analyzed it or something merged refers to it, as the scan lists them.
  const referenced = new Set<string>();
  collectUris([...results.values(), ...notifications.values()], referenced);
  const artifacts = mergeArtifacts(runs.map((r) => r.run.artifacts ?? [])).filter(
    (a) => a.roles?.includes('analysisTarget') || referenced.has(a.location!.uri!),
  );
  const artifactIndex = new Map(artifacts.map((a, i) => [a.location!.uri!, i]));
  const reindex = <T>(value: T): T => reindexed(value, artifactIndex, ruleIndex);
  const resultKey = (r: sarif.Result) => {
    const loc = r.locations?.[0];
    const reg = loc?.physicalLocation?.region ?? {};
    return {
      file: fileOf(loc),
      startLine: reg.startLine ?? 0,
      startColumn: reg.startColumn ?? 0,
      endLine: reg.endLine ?? 0,
      endColumn: reg.endColumn ?? 0,
      address: loc?.logicalLocations?.[0]?.fullyQualifiedName ?? '',
    };
  };
  // The order of `compareFindingsForReport`, read back from the results.
  const sortedResults = [...results.values()].map(reindex).sort((a, b) => {
    const ka = resultKey(a);
    const kb = resultKey(b);
    return (
      compareText(ka.file, kb.file) ||
      ka.startLine - kb.startLine ||
      ka.startColumn - kb.startColumn ||
      compareText(a.ruleId ?? '', b.ruleId ?? '') ||
      compareText(ka.address, kb.address) ||
      compareText(a.partialFingerprints?.['primaryLocationLineHash'] ?? '', b.partialFingerprints?.['primaryLocationLineHash'] ?? '') ||
      ka.endLine - kb.endLine ||
      ka.endColumn - kb.endColumn ||
      compareText(a.message.text ?? '', b.message.text ?? '')
    );
  });
  // The order of `compareDiagnostics`, read back from the notifications.
  const sortedNotifications = [...notifications.values()].map(reindex).sort((a, b) => {
    const la = a.locations?.[0];
    const lb = b.locations?.[0];
    const ra = la?.physicalLocation?.region ?? {};
    const rb = lb?.physicalLocation?.region ?? {};
    return (
      compareText(fileOf(la), fileOf(lb)) ||
      (ra.startLine ?? 0) - (rb.startLine ?? 0) ||
      (ra.startColumn ?? 0) - (rb.startColumn ?? 0) ||
      compareText(a.descriptor?.id ?? '', b.descriptor?.id ?? '') ||
      compareText(a.level ?? '', b.level ?? '') ||
      compareText(a.message.text ?? '', b.message.text ?? '')
    );
  });

  // Built from the first run so that keys keep the order the scan writes them in.
  const merged = {} as sarif.Run;
  for (const [key, value] of Object.entries(head) as Array<[keyof sarif.Run, unknown]>) {
    if (key === 'tool') merged.tool = { ...head.tool, driver: { ...head.tool.driver, rules } };
    else if (key === 'invocations')
      merged.invocations = [
        {
          executionSuccessful: runs.every(({ run }) => (run.invocations ?? []).every((i) => i.executionSuccessful)),
          toolExecutionNotifications: sortedNotifications,
        },
      ];
    else if (key === 'artifacts') merged.artifacts = artifacts;
    else if (key === 'results') merged.results = sortedResults;
    else if (key === 'properties') {
      const rest = Object.fromEntries(Object.entries(head.properties ?? {}).filter(([k]) => k !== SHARD_PROPERTY));
      if (Object.keys(rest).length > 0) merged.properties = rest;
    } else (merged as unknown as Record<string, unknown>)[key] = value;
  }
  return { ...first!, runs: [merged] };
}

function shapeProblem(log: unknown): string | undefined {
  if (typeof log !== 'object' || log === null || Array.isArray(log)) return 'not a SARIF log (a JSON object is expected)';
  const l = log as Partial<sarif.Log>;
  if (l.version !== '2.1.0') return `not a SARIF 2.1.0 log (version ${JSON.stringify(l.version)})`;
  if (!Array.isArray(l.runs) || l.runs.length === 0) return 'the log has no runs';
  for (const run of l.runs) {
    if (run?.tool?.driver?.name !== TOOL) return `a run of ${JSON.stringify(run?.tool?.driver?.name)}: merge joins iac-vpce logs only`;
  }
  return undefined;
}

/** What must be equal for two runs to be parts of one analysis; undefined when they are. */
function sameAnalysis(a: sarif.Run, b: sarif.Run): string | undefined {
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  if (a.tool.driver.version !== b.tool.driver.version) return 'the iac-vpce version';
  if (!same(a.automationDetails, b.automationDetails)) return 'the category (automationDetails.id)';
  if (!same(a.originalUriBaseIds, b.originalUriBaseIds)) return 'the source root (originalUriBaseIds)';
  if (a.columnKind !== b.columnKind) return 'columnKind';
  return undefined;
}

/** The split the runs are parts of; undefined when none carries a shard mark; a message when parts are missing. */
function shardsOf(runs: ReadonlyArray<{ name: string; run: sarif.Run }>): { count: number; scanRoot: string } | undefined | string {
  const marks = runs.map(({ name, run }) => ({ name, mark: run.properties?.[SHARD_PROPERTY] as ShardProperty | undefined }));
  if (marks.every((m) => m.mark === undefined)) return undefined;
  const unmarked = marks.find((m) => m.mark === undefined);
  if (unmarked) return `${unmarked.name} is not a part of a sharded scan (no --shard) but ${marks.find((m) => m.mark)!.name} is`;
  const seen = new Map<number, string>();
  let count: number | undefined;
  let scanRoot: string | undefined;
  for (const { name, mark } of marks) {
    const m = /^(\d+)\/(\d+)$/.exec(String(mark!.shard));
    if (!m || typeof mark!.scanRoot !== 'string') return `${name}: unreadable ${SHARD_PROPERTY} property`;
    const [k, n] = [Number(m[1]), Number(m[2])];
    count ??= n;
    scanRoot ??= mark!.scanRoot;
    if (n !== count) return `${name} is part ${k}/${n} but another log is part of a split into ${count}`;
    if (mark!.scanRoot !== scanRoot) return `${name} scanned ${mark!.scanRoot}, another part scanned ${scanRoot}`;
    if (seen.has(k)) return `part ${k}/${n} given twice: ${seen.get(k)} and ${name}`;
    seen.set(k, name);
  }
  const missing = Array.from({ length: count! }, (_, i) => i + 1).filter((k) => !seen.has(k));
  if (missing.length > 0)
    return `part${missing.length === 1 ? '' : 's'} ${missing.map((k) => `${k}/${count}`).join(', ')} missing: the merged log would lack their findings`;
  return { count: count!, scanRoot: scanRoot! };
}

/** Artifacts by URI, once each, sorted by path as the scan sorts them; a file any part analyzed keeps that role. */
function mergeArtifacts(lists: ReadonlyArray<readonly sarif.Artifact[]>): sarif.Artifact[] {
  const byUri = new Map<string, sarif.Artifact>();
  for (const list of lists) {
    for (const a of list) {
      const uri = a.location?.uri;
      if (uri === undefined) continue;
      const had = byUri.get(uri);
      if (!had) byUri.set(uri, { ...a });
      else if (a.roles?.includes('analysisTarget') && !had.roles?.includes('analysisTarget')) byUri.set(uri, { ...had, roles: ['analysisTarget'] });
    }
  }
  return [...byUri.entries()].sort((a, b) => compareText(uriToPath(a[0]), uriToPath(b[0]))).map(([, a]) => a);
}

function mergeRules(lists: ReadonlyArray<readonly sarif.ReportingDescriptor[]>): sarif.ReportingDescriptor[] {
  const byId = new Map<string, sarif.ReportingDescriptor>();
  for (const list of lists) for (const r of list) if (!byId.has(r.id)) byId.set(r.id, r);
  return [...byId.values()].sort((a, b) => compareText(a.id, b.id));
}

/**
 * A copy with every artifact and rule index pointing into the merged arrays (with `dropArtifactIndex`, artifact
 * indexes are set to 0: a key that compares notifications of different parts).
 */
function reindexed<T>(value: T, artifacts: ReadonlyMap<string, number>, rules: ReadonlyMap<string, number>, dropArtifactIndex = false): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== 'object' || v === null) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x);
    const o = v as Record<string, unknown>;
    if (typeof o['uri'] === 'string' && typeof o['index'] === 'number') {
      if (dropArtifactIndex) out['index'] = 0;
      else if (artifacts.has(o['uri'])) out['index'] = artifacts.get(o['uri']);
    }
    if (typeof o['ruleId'] === 'string' && typeof o['ruleIndex'] === 'number' && rules.has(o['ruleId'])) out['ruleIndex'] = rules.get(o['ruleId']);
    // A notification's associatedRule: `{ id, index }`.
    if (typeof o['id'] === 'string' && typeof o['index'] === 'number' && !('uri' in o) && rules.has(o['id'])) out['index'] = rules.get(o['id']);
    return out;
  };
  return walk(value) as T;
}

/** The path a relative artifact URI stands for (each segment percent-decoded, as `pathToUri` encoded it). */
function uriToPath(uri: string): string {
  return uri
    .split('/')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    })
    .join('/');
}

/** A source-root-relative path as the scan named it: relative to the scan root. */
function scanRelative(file: string, scanRoot: string): string {
  return scanRoot === '.' ? file : path.posix.relative(scanRoot, file) || '.';
}

function collectUris(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) collectUris(v, into);
  else if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    if (typeof o['uri'] === 'string' && typeof o['index'] === 'number') into.add(o['uri']);
    for (const v of Object.values(o)) collectUris(v, into);
  }
}

/**
 * The `suppression-unused` notes of the whole scan: a suppression's rule is idle when it suppressed nothing in every
 * part that read the suppression (a part that did not read its file has nothing to say about it).
 */
function unusedSuppressions(runs: ReadonlyArray<{ run: sarif.Run }>): Diagnostic[] {
  const byKey = new Map<string, { suppression: Suppression; idle: string[] }>();
  for (const { run } of runs) {
    const mark = run.properties?.[SHARD_PROPERTY] as ShardProperty | undefined;
    for (const entry of mark?.suppressions ?? []) {
      const key = JSON.stringify(entry.suppression);
      const had = byKey.get(key);
      if (!had) byKey.set(key, { suppression: entry.suppression, idle: [...entry.idle] });
      else had.idle = had.idle.filter((id) => entry.idle.includes(id));
    }
  }
  return [...byKey.values()].filter((e) => e.idle.length > 0).map((e) => unusedSuppressionNote(e.suppression, e.idle));
}

/** A diagnostic as the SARIF reporter writes it (artifact index filled in later). */
function suppressionNotification(d: Diagnostic, scanRoot: string, run: sarif.Run): sarif.Notification {
  const out: sarif.Notification = { level: d.severity, message: { text: d.message || d.code }, descriptor: { id: d.code } };
  const rel = d.file ? path.posix.normalize(path.posix.join(scanRoot, d.file)) : '';
  if (rel && rel !== '..' && !rel.startsWith('../') && !path.posix.isAbsolute(rel)) {
    const physicalLocation: sarif.PhysicalLocation = { artifactLocation: { uri: pathToUri(rel), uriBaseId: baseIdOf(run), index: 0 } };
    if (d.line !== undefined && Number.isInteger(d.line) && d.line >= 1) physicalLocation.region = { startLine: d.line };
    out.locations = [{ physicalLocation }];
  }
  return out;
}

function baseIdOf(run: sarif.Run): string {
  return Object.keys(run.originalUriBaseIds ?? {})[0] ?? '%SRCROOT%';
}
