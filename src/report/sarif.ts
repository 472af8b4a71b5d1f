import path from 'node:path';
import type * as sarif from 'sarif';
import type { Finding, Fix, ScanResult, SuppressedFinding } from '../source/findings.js';
import type { Suppression } from '../source/suppression.js';
import type { Diagnostic, SourceRef, Span } from '../source/types.js';
import { compareFindingsForReport, compareText, pathToUri, portablePath, REPO_URL, sortedDiagnostics, sortedFindings } from './common.js';
import { linkRelated } from './sarif-links.js';
import { ruleTable, type RuleTable } from './sarif-rules.js';
import { sarifFixes } from './sarif-fixes.js';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const SRCROOT = '%SRCROOT%';
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const TOOL = 'iac-vpce';
const SOURCE_ROOT_TEXT = 'The repository root: the top of the git work tree that holds the scanned files, else the working directory.';
const SCAN_ROOT_TEXT = 'The directory iac-vpce scanned; every artifact URI is relative to it.';

export interface SarifOptions {
  /**
   * Absolute directory every artifact URI is relative to: the repository root, since GitHub code scanning reads
   * relative URIs as relative to the root of the analyzed repository. Default: the scan root.
   */
  sourceRoot?: string;
  /** The analysis category: `automationDetails.id` becomes `iac-vpce/<category>/` (default `iac-vpce/`). */
  category?: string;
  /** Emit suppressed findings as results carrying `suppressions` (default: leave them out). */
  includeSuppressed?: boolean;
  /**
   * This log is one part of a sharded scan (`--shard K/N`): the run records the part and the scan root (relative to
   * the source root) under `properties["iac-vpce/shard"]`, which `iac-vpce merge` reads and removes.
   */
  shard?: { index: number; count: number };
}

/** The run property a shard's log carries for `iac-vpce merge`. */
export const SHARD_PROPERTY = 'iac-vpce/shard';

export interface ShardProperty {
  /** `K/N`. */
  shard: string;
  /** The scan root relative to the source root (`.` when they are the same): merge orders paths as the scan did. */
  scanRoot: string;
  /** Every suppression in force in this part and its rules that suppressed nothing here (`ScanResult.suppressionUse`). */
  suppressions: Array<{ suppression: Suppression; idle: string[] }>;
}

/**
 * `automationDetails.id` is read by GitHub as `<category>/<run id>`: everything before the last `/` is the category,
 * and an id ending in `/` has no run id ("SARIF support for code scanning", `runAutomationDetails` object). A second
 * upload for the same commit, tool and category replaces the first, so each analysis of a monorepo part needs its own.
 */
export function automationId(category?: string): string {
  const trimmed = category?.replace(/^\/+|\/+$/g, '');
  return trimmed ? `${TOOL}/${trimmed}/` : `${TOOL}/`;
}

/**
 * Resolves scan-root-relative paths to `artifactLocation`s relative to the source root, pointing into
 * `run.artifacts`. Files that findings or diagnostics name but the scan did not list (a synthetic source, a var file)
 * are added, so every `index` points at an artifact; only the files the scan read carry the `analysisTarget` role. A
 * file outside the source root has no relative URI (`..` would leave the repository) and gets no artifact.
 */
class Artifacts {
  private readonly indexOf = new Map<string, number>();
  readonly list: sarif.Artifact[];

  constructor(
    private readonly toSource: (file: string) => string | undefined,
    scanned: readonly string[],
    referenced: readonly string[],
  ) {
    const targets = new Set(scanned.map(toSource));
    const all = [...new Set([...scanned, ...referenced].map(toSource))].filter((f): f is string => f !== undefined).sort(compareText);
    all.forEach((file, i) => this.indexOf.set(file, i));
    this.list = all.map((file) => ({
      location: { uri: pathToUri(file), uriBaseId: SRCROOT },
      ...(targets.has(file) ? { roles: ['analysisTarget' as const] } : {}),
    }));
  }

  /** The location of a file the scan names, or undefined when it lies outside the source root. */
  location(file: string): sarif.ArtifactLocation | undefined {
    const rel = this.toSource(file);
    return rel === undefined ? undefined : { uri: pathToUri(rel), uriBaseId: SRCROOT, index: this.indexOf.get(rel)! };
  }
}

/** Maps a path relative to the scan root (or absolute) to one relative to the source root, forward slashes. */
function sourceRelative(scanRoot: string, sourceRoot: string): (file: string) => string | undefined {
  return (file) => {
    if (sourceRoot === scanRoot && !path.isAbsolute(file) && !file.startsWith('../') && file !== '..') return file;
    const rel = path.relative(sourceRoot, path.resolve(scanRoot, file)).split(path.sep).join('/');
    if (rel === '' || rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) return undefined;
    return rel;
  };
}

