import { describe, expect, it } from 'vitest';
import type * as sarif from 'sarif';
import { formatSarif, toSarif } from '../../src/report/sarif.js';
import { validateSarif } from '../helpers/sarif-schema.js';
import { ODD_FILE, ref, ROOT, scanResult, shuffledScanResult } from './scan-result.js';

const run = (): sarif.Run => toSarif(scanResult()).runs[0]!;
const resultFor = (ruleId: string): sarif.Result => run().results!.find((r) => r.ruleId === ruleId)!;

describe('SARIF report', () => {
  it('validates against the OASIS SARIF 2.1.0 schema', () => {
    expect(validateSarif(toSarif(scanResult()))).toEqual([]);
  });

  it('validates when there is nothing to report', () => {
    const empty = { ...scanResult(), findings: [], diagnostics: [], files: [] };
    expect(validateSarif(toSarif(empty))).toEqual([]);
  });

  it('the schema check catches a broken log (0 is not a line)', () => {
    const log = toSarif(scanResult());
    log.runs[0]!.results![0]!.locations![0]!.physicalLocation!.region!.startLine = 0;
    expect(validateSarif(log).join('\n')).toMatch(/startLine/);
  });

  it('describes the tool and every rule passed in, sorted by id', () => {
    const driver = run().tool.driver;
    expect(driver).toMatchObject({ name: 'iac-vpce', version: '0.1.0', semanticVersion: '0.1.0', informationUri: 'https://github.com/iac-vpce/iac-vpce' });
    expect(driver.rules!.map((r) => r.id)).toEqual(['VPCE101', 'VPCE104', 'VPCE205', 'VPCE301', 'VPCE401']);
    const s3 = driver.rules![0]!;
    expect(s3).toMatchObject({
      name: 's3-traffic-via-nat',
      shortDescription: { text: 'Summary of s3-traffic-via-nat.' },
      fullDescription: { text: 'What s3-traffic-via-nat finds, and why it matters.' },
      helpUri: 'https://github.com/iac-vpce/iac-vpce/blob/main/docs/rules/VPCE101.md',
      defaultConfiguration: { level: 'warning' },
      properties: { tags: ['cost', 'nat'], precision: 'high' },
    });
    expect(s3.help!.text).toContain('Summary of s3-traffic-via-nat.');
    expect(s3.help!.markdown).toContain('(https://github.com/iac-vpce/iac-vpce/blob/main/docs/rules/VPCE101.md)');
    expect(s3.properties).not.toHaveProperty('security-severity');
  });

  it('adds the category to the tags and carries security-severity for security rules', () => {
    const open = run().tool.driver.rules!.find((r) => r.id === 'VPCE401')!;
    expect(open.properties).toEqual({ tags: ['security', 'vpc-endpoint'], precision: 'very-high', 'security-severity': '8.1' });
    const full = run().tool.driver.rules!.find((r) => r.id === 'VPCE301')!;
    expect(full.properties!.tags).toEqual(['vpc-endpoint', 'security']);
  });

  it('points every ruleIndex at its rule', () => {
    const { tool, results } = run();
    expect(results).toHaveLength(4);
    for (const r of results!) expect(tool.driver.rules![r.ruleIndex!]!.id).toBe(r.ruleId);
  });

  it('gives a finding whose rule metadata is missing a descriptor of its own', () => {
    const result = { ...scanResult(), rules: scanResult().rules.filter((r) => r.id !== 'VPCE104') };
    const log = toSarif(result);
    const r = log.runs[0]!.results!.find((x) => x.ruleId === 'VPCE104')!;
    expect(log.runs[0]!.tool.driver.rules![r.ruleIndex!]).toEqual({ id: 'VPCE104', defaultConfiguration: { level: 'error' } });
    expect(validateSarif(log)).toEqual([]);
  });

  it('sorts results by file, line, column and rule', () => {
    expect(run().results!.map((r) => `${r.locations![0]!.physicalLocation!.artifactLocation!.uri}:${r.ruleId}`)).toEqual([
      'app/lambda.tf:VPCE301',
      'main.tf:VPCE104',
      'main.tf:VPCE101',
      'modules/net%20work/vpc%231%20donn%C3%A9es.tf:VPCE401',
    ]);
  });

  it('has exactly one primary location whose region equals the span', () => {
    const r = resultFor('VPCE104');
    expect(r.locations).toHaveLength(1);
    expect(r.level).toBe('error');
    expect(r.locations![0]).toEqual({
      physicalLocation: {
        artifactLocation: { uri: 'main.tf', uriBaseId: '%SRCROOT%', index: 3 },
        region: { startLine: 7, startColumn: 3, endLine: 7, endColumn: 50 },
      },
      logicalLocations: [{ fullyQualifiedName: 'aws_vpc_endpoint.s3_b', kind: 'resource' }],
    });
  });

  it('uses relative, percent-encoded URIs that keep the slashes', () => {
    const log = toSarif(scanResult());
    const loc = resultFor('VPCE401').locations![0]!.physicalLocation!.artifactLocation!;
    expect(loc.uri).toBe('modules/net%20work/vpc%231%20donn%C3%A9es.tf');
    expect(decodeURIComponent(loc.uri!)).toBe(ODD_FILE);
    expect(log.runs[0]!.artifacts![loc.index!]!.location!.uri).toBe(loc.uri);
    const text = formatSarif(scanResult());
    expect(text).not.toContain(ROOT);
    expect(text).not.toContain('file:');
  });

  it('lists every scanned file as an artifact, and every artifact index resolves', () => {
    const { artifacts, results, invocations } = run();
    const scanned = artifacts!.filter((a) => a.roles?.includes('analysisTarget')).map((a) => decodeURIComponent(a.location!.uri!));
    expect(scanned).toEqual(['app/lambda.tf', 'broken.tf', 'main.tf', ODD_FILE, 'variables.tf']);
    // The var file was not scanned but a diagnostic names it, so it is an artifact too, relative to the root.
    expect(artifacts!.map((a) => a.location!.uri)).toContain('env/prod.tfvars');
    const locations = [
      ...results!.flatMap((r) => [
        ...r.locations!,
        ...(r.relatedLocations ?? []),
        ...(r.codeFlows?.[0]?.threadFlows[0]!.locations.map((l) => l.location!) ?? []),
      ]),
      ...invocations![0]!.toolExecutionNotifications!.flatMap((n) => n.locations ?? []),
    ];
    for (const l of locations) {
      const a = l.physicalLocation!.artifactLocation!;
      expect(a.uriBaseId).toBe('%SRCROOT%');
      expect(artifacts![a.index!]!.location!.uri).toBe(a.uri);
    }
  });

  it('numbers related locations from 1 and keeps their messages', () => {
    const related = resultFor('VPCE101').relatedLocations!;
    expect(related.map((r) => r.id)).toEqual([1, 2]);
    expect(related[0]!.physicalLocation!.region).toEqual({ startLine: 12, startColumn: 3, endLine: 15, endColumn: 4 });
    expect(related[1]).toMatchObject({
      message: { text: 'subnet aws_subnet.app uses route table aws_route_table.private' },
      physicalLocation: { artifactLocation: { uri: 'app/lambda.tf' } },
    });
    expect(resultFor('VPCE401')).not.toHaveProperty('relatedLocations');
  });

  it('emits the routing path as a code flow', () => {
    const flows = resultFor('VPCE101').codeFlows!;
    expect(flows).toHaveLength(1);
    const steps = flows[0]!.threadFlows[0]!.locations;
    expect(steps.map((s) => s.location!.message!.text)).toEqual([
      'subnet aws_subnet.app uses route table aws_route_table.private',
      'route table aws_route_table.private',
      'route 0.0.0.0/0',
      'NAT gateway aws_nat_gateway.main',
    ]);
    expect(steps[3]!.location!.physicalLocation!.region).toEqual({ startLine: 14, startColumn: 5, endLine: 14, endColumn: 45 });
    expect(resultFor('VPCE104')).not.toHaveProperty('codeFlows');
  });

  it('uses the finding fingerprint as primaryLocationLineHash', () => {
    expect(resultFor('VPCE101').partialFingerprints).toEqual({ primaryLocationLineHash: 'VPCE101:0f3a9c2e7b1d4a55' });
  });

  it('keeps message.text plain but for links to related locations, and carries fixes as properties, not SARIF fixes', () => {
    const r = resultFor('VPCE101');
    expect(r.message.text).toBe(scanResult().findings[0]!.message.replace(' aws_subnet.app ', ' [aws_subnet.app](2) '));
    expect(r).not.toHaveProperty('fixes');
    expect(r.properties!['fix']).toEqual(scanResult().findings[0]!.fix);
    expect(r.message.markdown).toContain('**Fix:** Add an S3 gateway endpoint on aws\\_route\\_table.private.');
    expect(r.message.markdown).toContain('```\nresource "aws_vpc_endpoint" "s3" {');
    expect(resultFor('VPCE401').message).toEqual({ text: scanResult().findings[2]!.message });
  });

  it('describes the run: automation id, column kind, a source root without a machine path', () => {
    const r = run();
    expect(r.automationDetails).toEqual({ id: 'iac-vpce/' });
    expect(toSarif(scanResult(), { category: 'network/prod' }).runs[0]!.automationDetails).toEqual({ id: 'iac-vpce/network/prod/' });
    expect(toSarif(scanResult(), { category: '/network/' }).runs[0]!.automationDetails).toEqual({ id: 'iac-vpce/network/' });
    expect(r.invocations![0]).not.toHaveProperty('workingDirectory');
    expect(r.columnKind).toBe('unicodeCodePoints');
    expect(r.originalUriBaseIds!['%SRCROOT%']).not.toHaveProperty('uri');
    expect(toSarif(scanResult()).version).toBe('2.1.0');
  });

  it('links each related resource once, escapes brackets in link text and leaves the primary resource as text', () => {
    const result = scanResult();
    const f = result.findings[0]!;
    result.findings[0] = {
      ...f,
      message:
        'From aws_subnet.private["a"] via aws_nat_gateway.main[0] and aws_nat_gateway.main, then aws_subnet.private["a"] again; table aws_route_table.private.',
      related: [
        { at: ref('main.tf', 12, 3, 4, 'aws_route_table.private'), message: 'the table itself' },
        { at: ref('main.tf', 14, 5, 45, 'aws_nat_gateway.main'), message: 'NAT gateway' },
        { at: ref('app/lambda.tf', 1, 1, 35, 'aws_subnet.private["a"]'), message: 'subnet' },
        { at: ref('app/lambda.tf', 1, 1, 35, 'aws_subnet.private["a"]'), message: 'the same subnet again' },
      ],
    };
    const r = toSarif(result).runs[0]!.results!.find((x) => x.ruleId === 'VPCE101')!;
    expect(r.message.text).toBe(
      'From [aws_subnet.private\\["a"\\]](3) via aws_nat_gateway.main[0] and [aws_nat_gateway.main](2), then aws_subnet.private["a"] again; table aws_route_table.private.',
    );
    expect(r.relatedLocations!.map((l) => l.id)).toEqual([1, 2, 3, 4]);
  });

  it('gives problem.severity to rules without a security-severity, from their level', () => {
    const props = Object.fromEntries(run().tool.driver.rules!.map((r) => [r.id, r.properties!['problem.severity']]));
    expect(props).toEqual({ VPCE101: 'warning', VPCE104: 'error', VPCE205: 'error', VPCE301: undefined, VPCE401: undefined });
  });

  it('makes URIs relative to a source root above the scan root, and drops locations outside it', () => {
    const result = { ...scanResult(), root: `${ROOT}/infra` };
    result.diagnostics = [...result.diagnostics, { severity: 'warning', code: 'tf-var-file', message: 'Outside.', file: '/etc/outside.tfvars' }];
    const r = toSarif(result, { sourceRoot: ROOT }).runs[0]!;
    expect(r.results!.map((x) => x.locations![0]!.physicalLocation!.artifactLocation!.uri)).toContain('infra/main.tf');
    expect(r.artifacts!.map((a) => a.location!.uri)).not.toContain('../etc/outside.tfvars');
    const outside = r.invocations![0]!.toolExecutionNotifications!.find((n) => n.message.text === 'Outside.')!;
    expect(outside).not.toHaveProperty('locations');
    expect(r.originalUriBaseIds!['%SRCROOT%']!.description!.text).toMatch(/^The repository root/);
    expect(validateSarif(toSarif(result, { sourceRoot: ROOT }))).toEqual([]);
  });

  it('emits suppressed findings only when asked, with the kind, status and reason of what suppressed them', () => {
    const base = scanResult();
    const [viaNat, duplicate] = base.findings;
    const result = {
      ...base,
      findings: base.findings.slice(2),
      suppressed: [
        {
          finding: viaNat!,
          directive: { source: 'terraform' as const, rules: ['VPCE101'], reason: 'accepted cost', file: 'main.tf', line: 9, scope: { kind: 'file' as const } },
        },
        { finding: duplicate!, directive: { source: 'config' as const, rule: 'VPCE104', reason: 'migration', file: '.iac-vpce.yml', line: 3 } },
      ],
    };
    expect(toSarif(result).runs[0]!.results!.map((r) => r.ruleId)).toEqual(['VPCE301', 'VPCE401']);
    const all = toSarif(result, { includeSuppressed: true });
    expect(validateSarif(all)).toEqual([]);
    const by = Object.fromEntries(all.runs[0]!.results!.map((r) => [r.ruleId, r.suppressions]));
    expect(by).toEqual({
      VPCE101: [{ kind: 'inSource', status: 'accepted', justification: 'accepted cost' }],
      VPCE104: [{ kind: 'external', status: 'accepted', justification: 'migration' }],
      VPCE301: undefined,
      VPCE401: undefined,
    });
  });

  it('turns diagnostics into tool execution notifications', () => {
    const [invocation] = run().invocations!;
    expect(invocation!.executionSuccessful).toBe(true);
    const notes = invocation!.toolExecutionNotifications!;
    expect(notes.map((n) => n.descriptor!.id)).toEqual(['tf-parse-error', 'tf-var-file', 'tf-unknown-function', 'tf-remote-state']);
    expect(notes[0]).toEqual({
      level: 'error',
      message: { text: 'Unclosed configuration block.' },
      descriptor: { id: 'tf-parse-error' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'broken.tf', uriBaseId: '%SRCROOT%', index: 1 }, region: { startLine: 2, startColumn: 7 } } }],
    });
    expect(notes[2]!.locations![0]!.physicalLocation!.region).toEqual({ startLine: 11 });
    expect(notes[3]!.level).toBe('note');
    expect(notes[3]!.locations![0]!.physicalLocation).not.toHaveProperty('region');
  });

  it('is deterministic: byte-identical across runs and input orders', () => {
    const a = formatSarif(scanResult());
    expect(formatSarif(scanResult())).toBe(a);
    expect(formatSarif(shuffledScanResult())).toBe(a);
    expect(a.endsWith('}\n')).toBe(true);
    expect(a).toContain('\n  "version": "2.1.0",\n');
  });

  it('never emits a region below 1, even for a malformed span', () => {
    const result = scanResult();
    result.findings[3] = {
      ...result.findings[3]!,
      location: { ...result.findings[3]!.location, span: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } } },
    };
    expect(validateSarif(toSarif(result))).toEqual([]);
  });
});
