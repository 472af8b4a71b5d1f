import { readFileSync } from 'node:fs';
import path from 'node:path';
import { rules } from '../../rules/index.js';
import { runRules } from '../../src/engine/run-rules.js';
import { buildTerraformGraph } from '../../src/graph/terraform/build.js';
import { loadTerraformPlan, type LoadedPlan } from '../../src/parsers/terraform/plan/index.js';
import type { Diagnostic } from '../../src/source/types.js';
import { tmpTree } from '../helpers/tmp-tree.js';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/terraform-plan');

export function fixtureText(name: string, file = 'plan.json'): string {
  return readFileSync(path.join(FIXTURES, name, file), 'utf8');
}

/** Loads a fixture's plan with its `.tf` files next to it. */
export function loadWithConfiguration(name: string, options: { region?: string } = {}): Promise<LoadedPlan> {
  return loadTerraformPlan('plan.json', fixtureText(name), { scanRoot: path.join(FIXTURES, name), ...options });
}

/** Loads a fixture's plan alone, in a directory without any `.tf` file. */
export function loadPlanOnly(name: string, file = 'plans/plan.json'): Promise<LoadedPlan> {
  const root = tmpTree({ [file]: fixtureText(name) });
  return loadTerraformPlan(file, fixtureText(name), { scanRoot: root });
}

export function analyse(module: LoadedPlan) {
  const graph = buildTerraformGraph(module);
  const diagnostics: Diagnostic[] = [];
  const findings = runRules(graph, rules, diagnostics);
  return { graph, findings, diagnostics };
}

/** 1-based line of the `occurrence`-th line containing `needle`. */
export function lineOf(text: string, needle: string, occurrence = 1): number {
  let seen = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.includes(needle) && ++seen === occurrence) return i + 1;
  }
  throw new Error(`"${needle}" (occurrence ${occurrence}) not found`);
}

export function byAddress(module: LoadedPlan) {
  return new Map(module.instances.map((i) => [i.address, i]));
}