/** SARIF lines and columns start at 1; a malformed span must not make the whole log fail validation. */
function region(span: Span): sarif.Region {
  const atLeastOne = (n: number) => (Number.isInteger(n) && n >= 1 ? n : 1);
  return {
    startLine: atLeastOne(span.start.line),
    startColumn: atLeastOne(span.start.column),
    endLine: atLeastOne(span.end.line),
    endColumn: atLeastOne(span.end.column),
  };
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+!|~]/g, '\\$&').replace(/^(\s*)-/gm, '$1\\-');
}

function fenced(code: string): string {
  const longestRun = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}\n${code.replace(/\n+$/, '')}\n${fence}`;
}

/**
 * Every fix is advice plus a snippet to paste; only a mechanical one also has exact edits (SARIF `fixes`, see
 * `toResult`). So `message.text` stays the finding (with its related resources linked), the advice is carried as data
 * in `properties.fix`, and viewers that render Markdown get it in `message.markdown`.
 */
function message(finding: Finding, related: readonly sarif.Location[]): sarif.Message {
  const text = linkRelated(finding.message, related, finding.location.address);
  if (!finding.fix) return { text };
  const parts = [escapeMarkdown(finding.message), `**Fix:** ${escapeMarkdown(finding.fix.description)}`];
  if (finding.fix.snippet) parts.push(fenced(finding.fix.snippet));
  return { text, markdown: parts.join('\n\n') };
}

function fixProperty(fix: Fix): { description: string; snippet?: string } {
  return fix.snippet === undefined ? { description: fix.description } : { description: fix.description, snippet: fix.snippet };
}

/**
 * SARIF 2.1.0 §3.35: an inline comment or CloudFormation/CDK `Metadata` is an `inSource` suppression, a config file
 * `ignore:` entry an `external` one; the reason is the justification, and an active suppression is `accepted`.
 */
function suppression(s: SuppressedFinding['directive']): sarif.Suppression {
  const out: sarif.Suppression = { kind: s.source === 'config' ? 'external' : 'inSource', status: 'accepted' };
  if (s.reason) out.justification = s.reason;
  return out;
}

interface Context {
  artifacts: Artifacts;
  rules: RuleTable;
}

function physical(ctx: Context, ref: SourceRef): sarif.PhysicalLocation | undefined {
  const artifactLocation = ctx.artifacts.location(ref.file);
  return artifactLocation && { artifactLocation, region: region(ref.span) };
}

function location(ctx: Context, ref: SourceRef, id?: number, text?: string): sarif.Location | undefined {
  const physicalLocation = physical(ctx, ref);
  if (!physicalLocation) return undefined;
  const out: sarif.Location = id === undefined ? {} : { id };
  Object.assign(out, { physicalLocation, logicalLocations: [{ fullyQualifiedName: ref.address, kind: 'resource' }] });
  if (text !== undefined) out.message = { text };
  return out;
}

function toResult(ctx: Context, f: Finding, suppressedBy?: SuppressedFinding['directive']): sarif.Result {
  const related: sarif.Location[] = [];
  for (const r of f.related) {
    const loc = location(ctx, r.at, related.length + 1, r.message);
    if (loc) related.push(loc);
  }
  const primary = location(ctx, f.location);
  const out: sarif.Result = {
    ruleId: f.ruleId,
    ruleIndex: ctx.rules.indexOf.get(f.ruleId)!,
    level: f.level,
    message: message(f, related),
    locations: primary ? [primary] : [],
    partialFingerprints: { primaryLocationLineHash: f.fingerprint },
  };
  if (related.length > 0) out.relatedLocations = related;
  const steps = (f.path ?? []).flatMap((step) => location(ctx, step.at, undefined, step.message) ?? []);
  if (steps.length > 0) out.codeFlows = [{ threadFlows: [{ locations: steps.map((l) => ({ location: l })) }] }];
  if (suppressedBy) out.suppressions = [suppression(suppressedBy)];
  if (f.fix) out.properties = { fix: fixProperty(f.fix) };
  // Mechanical fixes also as exact edits, relative to the same base as every other location of the result.
  const fixes = sarifFixes(f.fix, (file) => ctx.artifacts.location(file));
  if (fixes) out.fixes = fixes;
  return out;
}

function notification(ctx: Context, d: Diagnostic): sarif.Notification {
  const out: sarif.Notification = { level: d.severity, message: { text: d.message || d.code }, descriptor: { id: d.code } };
  // A rule that stayed silent: the notification refers to the rule's descriptor, so viewers can group by rule.
  const ruleIndex = d.rule !== undefined ? ctx.rules.indexOf.get(d.rule) : undefined;
  if (d.rule !== undefined && ruleIndex !== undefined) out.associatedRule = { id: d.rule, index: ruleIndex };
  const artifactLocation = d.file ? ctx.artifacts.location(d.file) : undefined;
  if (artifactLocation) {
    const physicalLocation: sarif.PhysicalLocation = { artifactLocation };
    if (d.line !== undefined && Number.isInteger(d.line) && d.line >= 1) {
      physicalLocation.region =
        d.column !== undefined && Number.isInteger(d.column) && d.column >= 1 ? { startLine: d.line, startColumn: d.column } : { startLine: d.line };
    }
    out.locations = [{ physicalLocation }];
  }
  return out;
}

/** The suppressed findings to emit, with portable paths and in report order, each with what suppressed it. */
function suppressedFindings(result: ScanResult): Array<[Finding, SuppressedFinding['directive']]> {
  const by = new Map((result.suppressed ?? []).map((s) => [s.finding.fingerprint, s.directive]));
  const findings = sortedFindings({ ...result, findings: (result.suppressed ?? []).map((s) => s.finding) });
  return findings.map((f) => [f, by.get(f.fingerprint)!]);
}

export function toSarif(result: ScanResult, options: SarifOptions = {}): sarif.Log {
  const kept = sortedFindings(result);
  const suppressed = options.includeSuppressed ? suppressedFindings(result) : [];
  const diagnostics = sortedDiagnostics(result);
  const findings = [...kept, ...suppressed.map(([f]) => f)];

  const referenced: string[] = [];
  for (const f of findings) referenced.push(f.location.file, ...f.related.map((r) => r.at.file), ...(f.path ?? []).map((s) => s.at.file));
  for (const d of diagnostics) if (d.file) referenced.push(d.file);
  const toSource = sourceRelative(result.root, options.sourceRoot ?? result.root);
  const artifacts = new Artifacts(
    toSource,
    result.files.map((f) => portablePath(f, result.root)),
    referenced,
  );
  const ctx: Context = { artifacts, rules: ruleTable(result.rules, findings) };
  const results = [...kept.map((f): [Finding, SuppressedFinding['directive'] | undefined] => [f, undefined]), ...suppressed]
    .sort((a, b) => compareFindingsForReport(a[0], b[0]))
    .map(([f, by]) => toResult(ctx, f, by));

  const driver: sarif.ToolComponent = { name: TOOL, version: result.toolVersion, informationUri: REPO_URL };
  if (SEMVER.test(result.toolVersion)) driver.semanticVersion = result.toolVersion;
  driver.rules = ctx.rules.descriptors;

  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver },
        automationDetails: { id: automationId(options.category) },
        // No `workingDirectory`: GitHub reads it only to turn absolute artifact URIs into relative ones, and every URI
        // here is relative already; the runner's path would only make logs differ between machines.
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: diagnostics.map((d) => notification(ctx, d)) }],
        // GitHub resolves relative URIs against the root of the analyzed repository, and the spec lets a base id go
        // without `uri` (the consumer supplies it). Recording the absolute root would put the scanning machine's
        // checkout path into every log (and into committed golden files), so only its meaning is recorded.
        originalUriBaseIds: { [SRCROOT]: { description: { text: options.sourceRoot === undefined ? SCAN_ROOT_TEXT : SOURCE_ROOT_TEXT } } },
        artifacts: artifacts.list,
        // Parsers count columns in code points (a string iterated in JavaScript), not UTF-16 units.
        columnKind: 'unicodeCodePoints',
        results,
        ...(options.shard ? { properties: { [SHARD_PROPERTY]: shardProperty(options.shard, result, options.sourceRoot ?? result.root) } } : {}),
      },
    ],
  };
}

function shardProperty(shard: { index: number; count: number }, result: ScanResult, sourceRoot: string): ShardProperty {
  return {
    shard: `${shard.index}/${shard.count}`,
    scanRoot: path.relative(sourceRoot, result.root).split(path.sep).join('/') || '.',
    suppressions: (result.suppressionUse ?? []).map(({ suppression, idle }) => ({
      suppression: { ...suppression, file: portablePath(suppression.file, result.root) },
      idle,
    })),
  };
}

/** The SARIF log as committed and uploaded: 2-space JSON with a trailing newline, byte-identical for equal input. */
export function formatSarif(result: ScanResult, options: SarifOptions = {}): string {
  return `${JSON.stringify(toSarif(result, options), null, 2)}\n`;
}
