import type { ScanResult } from '../source/findings.js';
import type { ReportFormat } from '../source/report-formats.js';
import { formatCompact } from './compact.js';
import { formatGithub, type GithubOptions } from './github.js';
import { formatJson } from './json.js';
import { formatMarkdown } from './markdown.js';
import { formatJunit } from './junit.js';
import { formatSarif, type SarifOptions } from './sarif.js';
import { formatText, type TextOptions } from './text.js';

export { REPORT_FORMATS, DEFAULT_REPORT_FORMAT, type ReportFormat } from '../source/report-formats.js';

export type FormatOptions = Partial<TextOptions> & GithubOptions & { sarif?: SarifOptions };

/** Renders a scan in one of the report formats; pure, so the CLI alone decides where the text goes. */
export function format(result: ScanResult, kind: ReportFormat, opts: FormatOptions = {}): string {
  switch (kind) {
    case 'sarif':
      return formatSarif(result, opts.sarif);
    case 'json':
      return formatJson(result);
    case 'junit':
      return formatJunit(result);
    case 'compact':
      return formatCompact(result);
    case 'markdown':
      return formatMarkdown(result, { repoRoot: opts.repoRoot ?? opts.sarif?.sourceRoot });
    case 'github':
      return formatGithub(result, { repoRoot: opts.repoRoot ?? opts.sarif?.sourceRoot });
    case 'text':
      return formatText(result, {
        color: opts.color ?? false,
        readFile: opts.readFile,
        showUndecided: opts.showUndecided,
        width: opts.width,
        vpcs: opts.vpcs,
        inBaseline: opts.inBaseline,
      });
    default: {
      const unknown: never = kind;
      throw new Error(`unknown report format: ${String(unknown)}`);
    }
  }
}

export { formatJson, toJsonReport, type JsonReport, type JsonFinding, type JsonDiagnostic, type JsonLocation } from './json.js';
export { formatSarif, toSarif, automationId, SARIF_SCHEMA_URI, type SarifOptions } from './sarif.js';
export { formatText, type TextOptions } from './text.js';
export { formatMarkdown } from './markdown.js';
export { formatGithub, ANNOTATIONS_PER_KIND, type GithubOptions } from './github.js';
export { formatJunit } from './junit.js';
export { formatCompact } from './compact.js';
