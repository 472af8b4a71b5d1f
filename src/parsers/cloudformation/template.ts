import { knownRegions } from '../../facts/aws-data.js';
import { isSymbolicRegion, SYMBOLIC_REGION } from '../../source/region.js';
import { internalReason } from '../../source/internal-error.js';
import type { Diagnostic, Span } from '../../source/types.js';
import { containsUnknown, isUnknown } from '../../source/value.js';
import { Evaluator, setOwn, type EvaluatorContext } from './intrinsics.js';
import { timed } from '../../source/timings.js';
import { readParameters } from './parameters.js';
import { evaluateResource, isSamGeneratedId, propertiesWith, registerResources, type ResourceTable } from './resources.js';
import { entryOf, literalString, reportAt, sectionOf, type ReportAt } from './sections.js';
import { decodeTemplateText } from './text.js';
import { parseTree, type CfnMap, type CfnNode } from './tree.js';
import type { CfnOutput, CfnTemplate, LoadOptions, RegionalVariant } from './types.js';

/** Top-level keys CloudFormation accepts (`Globals` is SAM's). */
export const TEMPLATE_SECTIONS = new Set([
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
  'Hooks',
  'Globals',
]);

const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';
const LANGUAGE_EXTENSIONS = 'AWS::LanguageExtensions';

