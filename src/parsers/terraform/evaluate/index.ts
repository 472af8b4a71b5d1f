import { readdirSync } from 'node:fs';
import path from 'node:path';
import { INPUT_SIZE_LIMITS, type InputPolicy, refusalDiagnostic } from '../../../source/fs-policy.js';
import type { Diagnostic } from '../../../source/types.js';
import { attachBudget, evaluate, LIMIT_CODE, parseRawValue, references } from '../expr/index.js';
import { EvalBudget } from '../../../source/budget.js';
import type { Value } from '../../../source/value.js';
import { loadTfvars } from '../load/index.js';
import { internalReason } from '../../../source/internal-error.js';
import { declarationOf } from './declaration.js';
import { Memo } from './lazy.js';
import { ModuleInstance, type Session } from './module-instance.js';
import { ModuleLoader } from './module-loader.js';
import { buildModuleTree } from './module-tree.js';
import type { EvaluatedModule, EvaluateOptions, ResourceInstance } from './types.js';

export type { EvaluatedModule, EvaluateOptions, ResourceInstance } from './types.js';
export { ModuleLoader } from './module-loader.js';

const emptyScope = { lookup: () => undefined };

async function tfvarsValues(file: string, abs: string, report: (d: Diagnostic) => void, policy: InputPolicy): Promise<Map<string, Value>> {
  const out = new Map<string, Value>();
  // Synchronous, like the loader's reads: a small read costs less than a round trip through the thread pool.
  const read = policy.readSync(abs, INPUT_SIZE_LIMITS.tfvars);
  if (!read.ok) {
    report(
      read.reason === 'missing'
        ? { severity: 'error', code: 'tf-read-error', file, message: 'Cannot read variables file: it does not exist.' }
        : refusalDiagnostic(read, { file, what: 'Variables file', tooLargeCode: 'tf-file-too-large', readErrorCode: 'tf-read-error' }),
    );
    return out;
  }
  const loaded = await loadTfvars(file, read.bytes);
  loaded.diagnostics.forEach(report);
  for (const [name, { value, span }] of Object.entries(loaded.values)) {
    const parsed = await parseRawValue(value, file, span.start.line);
    parsed.diagnostics.forEach(report);
    out.set(name, evaluate(parsed.expr, emptyScope, { file, line: span.start.line, report }));
  }
  return out;
}

/** Terraform's precedence: terraform.tfvars, terraform.tfvars.json, *.auto.tfvars(.json) in name order, then flags. */
async function rootVariables(
  loader: ModuleLoader,
  dir: string,
  options: EvaluateOptions,
  report: (d: Diagnostic) => void,
  typeIsString: (name: string) => boolean,
): Promise<Map<string, Value>> {
  const values = new Map<string, Value>();
  const scanRoot = loader.scanRoot;
  const absDir = path.resolve(scanRoot, dir);
  let names: string[] = [];
  try {
    names = readdirSync(absDir).sort();
  } catch {
    /* the directory was listed by discovery; nothing more to read */
  }
  const auto = names.filter((n) => n.endsWith('.auto.tfvars') || n.endsWith('.auto.tfvars.json'));
  const ordered = [...['terraform.tfvars', 'terraform.tfvars.json'].filter((n) => names.includes(n)), ...auto];
  const rel = (n: string) => (dir === '.' || dir === '' ? n : `${dir}/${n}`);
  for (const n of ordered) for (const [k, v] of await tfvarsValues(rel(n), path.join(absDir, n), report, loader.policy)) values.set(k, v);
  for (const f of options.varFiles ?? []) {
    for (const [k, v] of await tfvarsValues(f, path.resolve(scanRoot, f), report, loader.policy)) values.set(k, v);
  }
  for (const [k, raw] of Object.entries(options.vars ?? {})) {
    if (typeIsString(k)) {
      values.set(k, raw);
      continue;
    }
    // Like Terraform, a non-string variable given on the command line is read as an expression.
    const parsed = await parseRawValue(`\${${raw}}`, '--var', undefined);
    values.set(k, parsed.diagnostics.length ? raw : evaluate(parsed.expr, emptyScope, { file: '--var', report }));
  }
  return values;
}

/** Loads and evaluates one root module (and every module it calls) into fully evaluated resource instances. */
export async function evaluateRootModule(loader: ModuleLoader, dir: string, options: EvaluateOptions = {}): Promise<EvaluatedModule> {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const report = (d: Diagnostic) => {
    const key = `${d.code}|${d.file}|${d.line ?? ''}|${d.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    diagnostics.push(d);
  };
  // One budget for everything evaluated in this root module, variable files and called modules included.
  attachBudget(report, new EvalBudget(options.limits, report, LIMIT_CODE));
  const tree = await buildModuleTree(loader, dir, report);
  if (!tree) return { dir, files: [], instances: [], unknownExpansions: [], diagnostics };
  // Terraform reads a -var value literally when the variable has no type or type string, and as an
  // expression for any other declared type (configs.VariableParseLiteral / VariableParseHCL).
  const variableTypeIsString = (name: string) => {
    for (const f of tree.source.files) {
      const block = f.blocks.find((b) => b.type === 'variable' && b.labels[0] === name);
      if (!block) continue;
      const type = block.attributes['type'];
      return !type || JSON.stringify(references(type.expr)) === JSON.stringify([['string']]);
    }
    return true;
  };
  const session: Session = {
    report,
    memo: new Memo((key) =>
      report({
        severity: 'warning',
        code: 'tf-reference-cycle',
        ...(declarationOf(tree, key) ?? { file: dir }),
        message: `Reference cycle through ${key.split('|').filter(Boolean).join(' ')}; its value is unknown.`,
      }),
    ),
    region: options.region,
    rootVariables: await rootVariables(loader, dir, options, report, variableTypeIsString),
    unknownExpansions: new Set(),
  };
  const root = new ModuleInstance(session, tree, '', undefined, new Map(), [], undefined);
  const instances: ResourceInstance[] = [];
  try {
    root.collectInstances(instances);
  } catch (e) {
    // The evaluator is written never to throw; if it does, the module is reported, not the whole scan lost.
    const first = tree.source.files[0];
    report({
      severity: 'error',
      code: 'tf-internal-error',
      file: first?.path ?? dir,
      ...(first?.blocks[0] ? { line: first.blocks[0].headerSpan.start.line } : {}),
      message: `Evaluation of this module stopped: ${internalReason(e)}; findings may be missing.`,
    });
  }
  const files = new Set<string>();
  const walk = (t: typeof tree) => {
    t.source.files.forEach((f) => files.add(f.path));
    for (const c of t.children.values()) if (!('unresolved' in c)) walk(c);
  };
  walk(tree);
  return { dir, files: [...files].sort(), instances, unknownExpansions: [...session.unknownExpansions].sort(), diagnostics };
}
