import { describe, expect, it } from 'vitest';
import { defineRule } from '../../rules/rule.js';
import { runRules } from '../../src/engine/run-rules.js';
import type { Diagnostic } from '../../src/source/types.js';
import { tfGraph } from './helpers.js';

const TF = `provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.0.0/24"
}
`;

describe('the graph rules receive', () => {
  it('is a frozen view of queries that holds no way to add to the graph', async () => {
    const { graph } = await tfGraph(TF);
    const view = graph.view();
    expect(Object.isFrozen(view)).toBe(true);
    expect(view).toBe(graph.view());
    expect('add' in view).toBe(false);
    expect('markUncertain' in view).toBe(false);
    expect(view.all('subnet').map((s) => s.id)).toEqual(['aws_subnet.a']);
    expect(Object.isFrozen(view.all('subnet')[0])).toBe(true);
    expect(Object.isFrozen(view.associations)).toBe(true);
  });

  it('refuses nodes once built', async () => {
    const { graph } = await tfGraph(TF);
    expect(() => graph.add({ ...graph.all('subnet')[0]!, id: 'aws_subnet.b' })).toThrow(/frozen/);
    expect(() => graph.markUncertain('aws_route')).toThrow(/frozen/);
  });

  it('turns a rule that tries to change what it reads into a rule-error diagnostic, and the other rules still run', async () => {
    const { graph } = await tfGraph(TF);
    const meta = { level: 'note' as const, category: 'correctness' as const, summary: 's', description: 'd', precision: 'high' as const, tags: [] };
    const vandal = defineRule({
      ...meta,
      id: 'TEST1',
      name: 'vandal',
      messages: { m: 'm' },
      check(g) {
        (g.all('subnet')[0] as { cidr: unknown }).cidr = '0.0.0.0/0';
      },
    });
    const reader = defineRule({
      ...meta,
      id: 'TEST2',
      name: 'reader',
      messages: { cidr: '{{cidr}}' },
      check(g, ctx) {
        const s = g.all('subnet')[0]!;
        ctx.report({ messageId: 'cidr', data: { cidr: String(s.cidr) }, at: s });
      },
    });
    const diagnostics: Diagnostic[] = [];
    const findings = runRules(graph, [vandal, reader], diagnostics);
    expect(diagnostics.map((d) => d.code)).toEqual(['rule-error']);
    expect(findings.map((f) => f.message)).toEqual(['10.0.0.0/24']);
  });
});
