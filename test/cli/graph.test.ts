import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';
import { dotText } from '../../src/report/graph-dot.js';
import { mermaidText } from '../../src/report/graph-mermaid.js';
import type { NetworkPicture } from '../../src/report/graph-model.js';
import { tmpTree } from '../helpers/tmp-tree.js';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLE = path.join(ROOT, 'examples/terraform-nat-vpc');
const BIN = path.join(ROOT, 'dist/src/cli/bin.js');

async function run(argv: string[], cwd = ROOT) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTty: false, env: {}, cwd };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/**
 * The statements the Mermaid output may hold, checked line by line as far as a grammar can be without mermaid
 * itself: a header, subgraphs with quoted titles closed by `end`, nodes declared once with quoted labels in one of
 * the flowchart shapes, links between declared ids, and the class and link styles.
 */
function mermaidProblems(text: string): string[] {
  const problems: string[] = [];
  const lines = text.trimEnd().split('\n');
  if (lines[0] !== 'flowchart LR') problems.push(`header: ${lines[0]}`);
  const label = '"[^"]*"';
  const shapes = [`\\[${label}\\]`, `\\[\\[${label}\\]\\]`, `\\{\\{${label}\\}\\}`, `\\(\\[${label}\\]\\)`, `>${label}\\]`, `\\(${label}\\)`];
  const node = new RegExp(`^\\s*(n\\d+)(?:${shapes.join('|')})$`);
  const subgraph = new RegExp(`^\\s*subgraph (g\\d+)\\[${label}\\]$`);
  const link = new RegExp(`^\\s*(n\\d+) (?:-->\\|${label}\\||-->|-\\.-) (n\\d+)$`);
  const declared = new Set<string>();
  const links: Array<[string, string]> = [];
  let depth = 0;
  let linkCount = 0;
  for (const line of lines.slice(1)) {
    let m: RegExpExecArray | null;
    if ((m = node.exec(line))) {
      if (declared.has(m[1]!)) problems.push(`declared twice: ${m[1]}`);
      declared.add(m[1]!);
    } else if (subgraph.test(line)) depth++;
    else if (/^\s*end$/.test(line)) depth--;
    else if ((m = link.exec(line))) {
      links.push([m[1]!, m[2]!]);
      linkCount++;
    } else if (/^ {2}classDef finding [\w:#,-]+$/.test(line) || /^ {2}class (n|g)\d+(,(n|g)\d+)* finding$/.test(line)) continue;
    else if ((m = /^ {2}linkStyle ([\d,]+) [\w:#,-]+$/.exec(line))) {
      for (const i of m[1]!.split(',')) if (Number(i) >= linkCount) problems.push(`linkStyle ${i} names no link`);
    } else problems.push(`not a statement: ${line}`);
    if (depth < 0) problems.push('end without subgraph');
  }
  if (depth !== 0) problems.push('subgraph not closed');
  for (const [a, b] of links) if (!declared.has(a) || !declared.has(b)) problems.push(`link to an undeclared node: ${a} ${b}`);
  return problems;
}

describe('iac-vpce graph', () => {
  it('draws the example VPC as Mermaid: zones with their subnets and NAT gateways, tables, routes, gateways, endpoints', async () => {
    const r = await run(['graph', EXAMPLE]);
    expect(r.code).toBe(0);
    expect(mermaidProblems(r.stdout)).toEqual([]);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => l.includes('subgraph')).map((l) => l.trim())).toEqual([
      'subgraph g1["VPC aws_vpc.main<br/>10.50.0.0/16"]',
      'subgraph g2["us-east-1a"]',
      'subgraph g3["us-east-1b"]',
    ]);
    const zoneA = lines.slice(
      lines.findIndex((l) => l.includes('subgraph g2')),
      lines.findIndex((l) => l.includes('subgraph g3')),
    );
    expect(zoneA.filter((l) => /^\s+n\d+/.test(l)).map((l) => l.trim().replace(/^n\d+/, ''))).toEqual([
      '["subnet aws_subnet.app[#34;us-east-1a#34;]<br/>10.50.32.0/20"]',
      '["subnet aws_subnet.db[0]<br/>10.50.200.0/24"]',
      '["subnet aws_subnet.public[0]<br/>10.50.0.0/24"]',
      '{{"NAT gateway aws_nat_gateway.main[0]"}}',
    ]);
    const id = (text: string) =>
      lines
        .find((l) => l.includes(text))!
        .trim()
        .match(/^n\d+/)![0];
    const table = id('route table aws_route_table.app[#34;us-east-1a#34;]');
    expect(r.stdout).toContain(`  ${table} -->|"0.0.0.0/0"| ${id('NAT gateway aws_nat_gateway.main[0]')}\n`);
    expect(r.stdout).toContain(`  ${id('subnet aws_subnet.app[#34;us-east-1a#34;]')} --> ${table}\n`);
    const db = id('route table aws_route_table.db');
    expect(r.stdout).toContain(`  ${db} -->|"com.amazonaws.us-east-1.s3"| ${id('VPC endpoint aws_vpc_endpoint.s3')}\n`);
    expect(r.stdout).toContain(`  ${db} -->|"52.216.0.0/16<br/>finding: VPCE103"| ${id('internet gateway aws_internet_gateway.main')}\n`);
    // The app route tables carry the VPCE101 and VPCE102 findings; the pinned route VPCE103's.
    expect(r.stdout).toContain(`  class ${table},${id('route table aws_route_table.app[#34;us-east-1b#34;]')} finding\n`);
    expect(r.stdout).toMatch(/\n {2}linkStyle \d+ stroke:#d1242f,stroke-width:3px\n$/);
  });

  it('gives the same picture every time, in every format', async () => {
    for (const format of ['mermaid', 'dot', 'json']) {
      const a = await run(['graph', EXAMPLE, '--format', format]);
      const b = await run(['graph', '.', '--format', format], EXAMPLE);
      expect(a.stdout).toBe(b.stdout);
    }
  });

  it('writes DOT with the zones as clusters inside the VPC and the flagged resources in red', async () => {
    const r = await run(['graph', EXAMPLE, '--format', 'dot']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('digraph network {\n')).toBe(true);
    const opened = (r.stdout.match(/\{\n/g) ?? []).length;
    expect((r.stdout.match(/^\s*\}$/gm) ?? []).length).toBe(opened);
    expect(r.stdout.match(/subgraph cluster_g\d+/g)).toEqual(['subgraph cluster_g1', 'subgraph cluster_g2', 'subgraph cluster_g3']);
    const declared = new Set([...r.stdout.matchAll(/^\s+(n\d+) \[shape=/gm)].map((m) => m[1]));
    const edges = [...r.stdout.matchAll(/^\s+(n\d+) -> (n\d+)/gm)];
    expect(edges.length).toBe(13);
    for (const e of edges) expect(declared.has(e[1]) && declared.has(e[2])).toBe(true);
    expect(r.stdout).toContain('label="route table aws_route_table.app[\\"us-east-1a\\"]\\nfinding: VPCE101, VPCE102", color="#d1242f"');
  });

  it('gives the nodes and edges as JSON', async () => {
    const r = await run(['graph', EXAMPLE, '--format', 'json']);
    const picture = JSON.parse(r.stdout) as NetworkPicture & { version: number };
    expect(picture.version).toBe(1);
    const kinds = picture.nodes.map((n) => n.kind).sort();
    expect(kinds.filter((k) => k === 'subnet')).toHaveLength(6);
    expect(kinds.filter((k) => k === 'route-table')).toHaveLength(4);
    expect(kinds.filter((k) => k === 'nat-gateway')).toHaveLength(2);
    expect(picture.nodes.find((n) => n.kind === 'gateway-endpoint')).toMatchObject({ address: 'aws_vpc_endpoint.s3', file: 'main.tf', line: 103 });
    const flagged = picture.edges.filter((e) => e.findings.length > 0);
    expect(flagged).toEqual([expect.objectContaining({ kind: 'route', label: '52.216.0.0/16', address: 'aws_route.db_pinned', findings: ['VPCE103'] })]);
    expect(picture.vpcs[0]!.groups.map((g) => g.label)).toEqual(['us-east-1a', 'us-east-1b']);
  });

  it('draws every flagged rule fixture and both examples as valid Mermaid, with no control character or symbolic region marker', async () => {
    const rulesDir = path.join(ROOT, 'fixtures/rules');
    const dirs = readdirSync(rulesDir).flatMap((rule) =>
      readdirSync(path.join(rulesDir, rule)).flatMap((format) =>
        readdirSync(path.join(rulesDir, rule, format))
          .filter((d) => d.startsWith('bad-'))
          .map((d) => path.join(rulesDir, rule, format, d)),
      ),
    );
    expect(dirs.length).toBeGreaterThan(10);
    for (const dir of [...dirs, EXAMPLE, path.join(ROOT, 'examples/cdk-app')]) {
      const r = await run(['graph', '.', '--region', 'us-east-1'], dir);
      expect(r.code, `${dir}: ${r.stderr}`).toBe(0);
      expect(mermaidProblems(r.stdout), dir).toEqual([]);
      // eslint-disable-next-line no-control-regex
      expect(r.stdout, dir).not.toMatch(/[\u0000-\u0009\u000b-\u001f]|#0;/);
    }
  });

  it('escapes what a configuration controls for each syntax', () => {
    const hostile = 'aws_vpc.x["a\\"b"] #1 `<script>` *x* _y_ é\n|';
    const m = mermaidText(hostile);
    expect(m).not.toMatch(/["`<>*|\n]/);
    expect(m).toBe('aws_vpc.x[#34;a#92;#34;b#34;] #35;1 #96;#60;script#62;#96; #42;x#42; #95;y#95; #233;#10;#124;');
    expect(dotText(hostile)).toBe('aws_vpc.x[\\"a\\\\\\"b\\"] #1 `<script>` *x* _y_ é\ufffd|');
  });

  it('exits 2 when there is nothing to draw, and refuses an unknown format', async () => {
    const empty = tmpTree({ 'README.md': '# nothing\n' });
    expect((await run(['graph', '.'], empty)).code).toBe(2);
    expect((await run(['graph', EXAMPLE, '--format', 'png'])).code).toBe(2);
  });

  it('matches the Mermaid picture embedded in the README, drawn by the built CLI', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const block = /<!-- graph:start -->\n```mermaid\n([\s\S]*?)```\n<!-- graph:end -->/.exec(readme);
    expect(block, 'README.md needs the graph:start/graph:end block').not.toBeNull();
    const r = spawnSync(process.execPath, [BIN, 'graph', 'examples/terraform-nat-vpc'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(block![1], 'regenerate it with: npx iac-vpce graph examples/terraform-nat-vpc').toBe(r.stdout);
  });
});
