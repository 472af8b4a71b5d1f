/** Types of scripts/rule-docs.mjs, for the test that checks the docs against the rule metadata. */

export interface RuleDocMeta {
  id: string;
  name: string;
  level: string;
  summary: string;
}

export const START: string;
export const END: string;
export function readmeTable(rules: readonly RuleDocMeta[]): string;
export function docsIndexTable(rules: readonly RuleDocMeta[]): string;
export function withBlock(text: string, block: string, file: string): string;
export function pageHeader(rule: RuleDocMeta): string;
export function withPageHeader(text: string, rule: RuleDocMeta): string;
export function pageSummary(text: string): string;
export function ruleDocs(rules: readonly RuleDocMeta[], read: (file: string) => string): Array<{ file: string; text: string }>;
