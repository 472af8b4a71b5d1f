import type { Diagnostic, Span } from '../../../source/types.js';
import type { JsonEntry, JsonNode } from '../../../source/json.js';
import {
  entriesOf,
  entryOf,
  entrySpan,
  isJsonObject,
  isObjectNode,
  itemsOf,
  memberOf,
  stringOf,
  toJson,
  type Json,
  type JsonObjectNode,
} from '../../../source/json-tree.js';

/**
 * The parts of `terraform show -json <planfile>` this reader uses, as documented in Terraform's "JSON Output Format"
 * (plan, values, configuration, expression and change representations). Unrecognised properties are ignored, as the
 * format asks of consumers of its minor versions.
 */

/** One resource instance of the values representation. */
export interface PlannedResource {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  /** The count index or for_each key; undefined for a resource without either. */
  index: number | string | undefined;
  /** `module.a["x"].module.b`, '' for the root module. */
  moduleAddress: string;
  node: JsonObjectNode;
  values: { [key: string]: Json };
  valuesNode: JsonNode | undefined;
  /** Data sources read while planning have no change, so they are only in the prior state. */
  origin: 'planned_values' | 'prior_state';
}

export interface PlannedChange {
  address: string;
  actions: string[];
  /** `after_unknown`: the shape of `after` with every unknown leaf replaced by true. */
  afterUnknown: Json | undefined;
  afterUnknownNode: JsonNode | undefined;
}

export interface ConfigResource {
  /** Module-relative: `aws_vpc.main`, `data.aws_region.current`. */
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  providerConfigKey: string | undefined;
  /** A block expressions representation: attribute name → expression, nested block type → block(s). */
  expressions: { [key: string]: Json };
  /** Where each entry of `expressions` is written in the plan JSON. */
  expressionSpans: Map<string, Span>;
  /** The resource's `"address"` entry in the configuration. */
  span: Span;
  count: Json | undefined;
  forEach: Json | undefined;
}

export interface ModuleCallConfig {
  name: string;
  source: string | undefined;
  expressions: { [key: string]: Json };
  count: Json | undefined;
  forEach: Json | undefined;
  module: ConfigModule | undefined;
  /** `"name": { … }` in `module_calls`, where a finding about the call points when no `.tf` file is at hand. */
  entry: JsonEntry;
}

export interface ConfigModule {
  /** Module call names from the root: [] for the root module, ['network', 'endpoints'] for a grandchild. */
  path: string[];
  resources: Map<string, ConfigResource>;
  calls: Map<string, ModuleCallConfig>;
  outputs: Map<string, Json>;
}

export interface ProviderConfig {
  name: string | undefined;
  alias: string | undefined;
  moduleAddress: string | undefined;
  expressions: { [key: string]: Json };
}

export interface PlanDocument {
  formatVersion: string | undefined;
  terraformVersion: string | undefined;
  /** Root module variable values recorded in the plan. */
  variables: Map<string, Json>;
  resources: PlannedResource[];
  changes: Map<string, PlannedChange>;
  configuration: ConfigModule | undefined;
  providers: Map<string, ProviderConfig>;
  /** Addresses of resources whose changes Terraform deferred (their instances are not in this plan). */
  deferred: string[];
  errored: boolean;
  /** Where `planned_values` begins, for diagnostics about the plan as a whole. */
  plannedValuesLine: number;
  /** The `child_modules` objects of `planned_values` by module address. */
  moduleNodes: Map<string, JsonObjectNode>;
}

const lineOf = (node: JsonNode) => node.span.start.line;

function objectJson(node: JsonNode | undefined): { [key: string]: Json } {
  const v = node ? toJson(node) : undefined;
  return isJsonObject(v) ? v : {};
}

function modeOf(node: JsonNode, address: string): 'managed' | 'data' | undefined {
  const mode = stringOf(memberOf(node, 'mode'));
  if (mode === 'managed' || mode === 'data') return mode;
  if (mode !== undefined) return undefined;
  return /(^|\.)data\.[^.]+\.[^.]+$/.test(address.replace(/\[[^\]]*\]$/, '')) ? 'data' : 'managed';
}

