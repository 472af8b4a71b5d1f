import { SYMBOLIC_REGION } from '../../source/region.js';
import type { Diagnostic, Span } from '../../source/types.js';
import { isObject, isUnknown, unknown, type Unknown, type Value } from '../../source/value.js';
import { numberToString } from '../../source/values.js';
import { Evaluator, NO_VALUE, setOwn, type ResourceInfo } from './intrinsics.js';
import { decodeTemplateText } from './text.js';
import { parseTree, type CfnEntry, type CfnMap, type CfnNode } from './tree.js';
import type { CfnOutput, CfnParameter, CfnResource, CfnTemplate, LoadOptions } from './types.js';

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

const RESOURCE_ATTRIBUTES = new Set([
  'Type',
  'Properties',
  'Condition',
  'DependsOn',
  'Metadata',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'UpdatePolicy',
  'CreationPolicy',
  'Version',
  // SAM: connectors embedded in a resource.
  'Connectors',
]);

const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';
const LANGUAGE_EXTENSIONS = 'AWS::LanguageExtensions';

function formatOf(file: string, text: string): 'yaml' | 'json' {
  const lower = file.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  return /^\s*\{/.test(text) ? 'json' : 'yaml';
}

function entryOf(map: CfnMap, key: string): CfnEntry | undefined {
  return map.entries.find((e) => e.key === key);
}

function literalString(node: CfnNode | undefined): string | undefined {
  if (!node || node.kind !== 'scalar' || node.tag || node.value === null) return undefined;
  return typeof node.value === 'number' ? numberToString(node.value) : String(node.value);
}

function isListType(type: string): boolean {
  return type === 'CommaDelimitedList' || type.startsWith('List<');
}

function isSsmValueType(type: string): boolean {
  return type.startsWith('AWS::SSM::Parameter::Value<');
}

/** Types whose value names something outside the template (a VPC id, a subnet, a key pair). */
function isExternalType(type: string): boolean {
  const inner = type.startsWith('List<') && type.endsWith('>') ? type.slice(5, -1) : type;
  return inner.startsWith('AWS::');
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
    const tree = parseTree(file, decoded.text);
    for (const d of tree.diagnostics) report(d);
    if (!tree.root) return template;
    evaluateTemplate(template, tree.root, options, report);
  } catch (e) {
    report({
      severity: 'error',
      code: 'cfn-internal-error',
      file,
      message: `The template could not be evaluated: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  return template;
}

function evaluateTemplate(template: CfnTemplate, root: CfnNode, options: LoadOptions, report: (d: Diagnostic) => void): void {
  const { file } = template;
  const at = (severity: Diagnostic['severity'], code: string, message: string, span: Span | undefined): void => {
    report({ severity, code, file, message, ...(span ? { line: span.start.line, column: span.start.column } : {}) });
  };
  if (root.kind !== 'map' || root.tag) {
    at('error', 'cfn-not-a-template', 'The file is not a mapping of template sections; it is not a CloudFormation template.', root.span);
    return;
  }
  for (const e of root.entries) {
    if (!TEMPLATE_SECTIONS.has(e.key))
      at('warning', 'cfn-unknown-section', `"${e.key}" is not a template section; CloudFormation rejects it. It was ignored.`, e.keySpan);
  }
  const section = (name: string): CfnMap | undefined => {
    const e = entryOf(root, name);
    if (!e) return undefined;
    if (e.value.kind === 'scalar' && e.value.value === null) return undefined;
    if (e.value.kind !== 'map' || e.value.tag) {
      at('error', 'cfn-invalid-section', `${name} must be a mapping; the section was ignored.`, e.keySpan);
      return undefined;
    }
    return e.value;
  };

  // Transforms: SAM is read as written, other macros are not run.
  let samNoted = false;
  const noteSam = (span: Span | undefined) => {
    if (samNoted) return;
    samNoted = true;
    at(
      'note',
      'cfn-transform-not-expanded',
      `The SAM transform (${SAM_TRANSFORM}) is not expanded: AWS::Serverless::* resources are read as written, without Globals or the resources SAM would add.`,
      span,
    );
  };
  const transformEntry = entryOf(root, 'Transform');
  if (transformEntry) {
    const v = transformEntry.value;
    const names = v.kind === 'seq' ? v.items.map(literalString) : [literalString(v)];
    for (const name of names) {
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
  for (const name of ['Rules', 'Hooks']) {
    const e = entryOf(root, name);
    if (e) at('note', 'cfn-section-not-evaluated', `The ${name} section is not evaluated.`, e.keySpan);
  }

  // Parameters.
  const parameterValues = new Map<string, Value>();
  const parametersSection = section('Parameters');
  for (const entry of parametersSection?.entries ?? []) {
    const param = readParameter(entry, options.params, at);
    setOwn(template.parameters, entry.key, param);
    parameterValues.set(entry.key, param.value);
  }

  // Conditions.
  const conditions = new Map<string, CfnNode>();
  for (const entry of section('Conditions')?.entries ?? []) {
    if (entry.key.startsWith('Fn::ForEach::')) {
      at('warning', 'cfn-unsupported-function', `${entry.key} is not expanded; the conditions it would create are missing.`, entry.keySpan);
      continue;
    }
    conditions.set(entry.key, entry.value);
  }

  // Resources: every entry is registered first, so references resolve whatever the order.
  interface Pending {
    entry: CfnEntry;
    node: CfnMap;
    type: string;
    conditionName?: string;
    conditionSpan?: Span;
  }
  const pending: Pending[] = [];
  const resources = new Map<string, ResourceInfo>();
  let evaluator: Evaluator;
  const propertyCache = new Map<string, Value | undefined>();
  const inProgress = new Set<string>();
  const existence = (p: Pending): boolean | Unknown => (p.conditionName === undefined ? true : evaluator.condition(p.conditionName, p.conditionSpan));
  const resourcesSection = section('Resources');
  if (!resourcesSection) at('warning', 'cfn-no-resources', 'The template has no Resources section.', root.span);
  for (const entry of resourcesSection?.entries ?? []) {
    if (entry.key === 'Fn::Transform') {
      const name = entry.value.kind === 'map' ? literalString(entryOf(entry.value, 'Name')?.value) : undefined;
      const code = name === 'AWS::Include' ? 'cfn-include-not-expanded' : 'cfn-transform-not-expanded';
      at(
        'warning',
        code,
        `${name ? `Fn::Transform ${name}` : 'Fn::Transform'} in Resources is not expanded; the resources it would add are missing.`,
        entry.keySpan,
      );
      continue;
    }
    if (entry.key.startsWith('Fn::ForEach::')) {
      at('warning', 'cfn-unsupported-function', `${entry.key} is not expanded; the resources it would create are missing.`, entry.keySpan);
      continue;
    }
    const node = entry.value;
    if (node.kind !== 'map' || node.tag) {
      at('error', 'cfn-invalid-resource', `Resource ${entry.key} is not a mapping; it was ignored.`, entry.keySpan);
      continue;
    }
    const type = literalString(entryOf(node, 'Type')?.value);
    if (!type) {
      at('error', 'cfn-invalid-resource', `Resource ${entry.key} has no Type; it was ignored.`, entry.keySpan);
      continue;
    }
    if (type.startsWith('AWS::Serverless::')) noteSam(entry.keySpan);
    for (const e of node.entries) {
      if (!RESOURCE_ATTRIBUTES.has(e.key))
        at('warning', 'cfn-unknown-resource-attribute', `Resource ${entry.key} has "${e.key}", which is not a resource attribute; it was ignored.`, e.keySpan);
    }
    const p: Pending = { entry, node, type };
    const condEntry = entryOf(node, 'Condition');
    if (condEntry) {
      const name = literalString(condEntry.value);
      if (name === undefined)
        at('warning', 'cfn-invalid-condition', `Resource ${entry.key} has a Condition that is not a name; it was ignored.`, condEntry.keySpan);
      else {
        p.conditionName = name;
        p.conditionSpan = condEntry.span;
      }
    }
    pending.push(p);
    resources.set(entry.key, {
      type,
      exists: () => existence(p),
      property: (name) => {
        const key = `${entry.key}\u0000${name}`;
        if (propertyCache.has(key)) return propertyCache.get(key);
        if (inProgress.has(key)) return unknown(`${entry.key}.${name} depends on itself`);
        const props = entryOf(node, 'Properties')?.value;
        const propNode = props && props.kind === 'map' && !props.tag ? entryOf(props, name)?.value : undefined;
        inProgress.add(key);
        let v: Value | undefined;
        try {
          const r = propNode ? evaluator.evaluate(propNode) : undefined;
          v = r === NO_VALUE ? undefined : r;
        } finally {
          inProgress.delete(key);
        }
        propertyCache.set(key, v);
        return v;
      },
    });
  }

  evaluator = new Evaluator({
    file,
    region: template.region,
    ...(options.accountId !== undefined ? { accountId: options.accountId } : {}),
    parameters: parameterValues,
    resources,
    conditions,
    mappings: section('Mappings'),
    report,
    regionLookup(keys) {
      if (!recordRegionLookups) return;
      const known = new Set(keys);
      template.deployableRegions = (template.deployableRegions ?? keys).filter((k) => known.has(k)).sort();
    },
  });
  // A lookup inside a resource that may not be created does not limit where the template deploys.
  let recordRegionLookups = true;

  // Every condition is evaluated once, so mistakes in unused ones are reported too.
  for (const name of conditions.keys()) evaluator.condition(name, undefined);

  for (const p of pending) {
    const exists = existence(p);
    if (exists === false) continue;
    const { entry, node } = p;
    const resource: CfnResource = {
      logicalId: entry.key,
      type: p.type,
      file,
      headerSpan: entry.keySpan,
      span: entry.span,
      properties: {},
      propertySpans: {},
      metadata: undefined,
      exists: exists === true ? true : exists,
      dependsOn: [],
    };
    if (p.conditionName !== undefined) resource.condition = p.conditionName;
    const propsEntry = entryOf(node, 'Properties');
    recordRegionLookups = exists === true;
    if (propsEntry) {
      const spans: Record<string, Span> = {};
      const r = evaluator.evaluate(propsEntry.value, { spans, path: '' });
      if (isObject(r)) resource.properties = r;
      else if (r !== NO_VALUE && !(r === null && propsEntry.value.kind === 'scalar')) {
        at(
          isUnknown(r) ? 'note' : 'warning',
          'cfn-invalid-properties',
          `Properties of ${entry.key} ${isUnknown(r) ? `are unknown (${r.reason})` : 'are not a mapping'}; they were ignored.`,
          propsEntry.keySpan,
        );
      }
      resource.propertySpans = spans;
    }
    const metaEntry = entryOf(node, 'Metadata');
    if (metaEntry) {
      const m = evaluator.evaluate(metaEntry.value);
      if (isObject(m)) resource.metadata = m;
      else if (m !== NO_VALUE && m !== null)
        at('warning', 'cfn-invalid-metadata', `Metadata of ${entry.key} is not a mapping; it was ignored.`, metaEntry.keySpan);
    }
    const dependsEntry = entryOf(node, 'DependsOn');
    if (dependsEntry) {
      const v = dependsEntry.value;
      const names = v.kind === 'seq' && !v.tag ? v.items.map(literalString) : [literalString(v)];
      for (const name of names) {
        if (name === undefined) {
          at('warning', 'cfn-invalid-resource', `DependsOn of ${entry.key} must name resources.`, dependsEntry.keySpan);
          continue;
        }
        if (!resources.has(name))
          at('warning', 'cfn-invalid-reference', `${entry.key} DependsOn "${name}", which is not a resource of this template.`, dependsEntry.span);
        resource.dependsOn.push(name);
      }
    }
    template.resources.push(resource);
  }

  // Outputs.
  recordRegionLookups = true;
  for (const entry of section('Outputs')?.entries ?? []) {
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

  if (evaluator.imports.size > 0) {
    const names = [...evaluator.imports];
    at(
      'note',
      'cfn-import-value',
      `${names.length} Fn::ImportValue name${names.length === 1 ? '' : 's'} come${names.length === 1 ? 's' : ''} from other stacks and ${names.length === 1 ? 'is' : 'are'} unknown here: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}.`,
      undefined,
    );
  }
}

/**
 * A parameter's value: the given value, else the default. Scalars become strings, as `Ref` returns them; list types
 * become lists. Values that live outside the template (SSM parameters, unset AWS-specific ids) are Unknown.
 */
function readParameter(
  entry: CfnEntry,
  given: Record<string, string> | undefined,
  at: (severity: Diagnostic['severity'], code: string, message: string, span: Span | undefined) => void,
): CfnParameter {
  const name = entry.key;
  const node = entry.value;
  if (node.kind !== 'map' || node.tag) {
    at('warning', 'cfn-invalid-parameter', `Parameter ${name} is not a mapping; its value is unknown.`, entry.keySpan);
    return { type: 'String', value: unknown(`parameter ${name} is malformed`), span: entry.span };
  }
  const type = literalString(entryOf(node, 'Type')?.value) ?? 'String';
  if (!entryOf(node, 'Type')) at('warning', 'cfn-invalid-parameter', `Parameter ${name} has no Type; it is read as a String.`, entry.keySpan);
  const param = (value: Value): CfnParameter => ({ type, value, span: entry.span });
  const givenValue = given && Object.prototype.hasOwnProperty.call(given, name) ? given[name] : undefined;
  const defaultNode = entryOf(node, 'Default')?.value;
  let raw: string | string[] | undefined;
  if (givenValue !== undefined) raw = String(givenValue);
  else if (defaultNode && !(defaultNode.kind === 'scalar' && defaultNode.value === null)) {
    if (defaultNode.kind === 'seq' && !defaultNode.tag && defaultNode.items.every((i) => literalString(i) !== undefined))
      raw = defaultNode.items.map((i) => literalString(i)!);
    else raw = literalString(defaultNode);
    if (raw === undefined) {
      at('warning', 'cfn-invalid-parameter', `The Default of parameter ${name} is not a literal value; the parameter is unknown.`, entry.keySpan);
      return param(unknown(`parameter ${name} has a Default that is not a literal`));
    }
  }
  if (isSsmValueType(type)) {
    const shown = raw === undefined ? '' : ` ${Array.isArray(raw) ? raw.join(',') : raw}`;
    if (raw === undefined)
      at('note', 'cfn-parameter-unset', `Parameter ${name} (${type}) has no Default and no value was given; it is unknown.`, entry.keySpan);
    return param(unknown(`external: SSM parameter${shown} (parameter ${name}, ${type})`));
  }
  if (raw === undefined) {
    at('note', 'cfn-parameter-unset', `Parameter ${name} has no Default and no value was given; it is unknown.`, entry.keySpan);
    return param(unknown(isExternalType(type) ? `external: parameter ${name} (${type})` : `parameter ${name} has no default and no value was given`));
  }
  const value: string | string[] = isListType(type)
    ? Array.isArray(raw)
      ? raw
      : raw.split(',').map((s) => s.trim())
    : Array.isArray(raw)
      ? raw.join(',')
      : raw;
  const allowed = entryOf(node, 'AllowedValues')?.value;
  if (allowed && allowed.kind === 'seq' && !allowed.tag) {
    const options = allowed.items.map(literalString).filter((s): s is string => s !== undefined);
    const outside = (Array.isArray(value) ? value : [value]).filter((v) => !options.includes(v));
    if (outside.length > 0) {
      at(
        'warning',
        'cfn-parameter-not-allowed',
        `Parameter ${name} is ${outside.map((v) => `"${v}"`).join(', ')}, not one of its AllowedValues (${options.join(', ')}).`,
        entry.keySpan,
      );
    }
  }
  return param(value);
}