function formatOf(file: string, text: string): 'yaml' | 'json' {
  const lower = file.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  return /^\s*\{/.test(text) ? 'json' : 'yaml';
}

/**
 * Loads a CloudFormation (or SAM) template, YAML or JSON, and evaluates it: parameters, conditions, mappings,
 * intrinsic functions and pseudo parameters. Every resource and property keeps its source span. Never throws:
 * whatever cannot be read or evaluated becomes a diagnostic (and an Unknown value where a value was expected).
 */
export function loadCloudFormation(file: string, text: string | Uint8Array, options: LoadOptions = {}): CfnTemplate {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const report = (d: Diagnostic) => {
    const key = `${d.code}\u0000${d.line ?? ''}\u0000${d.column ?? ''}\u0000${d.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    diagnostics.push(d);
  };
  const template: CfnTemplate = {
    file,
    format: formatOf(file, typeof text === 'string' ? text.slice(0, 256) : ''),
    region: options.region ?? SYMBOLIC_REGION,
    resources: [],
    outputs: {},
    parameters: {},
    diagnostics,
  };
  try {
    const decoded = decodeTemplateText(file, text);
    if (decoded.diagnostic) {
      report(decoded.diagnostic);
      return template;
    }
    template.format = formatOf(file, decoded.text);
    const tree = timed('parse', () => parseTree(file, decoded.text));
    for (const d of tree.diagnostics) report(d);
    if (!tree.root) return template;
    const root = tree.root;
    timed('evaluate', () => evaluateTemplate(template, root, options, report));
  } catch (e) {
    report({
      severity: 'error',
      code: 'cfn-internal-error',
      file,
      message: `The template could not be evaluated: ${internalReason(e)}.`,
    });
  }
  return template;
}

/** Evaluates the parsed template into `template`, section by section, in the order each needs the others. */
function evaluateTemplate(template: CfnTemplate, root: CfnNode, options: LoadOptions, report: (d: Diagnostic) => void): void {
  const at = reportAt(template.file, report);
  if (root.kind !== 'map' || root.tag) {
    at('error', 'cfn-not-a-template', 'The file is not a mapping of template sections; it is not a CloudFormation template.', root.span);
    return;
  }
  for (const e of root.entries) {
    if (!TEMPLATE_SECTIONS.has(e.key))
      at('warning', 'cfn-unknown-section', `"${e.key}" is not a template section; CloudFormation rejects it. It was ignored.`, e.keySpan);
  }
  const noteSam = samNoteOnce(at);
  noteTransforms(root, at, noteSam);
  for (const name of ['Rules', 'Hooks']) {
    const e = entryOf(root, name);
    if (e) at('note', 'cfn-section-not-evaluated', `The ${name} section is not evaluated.`, e.keySpan);
  }

  const parameters = readParameters(template, sectionOf(root, 'Parameters', at), options.params, at);
  const conditions = readConditions(sectionOf(root, 'Conditions', at), at);
  // Resources are all registered before the evaluator exists: it resolves references through them.
  const resourcesSection = sectionOf(root, 'Resources', at);
  if (!resourcesSection) at('warning', 'cfn-no-resources', 'The template has no Resources section.', root.span);
  const table = registerResources(resourcesSection, at, noteSam);
  const sam = transformNames(root).includes(SAM_TRANSFORM);
  const regionLookups = { record: true };
  const context = {
    file: template.file,
    region: template.region,
    ...(options.accountId !== undefined ? { accountId: options.accountId } : {}),
    parameters,
    resources: table.infos,
    conditions,
    mappings: sectionOf(root, 'Mappings', at),
  };
  const evaluator = new Evaluator({
    ...context,
    report,
    regionLookup(keys) {
      if (!regionLookups.record) return;
      const known = new Set(keys);
      template.deployableRegions = (template.deployableRegions ?? keys).filter((k) => known.has(k)).sort();
    },
    ...(sam ? { samGenerated: (name: string) => isSamGeneratedId(name, table) } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  table.bind(evaluator);

  // Every condition is evaluated once, so mistakes in unused ones are reported too.
  for (const name of conditions.keys()) evaluator.condition(name, undefined);
  for (const p of table.pending) {
    const exists = table.existence(p);
    if (exists === false) continue;
    // A lookup inside a resource that may not be created does not limit where the template deploys.
    regionLookups.record = exists === true;
    template.resources.push(evaluateResource(template.file, p, exists, table, evaluator, at));
  }
  regionLookups.record = true;
  if (isSymbolicRegion(template.region)) noteRegionalExistence(template, table, context);
  readOutputs(template, sectionOf(root, 'Outputs', at), evaluator, at);
  noteImports(evaluator, at);
}

/** The resource types whose Properties are evaluated region by region when only the region leaves them unknown. */
export const REGIONAL_PROPERTY_TYPES: ReadonlySet<string> = new Set(['AWS::EC2::Route']);

/**
 * For a template deployed to any region: a resource whose Condition is unknown only because it compares
 * `AWS::Region` (`!Not [!Equals [!Ref AWS::Region, cn-north-1]]`) exists in the regions where its condition is true.
 * Each condition is re-evaluated with every region of the bundled data; when each gives true or false, the resource
 * gets `existsInRegions`. One that stays unknown in some region depends on something else and keeps only `exists`.
 * Likewise a route whose Properties are unknown only through the region gets its Properties per region.
 */
function noteRegionalExistence(template: CfnTemplate, table: ResourceTable, context: Omit<EvaluatorContext, 'report'>): void {
  const undecided = template.resources.filter((r) => r.exists !== true && r.condition !== undefined);
  const varying = template.resources.filter((r) => REGIONAL_PROPERTY_TYPES.has(r.type) && containsUnknown(r.properties));
  if (undecided.length === 0 && varying.length === 0) return;
  const perRegion = knownRegions().map((region) => ({
    region,
    evaluator: new Evaluator({ ...context, region, resources: table.infos, report: () => {} }),
  }));
  for (const r of undecided) {
    const regions: string[] = [];
    let decided = true;
    for (const { region, evaluator } of perRegion) {
      const v = evaluator.condition(r.condition!, undefined);
      if (isUnknown(v)) {
        decided = false;
        break;
      }
      if (v) regions.push(region);
    }
    if (decided) r.existsInRegions = regions;
  }
  const pending = new Map(table.pending.map((p) => [p.entry.key, p]));
  for (const r of varying) {
    if (r.exists !== true && !r.existsInRegions) continue;
    const variants = new Map<string, RegionalVariant>();
    let known = true;
    for (const { region, evaluator } of perRegion) {
      if (r.existsInRegions && !r.existsInRegions.includes(region)) continue;
      const evaluated = propertiesWith(pending.get(r.logicalId)!, evaluator);
      if (!evaluated || containsUnknown(evaluated.properties)) {
        known = false;
        break;
      }
      const key = JSON.stringify(evaluated.properties);
      const variant = variants.get(key);
      if (variant) variant.regions.push(region);
      else variants.set(key, { regions: [region], ...evaluated });
    }
    if (known) r.regionalVariants = [...variants.values()];
  }
}

/** Says once that the SAM transform is not expanded, whether the Transform section or a resource type shows it first. */
function samNoteOnce(at: ReportAt): (span: Span | undefined) => void {
  let noted = false;
  return (span) => {
    if (noted) return;
    noted = true;
    at(
      'note',
      'cfn-transform-not-expanded',
      `The SAM transform (${SAM_TRANSFORM}) is not expanded: AWS::Serverless::* resources are read as written, without Globals or the resources SAM would add.`,
      span,
    );
  };
}

/** The names in the Transform section, in order (undefined for an entry that is not a name). */
function transformNames(root: CfnMap): (string | undefined)[] {
  const v = entryOf(root, 'Transform')?.value;
  if (!v) return [];
  return v.kind === 'seq' ? v.items.map(literalString) : [literalString(v)];
}

/** Transforms: SAM is read as written, the language extensions need nothing here, other macros are not run. */
function noteTransforms(root: CfnMap, at: ReportAt, noteSam: (span: Span | undefined) => void): void {
  const transformEntry = entryOf(root, 'Transform');
  if (!transformEntry) return;
  for (const name of transformNames(root)) {
    if (name === SAM_TRANSFORM) noteSam(transformEntry.keySpan);
    else if (name === LANGUAGE_EXTENSIONS) continue;
    else
      at(
        'note',
        'cfn-transform-not-expanded',
        `Transform ${name ?? '(not a name)'} is a macro run at deployment; it is not expanded and the template is read as written.`,
        transformEntry.keySpan,
      );
  }
}

/** Conditions by name, unevaluated: the evaluator decides each when it is first needed. */
function readConditions(section: CfnMap | undefined, at: ReportAt): Map<string, CfnNode> {
  const conditions = new Map<string, CfnNode>();
  for (const entry of section?.entries ?? []) {
    if (entry.key.startsWith('Fn::ForEach::')) {
      at('warning', 'cfn-unsupported-function', `${entry.key} is not expanded; the conditions it would create are missing.`, entry.keySpan);
      continue;
    }
    conditions.set(entry.key, entry.value);
  }
  return conditions;
}

/** Outputs whose Condition is not false, with their value and export name. */
function readOutputs(template: CfnTemplate, section: CfnMap | undefined, evaluator: Evaluator, at: ReportAt): void {
  for (const entry of section?.entries ?? []) {
    if (entry.key.startsWith('Fn::ForEach::')) {
      at('warning', 'cfn-unsupported-function', `${entry.key} is not expanded; the outputs it would create are missing.`, entry.keySpan);
      continue;
    }
    const node = entry.value;
    if (node.kind !== 'map' || node.tag) {
      at('warning', 'cfn-invalid-output', `Output ${entry.key} is not a mapping; it was ignored.`, entry.keySpan);
      continue;
    }
    const condName = literalString(entryOf(node, 'Condition')?.value);
    if (condName !== undefined && evaluator.condition(condName, entryOf(node, 'Condition')!.span) === false) continue;
    const valueEntry = entryOf(node, 'Value');
    if (!valueEntry) at('warning', 'cfn-invalid-output', `Output ${entry.key} has no Value.`, entry.keySpan);
    const value = valueEntry ? evaluator.value(valueEntry.value) : null;
    const output: CfnOutput = { value, span: entry.span };
    const exportNode = entryOf(node, 'Export')?.value;
    if (exportNode) {
      const nameNode = exportNode.kind === 'map' && !exportNode.tag ? entryOf(exportNode, 'Name')?.value : undefined;
      if (nameNode) output.exportName = evaluator.value(nameNode);
      else at('warning', 'cfn-invalid-output', `Output ${entry.key} has an Export without a Name.`, entry.keySpan);
    }
    setOwn(template.outputs, entry.key, output);
  }
}

/** One note for all `Fn::ImportValue` names: their values live in other stacks. */
function noteImports(evaluator: Evaluator, at: ReportAt): void {
  if (evaluator.imports.size === 0) return;
  const names = [...evaluator.imports];
  at(
    'note',
    'cfn-import-value',
    `${names.length} Fn::ImportValue name${names.length === 1 ? '' : 's'} come${names.length === 1 ? 's' : ''} from other stacks and ${names.length === 1 ? 'is' : 'are'} unknown here: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}.`,
    undefined,
  );
}
