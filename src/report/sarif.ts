import type * as sarif from 'sarif';
import type { Finding, Fix, ScanResult } from '../source/findings.js';
import type { Diagnostic, SourceRef, Span } from '../source/types.js';
import { compareText, pathToUri, portablePath, REPO_URL, sortedDiagnostics, sortedFindings } from './common.js';
import { ruleTable } from './sarif-rules.js';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const SRCROOT = '%SRCROOT%';
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * Resolves repo-relative paths to `artifactLocation`s pointing into `run.artifacts`. Files that findings or
 * diagnostics name but the scan did not list (a synthetic source, a var file outside the tree) are added, so every
 * `index` points at an artifact; only the files the scan read carry the `analysisTarget` role.
 */
class Artifacts {
  private readonly indexOf = new Map<string, number>();
  readonly list: sarif.Artifact[];

  constructor(scanned: readonly string[], referenced: readonly string[]) {
    const targets = new Set(scanned);
    const all = [...new Set([...scanned, ...referenced])].sort(compareText);
    all.forEach((file, i) => this.indexOf.set(file, i));
    this.list = all.map((file) => ({
      location: { uri: pathToUri(file), uriBaseId: SRCROOT },
      ...(targets.has(file) ? { roles: ['analysisTarget' as const] } : {}),
    }));
  }

  location(file: string): sarif.ArtifactLocation {
    return { uri: pathToUri(file), uriBaseId: SRCROOT, index: this.indexOf.get(file)! };
  }
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
 * SARIF `fixes` need artifact changes with replacement regions, and a fix here is advice plus a snippet to paste,
 * not an edit. So `message.text` stays the plain finding, the fix is carried as data in `properties.fix`, and
 * viewers that render Markdown get it in `message.markdown`.
 */
function message(finding: Finding): sarif.Message {
  if (!finding.fix) return { text: finding.message };
  const parts = [escapeMarkdown(finding.message), `**Fix:** ${escapeMarkdown(finding.fix.description)}`];
  if (finding.fix.snippet) parts.push(fenced(finding.fix.snippet));
  return { text: finding.message, markdown: parts.join('\n\n') };
}

function fixProperty(fix: Fix): { description: string; snippet?: string } {
  return fix.snippet === undefined ? { description: fix.description } : { description: fix.description, snippet: fix.snippet };
}

export function toSarif(result: ScanResult): sarif.Log {
  const findings = sortedFindings(result);
  const diagnostics = sortedDiagnostics(result);

  const referenced: string[] = [];
  for (const f of findings) {
    referenced.push(f.location.file, ...f.related.map((r) => r.at.file), ...(f.path ?? []).map((s) => s.at.file));
  }
  for (const d of diagnostics) if (d.file) referenced.push(d.file);
  const artifacts = new Artifacts(
    result.files.map((f) => portablePath(f, result.root)),
    referenced,
  );
  const rules = ruleTable(result.rules, findings);

  const physical = (ref: SourceRef): sarif.PhysicalLocation => ({ artifactLocation: artifacts.location(ref.file), region: region(ref.span) });
  const logical = (ref: SourceRef): sarif.LogicalLocation[] => [{ fullyQualifiedName: ref.address, kind: 'resource' }];

  const results = findings.map((f): sarif.Result => {
    const out: sarif.Result = {
      ruleId: f.ruleId,
      ruleIndex: rules.indexOf.get(f.ruleId)!,
      level: f.level,
      message: message(f),
      locations: [{ physicalLocation: physical(f.location), logicalLocations: logical(f.location) }],
      partialFingerprints: { primaryLocationLineHash: f.fingerprint },
    };
    if (f.related.length > 0) {
      out.relatedLocations = f.related.map((r, i) => ({
        id: i + 1,
        physicalLocation: physical(r.at),
        logicalLocations: logical(r.at),
        message: { text: r.message },
      }));
    }
    if (f.path && f.path.length > 0) {
      out.codeFlows = [
        {
          threadFlows: [
            {
              locations: f.path.map((step) => ({
                location: { physicalLocation: physical(step.at), logicalLocations: logical(step.at), message: { text: step.message } },
              })),
            },
          ],
        },
      ];
    }
    if (f.fix) out.properties = { fix: fixProperty(f.fix) };
    return out;
  });

  const notification = (d: Diagnostic): sarif.Notification => {
    const out: sarif.Notification = { level: d.severity, message: { text: d.message || d.code }, descriptor: { id: d.code } };
    // A rule that stayed silent: the notification refers to the rule's descriptor, so viewers can group by rule.
    const ruleIndex = d.rule !== undefined ? rules.indexOf.get(d.rule) : undefined;
    if (d.rule !== undefined && ruleIndex !== undefined) out.associatedRule = { id: d.rule, index: ruleIndex };
    if (d.file) {
      const physicalLocation: sarif.PhysicalLocation = { artifactLocation: artifacts.location(d.file) };
      if (d.line !== undefined && Number.isInteger(d.line) && d.line >= 1) {
        physicalLocation.region =
          d.column !== undefined && Number.isInteger(d.column) && d.column >= 1 ? { startLine: d.line, startColumn: d.column } : { startLine: d.line };
      }
      out.locations = [{ physicalLocation }];
    }
    return out;
  };

  const driver: sarif.ToolComponent = { name: 'iac-vpce', version: result.toolVersion, informationUri: REPO_URL };
  if (SEMVER.test(result.toolVersion)) driver.semanticVersion = result.toolVersion;
  driver.rules = rules.descriptors;

  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver },
        automationDetails: { id: 'iac-vpce/' },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: diagnostics.map(notification) }],
        // The base's absolute URI would be the scanning machine's checkout path: it would leak into committed golden
        // files and differ between machines. The spec lets a base id go without `uri` (the consumer resolves it,
        // as GitHub does against the repository root), so only its meaning is recorded.
        originalUriBaseIds: { [SRCROOT]: { description: { text: 'The directory iac-vpce scanned; every artifact URI is relative to it.' } } },
        artifacts: artifacts.list,
        // Parsers count columns in code points (a string iterated in JavaScript), not UTF-16 units.
        columnKind: 'unicodeCodePoints',
        results,
      },
    ],
  };
}

/** The SARIF log as committed and uploaded: 2-space JSON with a trailing newline, byte-identical for equal input. */
export function formatSarif(result: ScanResult): string {
  return `${JSON.stringify(toSarif(result), null, 2)}\n`;
}
