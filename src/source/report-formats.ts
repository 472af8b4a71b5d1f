/**
 * The report formats, named once: the CLI's `--format` choices, the config file's `format:` check and the report
 * renderer all derive from this list. It lives here, below the engine, because both the engine's config and the
 * report layer above it need it.
 */
export const REPORT_FORMATS = ['text', 'json', 'sarif', 'junit', 'compact', 'markdown', 'github'] as const;

export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The format used when neither the command line nor the config file names one. */
export const DEFAULT_REPORT_FORMAT: ReportFormat = 'text';