function readResource(
  node: JsonNode,
  moduleAddress: string,
  origin: PlannedResource['origin'],
  file: string,
  diagnostics: Diagnostic[],
): PlannedResource | undefined {
  const address = stringOf(memberOf(node, 'address'));
  const type = stringOf(memberOf(node, 'type'));
  const name = stringOf(memberOf(node, 'name'));
  const mode = address ? modeOf(node, address) : undefined;
  if (!isObjectNode(node) || !address || !type || !name || !mode) {
    diagnostics.push({
      severity: 'warning',
      code: 'tfplan-invalid-resource',
      file,
      line: lineOf(node),
      column: node.span.start.column,
      message: 'A resource in the plan has no address, type, name or mode; it was skipped.',
    });
    return undefined;
  }
  const indexNode = memberOf(node, 'index');
  const index = indexNode?.kind === 'number' || indexNode?.kind === 'string' ? indexNode.value : undefined;
  const valuesNode = memberOf(node, 'values');
  return { address, mode, type, name, index, moduleAddress, node, values: objectJson(valuesNode), valuesNode, origin };
}

/** Walks a values representation module and its `child_modules`. */
function readModuleValues(
  node: JsonNode | undefined,
  moduleAddress: string,
  origin: PlannedResource['origin'],
  file: string,
  diagnostics: Diagnostic[],
  out: PlannedResource[],
  modules: Map<string, JsonObjectNode>,
  depth = 0,
): void {
  if (!isObjectNode(node) || depth > 64) return;
  if (moduleAddress && !modules.has(moduleAddress)) modules.set(moduleAddress, node);
  for (const r of itemsOf(memberOf(node, 'resources'))) {
    const res = readResource(r, moduleAddress, origin, file, diagnostics);
    if (res) out.push(res);
  }
  for (const child of itemsOf(memberOf(node, 'child_modules'))) {
    const address = stringOf(memberOf(child, 'address'));
    if (!address) {
      diagnostics.push({
        severity: 'warning',
        code: 'tfplan-invalid-module',
        file,
        line: lineOf(child),
        column: child.span.start.column,
        message: 'A child module in the plan has no address; its resources were skipped.',
      });
      continue;
    }
    readModuleValues(child, address, origin, file, diagnostics, out, modules, depth + 1);
  }
}

function readConfigModule(node: JsonNode | undefined, path: string[]): ConfigModule {
  const resources = new Map<string, ConfigResource>();
  for (const r of itemsOf(memberOf(node, 'resources'))) {
    const address = stringOf(memberOf(r, 'address'));
    const type = stringOf(memberOf(r, 'type'));
    const name = stringOf(memberOf(r, 'name'));
    if (!address || !type || !name) continue;
    const mode = modeOf(r, address) ?? 'managed';
    const expressions = memberOf(r, 'expressions');
    resources.set(address, {
      address,
      mode,
      type,
      name,
      providerConfigKey: stringOf(memberOf(r, 'provider_config_key')),
      expressions: objectJson(expressions),
      expressionSpans: new Map(entriesOf(expressions).map((e) => [e.key, entrySpan(e)])),
      span: entrySpan(entryOf(r, 'address')!),
      count: optionalJson(memberOf(r, 'count_expression')),
      forEach: optionalJson(memberOf(r, 'for_each_expression')),
    });
  }
  const calls = new Map<string, ModuleCallConfig>();
  if (path.length < 32) {
    for (const entry of entriesOf(memberOf(node, 'module_calls'))) {
      const call = entry.value;
      const moduleNode = memberOf(call, 'module');
      calls.set(entry.key, {
        name: entry.key,
        source: stringOf(memberOf(call, 'source')) ?? stringOf(memberOf(call, 'resolved_source')),
        expressions: objectJson(memberOf(call, 'expressions')),
        count: optionalJson(memberOf(call, 'count_expression')),
        forEach: optionalJson(memberOf(call, 'for_each_expression')),
        module: isObjectNode(moduleNode) ? readConfigModule(moduleNode, [...path, entry.key]) : undefined,
        entry,
      });
    }
  }
  const outputs = new Map<string, Json>();
  for (const e of entriesOf(memberOf(node, 'outputs'))) {
    const expression = memberOf(e.value, 'expression');
    if (expression) outputs.set(e.key, toJson(expression));
  }
  return { path, resources, calls, outputs };
}

function optionalJson(node: JsonNode | undefined): Json | undefined {
  return node ? toJson(node) : undefined;
}

