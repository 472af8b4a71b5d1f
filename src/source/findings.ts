import type { SourceRef, Diagnostic, Span } from './types.js';
import type { Suppression } from './suppression.js';

export type Level = 'error' | 'warning' | 'note';
export type Category = 'cost' | 'correctness' | 'security' | 'reliability';

/** Everything that describes a rule; the single source for SARIF descriptors, `iac-vpce rules` and the docs index. */
export interface RuleMeta {
  id: string; // VPCE101
  name: string; // s3-traffic-via-nat
  level: Level;
  category: Category;
  /** One sentence. */
  summary: string;
  /** A paragraph: what the rule finds and why it matters. */
  description: string;
  /** For security rules: CVSS-like score as a string, e.g. '7.5' (GitHub `security-severity`). */
  securitySeverity?: string;
  /** 'very-high' | 'high' | 'medium' | 'low' — SARIF `precision`. */
  precision: 'very-high' | 'high' | 'medium' | 'low';
  tags: string[];
  messages: Record<string, string>;
}

/** One step of a routing path, emitted as a SARIF codeFlow location. */
export interface PathStep {
  at: SourceRef;
  /** e.g. 'subnet aws_subnet.private uses route table aws_route_table.private' */
  message: string;
}

export interface Fix {
  description: string;
  /** A snippet the user can paste (HCL or YAML). */
  snippet?: string;
  /** Where the fix is mechanical: the exact edits that make it (SARIF `fixes`, `iac-vpce fix`). Set by the engine from `requests`. */
  edits?: TextEdit[];
  /**
   * What a rule asks to change, by where things are written. The engine reads the file, turns the requests into `edits`
   * when the text is what they assume (a literal list, a block it can find) and removes them; otherwise the fix stays advice.
   */
  requests?: EditRequest[];
}

/** An exact change to one file: the text in `range` (1-based, columns in code points, end exclusive) becomes `text`. */
export interface TextEdit {
  file: string;
  /** An empty range (start = end) inserts. */
  range: Span;
  text: string;
}

export type EditRequest =
  /** One more element at the end of the list literal written at `list` (a `route_table_ids` attribute, a `RouteTableIds` property). */
  | { kind: 'append-to-list'; list: SourceRef; item: string }
  /**
   * A new top-level block or resource after the one whose header is `after`, written in the file's syntax without
   * indentation; `name` is the address or logical id it defines, and the request is dropped when that name is taken.
   */
  | { kind: 'insert-after'; after: SourceRef; text: string; name: string }
  /**
   * The one element of the list literal written at `list` that is `item` (`aws_subnet.b.id`, `!Ref SubnetB`, or
   * `{ "Ref": "SubnetB" }`), removed with its separator; the rest of the list keeps its layout.
   */
  | { kind: 'remove-from-list'; list: SourceRef; item: string }
  /**
   * A scalar attribute (Terraform) or property (CloudFormation) of the resource whose header is `resource` set to
   * `value` (`true`): the literal written there replaced, or the attribute added when the resource does not set it.
   */
  | { kind: 'set-attribute'; resource: SourceRef; name: string; value: string };

export interface Finding {
  ruleId: string;
  level: Level;
  messageId: string;
  message: string;
  /** Where the fix goes: the offending attribute or the block header (for CDK, the TypeScript that made the resource). */
  location: SourceRef;
  /** For a CDK finding moved to its TypeScript: the resource in the synthesized template where it was found. */
  origin?: SourceRef;
  related: Array<{ at: SourceRef; message: string }>;
  path?: PathStep[];
  fix?: Fix;
  /** For a finding whose traffic a NAT gateway processes: the regions it holds in, for the data processing at stake. */
  natRegions?: string[];
  /** Stable across edits elsewhere: hash of rule id, file and resource addresses (never line numbers). */
  fingerprint: string;
}

/** What the reporters receive. */
export interface ScanResult {
  /** Absolute path the relative `file`s are relative to. */
  root: string;
  findings: Finding[];
  diagnostics: Diagnostic[];
  rules: RuleMeta[];
  /** Files that were read, relative to root, sorted. */
  files: string[];
  toolVersion: string;
  /** Findings an inline directive or a config `ignore:` entry covers; left out of `findings` and of every report. */
  suppressed?: SuppressedFinding[];
  /** The interface endpoints the configurations declare, for their standing cost (billed per endpoint per AZ per hour). */
  interfaceEndpoints?: InterfaceEndpointInfo[];
  /**
   * Only in one part of a sharded scan: every suppression in force and the rules it names that suppressed nothing in
   * this part, so that merging the parts reports a suppression as unused only when no part used it.
   */
  suppressionUse?: Array<{ suppression: Suppression; idle: string[] }>;
}

/** An interface endpoint the configuration declares. */
export interface InterfaceEndpointInfo {
  at: SourceRef;
  /** The service name's suffix (`ecr.api`), when the name is known. */
  service: string | undefined;
  /** Undefined when the configuration does not say (a symbolic or unknown region). */
  region: string | undefined;
  /** Subnets listed: AWS allows one subnet per Availability Zone, so this is the number of AZs billed. */
  azs: number;
  /** Some subnet could not be resolved: the endpoint may be in more AZs. */
  azsIncomplete: boolean;
}

/** A finding left out of the report, and what left it out. */
export interface SuppressedFinding {
  finding: Finding;
  directive: Suppression;
}
