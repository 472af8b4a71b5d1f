import { describe, expect, it } from 'vitest';
import { interfaceEndpointHourPrice, natProcessingPrice } from '../../src/facts/aws-data.js';
import { escapeData, escapeProperty, formatGithub, ANNOTATIONS_PER_KIND } from '../../src/report/github.js';
import { formatMarkdown, PRIVATELINK_PRICING_URL } from '../../src/report/markdown.js';
import type { Finding, Level, ScanResult } from '../../src/source/findings.js';
import type { SourceRef } from '../../src/source/types.js';

const ref = (file: string, line: number, address: string): SourceRef => ({
  file,
  span: { start: { line, column: 3 }, end: { line, column: 20 } },
  address,
});

function finding(level: Level, n: number, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId: level === 'error' ? 'VPCE104' : level === 'warning' ? 'VPCE101' : 'VPCE301',
    level,
    messageId: 'main',
    message: `finding ${n}`,
    location: ref('main.tf', n, `aws_route_table.t${n}`),
    related: [],
    fingerprint: `${level}-${String(n).padStart(3, '0')}`,
    ...extra,
  };
}

function result(findings: Finding[], extra: Partial<ScanResult> = {}): ScanResult {
  return { root: '/repo/infra', findings, diagnostics: [], rules: [], files: ['main.tf'], toolVersion: '0.0.0', ...extra };
}

describe('github workflow commands', () => {
  it('escapes data and properties as the Actions toolkit does', () => {
    expect(escapeData('50% off\r\nnext: a,b')).toBe('50%25 off%0D%0Anext: a,b');
    expect(escapeProperty('50% off\r\nnext: a,b')).toBe('50%25 off%0D%0Anext%3A a%2Cb');
  });

  it('writes one annotation per finding with file, position and title, paths from the repository root', () => {
    const f = finding('warning', 7, { message: 'S3 via NAT: 100%\nsecond line', location: ref('net/main.tf', 7, 'aws_route_table.a["x,y"]') });
    const out = formatGithub(result([f]), { repoRoot: '/repo' });
    expect(out).toBe(
      '::warning file=infra/net/main.tf,line=7,col=3,endLine=7,endColumn=20,title=VPCE101 aws_route_table.a["x%2Cy"]::S3 via NAT: 100%25%0Asecond line\n',
    );
    // Without a repository root the paths stay relative to the scan root; outside the root they do too.
    expect(formatGithub(result([f]))).toContain('file=net/main.tf,');
    expect(formatGithub(result([f]), { repoRoot: '/elsewhere' })).toContain('file=net/main.tf,');
  });

  it("keeps within GitHub's per-step caps, most severe first, and counts the rest in one final notice", () => {
    const many = [
      ...Array.from({ length: 12 }, (_, i) => finding('warning', i + 1)),
      ...Array.from({ length: 4 }, (_, i) => finding('note', i + 100)),
      ...Array.from({ length: 15 }, (_, i) => finding('error', i + 200)),
    ];
    const lines = formatGithub(result(many)).trimEnd().split('\n');
    const kinds = lines.map((l) => l.slice(2, l.indexOf(' ')));
    expect(kinds.filter((k) => k === 'error')).toHaveLength(ANNOTATIONS_PER_KIND);
    expect(kinds.filter((k) => k === 'warning')).toHaveLength(ANNOTATIONS_PER_KIND);
    expect(kinds.filter((k) => k === 'notice')).toHaveLength(5);
    expect(kinds.indexOf('warning')).toBe(ANNOTATIONS_PER_KIND);
    expect(kinds.lastIndexOf('error')).toBe(ANNOTATIONS_PER_KIND - 1);
    expect(lines.at(-1)).toMatch(
      /^::notice title=iac-vpce%3A more findings::7 more findings not annotated: GitHub shows 10 errors, 10 warnings and 10 notices per step/,
    );
  });

  it('keeps one notice free for the count when notes alone overflow', () => {
    const lines = formatGithub(result(Array.from({ length: 12 }, (_, i) => finding('note', i + 1))))
      .trimEnd()
      .split('\n');
    expect(lines).toHaveLength(ANNOTATIONS_PER_KIND);
    expect(lines.at(-1)).toContain('3 more findings not annotated');
  });

  it('prints nothing for a clean scan', () => {
    expect(formatGithub(result([]))).toBe('');
  });
});

