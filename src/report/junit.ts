import type { Finding, RuleMeta, ScanResult } from '../source/findings.js';
import { isUndecided, type Diagnostic } from '../source/types.js';
import { compareText, sortedDiagnostics, sortedFindings } from './common.js';
import { xmlAttr, xmlText } from './xml.js';

/*
 * JUnit XML as GitLab (`artifacts:reports:junit`) and Jenkins (`junit` step) read it. GitLab keys a test case by its
 * `classname` and `name`, shows `classname` in its "Suite" column, and keeps only the first of two cases with the same
 * name (https://docs.gitlab.com/ci/testing/unit_test_reports/); so each rule is one <testsuite> whose cases all carry
 * the rule as `classname`, and a case's `name` holds the file, line, column and resource, made unique when two
 * findings would share it.
 *
 * - a finding (any level) is a failing case: <failure type="LEVEL" message="…"> with the message, path and fix;
 * - a `rule-undecided` note is a skipped case of its rule: the rule did not run to a verdict there, and a skipped
 *   case neither fails the report nor counts as a pass;
 * - an error or warning diagnostic (a file that cannot be parsed, an invalid config) is an erroring case in the suite
 *   `iac-vpce diagnostics`: the check could not run on that file.
 * Times are 0 and there is no timestamp, so the same scan gives the same bytes.
 */

interface Case {
  name: string;
  file: string;
  body: string;
  kind: 'failure' | 'skipped' | 'error';
}

interface Suite {
  name: string;
  cases: Case[];
}

export function formatJunit(result: ScanResult): string {
  const suites = [...ruleSuites(result), diagnosticSuite(result)].filter((s) => s.cases.length > 0);
  const count = (cases: Case[], kind: Case['kind']) => cases.filter((c) => c.kind === kind).length;
  const all = suites.flatMap((s) => s.cases);
  const totals = (cases: Case[]) =>
    `tests="${cases.length}" failures="${count(cases, 'failure')}" errors="${count(cases, 'error')}" skipped="${count(cases, 'skipped')}" time="0"`;
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="iac-vpce" ${totals(all)}>`];
  for (const suite of suites) {
    out.push(`  <testsuite name="${xmlAttr(suite.name)}" ${totals(suite.cases)}>`);
    for (const c of uniqueNames(suite.cases)) out.push(testCase(suite.name, c));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

function testCase(classname: string, c: Case): string {
  const open = `    <testcase classname="${xmlAttr(classname)}" name="${xmlAttr(c.name)}" file="${xmlAttr(c.file)}" time="0">`;
  return `${open}\n      ${c.body}\n    </testcase>`;
}

function ruleSuiteName(id: string, rules: readonly RuleMeta[]): string {
  const rule = rules.find((r) => r.id === id);
  return rule ? `${rule.id} ${rule.name}` : id;
}

function ruleSuites(result: ScanResult): Suite[] {
  const byRule = new Map<string, Case[]>();
  const add = (id: string, c: Case) => byRule.set(id, [...(byRule.get(id) ?? []), c]);
  for (const f of sortedFindings(result)) add(f.ruleId, findingCase(f));
  for (const d of sortedDiagnostics(result).filter((x) => isUndecided(x) && x.rule !== undefined)) {
    const name = `${place(d)} ${d.resource ?? ''}`.trimEnd();
    add(d.rule!, { name, file: d.file, kind: 'skipped', body: `<skipped message="${xmlAttr(`undecided: ${d.message}`)}"/>` });
  }
  return [...byRule.keys()].sort(compareText).map((id) => ({ name: ruleSuiteName(id, result.rules), cases: byRule.get(id)! }));
}

function findingCase(f: Finding): Case {
  const { file, span, address } = f.location;
  const at = `${file}:${span.start.line}:${span.start.column}`;
  const detail = [`${at}: ${f.level} ${f.ruleId} ${f.message}`, `resource: ${address}`];
  if (f.path && f.path.length > 0) detail.push('path:', ...f.path.map((s) => `  ${s.message} (${s.at.file}:${s.at.span.start.line})`));
  if (f.fix) detail.push(`fix: ${f.fix.description}`, ...(f.fix.snippet ? [f.fix.snippet.replace(/\n+$/, '')] : []));
  return {
    name: `${at} ${address}`,
    file,
    kind: 'failure',
    body: `<failure type="${f.level}" message="${xmlAttr(f.message)}">${xmlText(detail.join('\n'))}</failure>`,
  };
}

function diagnosticSuite(result: ScanResult): Suite {
  const cases = sortedDiagnostics(result)
    .filter((d) => !isUndecided(d) && d.severity !== 'note')
    .map((d): Case => ({
      name: `${place(d)} ${d.code}`,
      file: d.file,
      kind: 'error',
      body: `<error type="${xmlAttr(d.code)}" message="${xmlAttr(d.message)}">${xmlText(`${place(d)}: ${d.severity} ${d.code}: ${d.message}`)}</error>`,
    }));
  return { name: 'iac-vpce diagnostics', cases };
}

function place(d: Diagnostic): string {
  if (!d.file) return '(scan)';
  return `${d.file}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ''}` : ''}`;
}

/** GitLab drops every case after the first of one name: a repeated name gets ` (2)`, ` (3)`, … */
function uniqueNames(cases: Case[]): Case[] {
  const seen = new Map<string, number>();
  return cases.map((c) => {
    const n = (seen.get(c.name) ?? 0) + 1;
    seen.set(c.name, n);
    return n === 1 ? c : { ...c, name: `${c.name} (${n})` };
  });
}