/** Reads a plan whose top level is known to be an object with `planned_values`. */
export function readPlanDocument(root: JsonObjectNode, file: string, diagnostics: Diagnostic[]): PlanDocument {
  const planned = memberOf(root, 'planned_values')!;
  const resources: PlannedResource[] = [];
  const moduleNodes = new Map<string, JsonObjectNode>();
  readModuleValues(memberOf(planned, 'root_module'), '', 'planned_values', file, diagnostics, resources, moduleNodes);
  const seen = new Set(resources.map((r) => r.address));
  const prior: PlannedResource[] = [];
  readModuleValues(memberOf(memberOf(memberOf(root, 'prior_state'), 'values'), 'root_module'), '', 'prior_state', file, [], prior, new Map());
  for (const r of prior) if (r.mode === 'data' && !seen.has(r.address)) resources.push(r);

  const changes = new Map<string, PlannedChange>();
  for (const rc of itemsOf(memberOf(root, 'resource_changes'))) {
    const address = stringOf(memberOf(rc, 'address'));
    if (!address || memberOf(rc, 'deposed')) continue;
    const change = memberOf(rc, 'change');
    const afterUnknownNode = memberOf(change, 'after_unknown');
    changes.set(address, {
      address,
      actions: itemsOf(memberOf(change, 'actions'))
        .map(stringOf)
        .filter((a): a is string => a !== undefined),
      afterUnknown: afterUnknownNode ? toJson(afterUnknownNode) : undefined,
      afterUnknownNode,
    });
  }

  const variables = new Map<string, Json>();
  for (const e of entriesOf(memberOf(root, 'variables'))) {
    const value = entryOf(e.value, 'value');
    if (value) variables.set(e.key, toJson(value.value));
  }

  const configNode = memberOf(root, 'configuration');
  const providers = new Map<string, ProviderConfig>();
  for (const e of entriesOf(memberOf(configNode, 'provider_config'))) {
    providers.set(e.key, {
      name: stringOf(memberOf(e.value, 'name')),
      alias: stringOf(memberOf(e.value, 'alias')),
      moduleAddress: stringOf(memberOf(e.value, 'module_address')),
      expressions: objectJson(memberOf(e.value, 'expressions')),
    });
  }
  const rootModule = memberOf(configNode, 'root_module');

  const deferred: string[] = [];
  for (const d of itemsOf(memberOf(root, 'deferred_changes'))) {
    const address = stringOf(memberOf(memberOf(d, 'resource_change'), 'address'));
    if (address) deferred.push(address);
  }

  return {
    formatVersion: stringOf(memberOf(root, 'format_version')),
    terraformVersion: stringOf(memberOf(root, 'terraform_version')),
    variables,
    resources,
    changes,
    configuration: isObjectNode(rootModule) ? readConfigModule(rootModule, []) : undefined,
    providers,
    deferred,
    errored: memberOf(root, 'errored')?.kind === 'boolean' && (memberOf(root, 'errored') as { value: boolean }).value,
    plannedValuesLine: lineOf(planned),
    moduleNodes,
  };
}

/** The configuration of the module a module instance address names (`module.a["x"].module.b` → calls a, b). */
export function configModuleAt(root: ConfigModule | undefined, moduleAddress: string): ConfigModule | undefined {
  let current = root;
  for (const name of moduleCallNames(moduleAddress)) current = current?.calls.get(name)?.module;
  return current;
}

/** `module.a["x"].module.b[0]` → [{ name: 'a', key: 'x' }, { name: 'b', key: 0 }]. */
export function moduleSteps(moduleAddress: string): Array<{ name: string; key: number | string | undefined; address: string }> {
  const out: Array<{ name: string; key: number | string | undefined; address: string }> = [];
  const re = /module\.([A-Za-z_][A-Za-z0-9_-]*)(\[(?:\d+|"(?:[^"\\]|\\.)*")\])?/y;
  let pos = 0;
  while (pos < moduleAddress.length) {
    re.lastIndex = pos;
    const m = re.exec(moduleAddress);
    if (!m) break;
    const keyText = m[2]?.slice(1, -1);
    let key: number | string | undefined;
    if (keyText !== undefined) key = keyText.startsWith('"') ? parseQuoted(keyText) : Number(keyText);
    pos = re.lastIndex;
    out.push({ name: m[1]!, key, address: moduleAddress.slice(0, pos) });
    if (moduleAddress[pos] === '.') pos++;
  }
  return out;
}

export function moduleCallNames(moduleAddress: string): string[] {
  return moduleSteps(moduleAddress).map((s) => s.name);
}

export function parseQuoted(text: string): string {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'string' ? v : text.slice(1, -1);
  } catch {
    return text.slice(1, -1);
  }
}

/** `[0]` / `["key"]` as Terraform writes instance keys in addresses. */
export function keySuffix(key: number | string | undefined): string {
  return key === undefined ? '' : typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
}