describe('markdown report', () => {
  const nat = finding('warning', 12, {
    message: 'S3 traffic | leaves <through> NAT',
    natRegions: ['us-east-1'],
    path: [
      { at: ref('main.tf', 3, 'aws_subnet.a'), message: 'subnet aws_subnet.a uses route table aws_route_table.t12' },
      { at: ref('main.tf', 14, 'aws_route_table.t12'), message: 'route 0.0.0.0/0 → aws_nat_gateway.main' },
    ],
  });

  it('has the table, the routing paths, the NAT charge per TB from the bundled pricing, and the counts', () => {
    const price = natProcessingPrice('us-east-1')!;
    const md = formatMarkdown(
      result([nat, finding('error', 2)], {
        diagnostics: [{ severity: 'note', code: 'rule-undecided', file: 'main.tf', message: 'x', rule: 'VPCE101' }],
        suppressed: [{ finding: finding('warning', 40), directive: { rules: ['VPCE101'] } as never }],
      }),
    );
    expect(md).toContain('**1 error, 1 warning, 0 notes** in 1 file scanned · 1 undecided · 1 suppressed');
    expect(md).toContain('| level | rule | resource | file:line | message |');
    expect(md).toContain(
      '| warning | [VPCE101](https://github.com/iac-vpce/iac-vpce/blob/main/docs/rules/VPCE101.md) | `aws_route_table.t12` | `main.tf:12` | S3 traffic \\| leaves &lt;through&gt; NAT |',
    );
    expect(md).toContain('1. subnet aws_subnet.a uses route table aws_route_table.t12 (`main.tf:3`)\n2. route 0.0.0.0/0 → aws_nat_gateway.main (`main.tf:14`)');
    expect(md).toContain(`| VPCE101 | \`aws_route_table.t12\` | us-east-1 | $${price.perTb.toFixed(2)} per TB |`);
    expect(md).toContain(`(${price.source}, read ${price.read})`);
    expect(md).toContain('per TB (1,024 GB) a month');
  });

  it('says when a region has no bundled rate, and gives the range over several regions', () => {
    const unpriced = finding('warning', 1, { natRegions: ['us-west-1'] });
    expect(natProcessingPrice('us-west-1')).toBeUndefined();
    expect(formatMarkdown(result([unpriced]))).toContain('| us-west-1 | rate not in the bundled pricing data |');
    const spread = finding('warning', 2, { natRegions: ['us-east-1', 'ap-southeast-1', 'us-west-1', 'eu-west-1'] });
    const lo = natProcessingPrice('us-east-1')!.perTb.toFixed(2);
    const hi = natProcessingPrice('ap-southeast-1')!.perTb.toFixed(2);
    expect(formatMarkdown(result([spread]))).toContain(
      `| 4 regions (us-east-1, ap-southeast-1, us-west-1, …) | $${lo} to $${hi} per TB (3 of 4 regions have a bundled rate) |`,
    );
  });

  it('lists the interface endpoints with their standing cost per hour and per month, and says where no rate is bundled', () => {
    const rate = interfaceEndpointHourPrice('us-east-1')!;
    expect(rate.perAzHour).toBeGreaterThan(0);
    expect(interfaceEndpointHourPrice('eu-west-1')).toBeUndefined();
    const md = formatMarkdown(
      result([], {
        interfaceEndpoints: [
          { at: ref('/repo/infra/ep.tf', 4, 'aws_vpc_endpoint.ecr_api'), service: 'ecr.api', region: 'us-east-1', azs: 3, azsIncomplete: false },
          { at: ref('ep.tf', 12, 'aws_vpc_endpoint.logs'), service: 'logs', region: 'us-east-1', azs: 2, azsIncomplete: true },
          { at: ref('ep.tf', 20, 'aws_vpc_endpoint.sts'), service: undefined, region: undefined, azs: 1, azsIncomplete: true },
          { at: ref('ep.tf', 30, 'aws_vpc_endpoint.kms'), service: 'kms', region: 'eu-west-1', azs: 2, azsIncomplete: false },
        ],
      }),
    );
    const hour3 = (rate.perAzHour * 3).toFixed(2);
    const month3 = (rate.perAzHour * 3 * 730).toFixed(2);
    expect(md).toContain('No findings.');
    expect(md).toContain(`| \`aws_vpc_endpoint.ecr_api\` | ecr.api | us-east-1 | 3 | $${hour3} | $${month3} | \`ep.tf:4\` |`);
    expect(md).toContain(
      `| \`aws_vpc_endpoint.logs\` | logs | us-east-1 | 2+ | at least $${(rate.perAzHour * 2).toFixed(2)} | at least $${(rate.perAzHour * 2 * 730).toFixed(2)} |`,
    );
    expect(md).toContain('| `aws_vpc_endpoint.sts` | unknown | deployment region | 1+ | rate not in the bundled pricing data | — | `ep.tf:20` |');
    expect(md).toContain('| `aws_vpc_endpoint.kms` | kms | eu-west-1 | 2 | rate not in the bundled pricing data | — | `ep.tf:30` |');
    expect(md).toContain('4 interface endpoints in 8 or more endpoint-AZs');
    expect(md).toContain(
      `The 2 with a bundled rate: $${(rate.perAzHour * 5).toFixed(2)} an hour, $${(rate.perAzHour * 5 * 730).toFixed(2)} a month (730 hours) or more;`,
    );
    expect(md).toContain(`(${rate.source}, read ${rate.read})`);
    expect(md).toContain(`2 endpoints have no bundled rate (region not known, or not in the data): see ${PRIVATELINK_PRICING_URL}.`);
  });
});
