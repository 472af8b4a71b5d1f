import { unknown, type Value } from '../../source/value.js';
import { setOwn } from './intrinsics.js';
import { entryOf, literalString, type ReportAt } from './sections.js';
import type { CfnEntry, CfnMap } from './tree.js';
import type { CfnParameter, CfnTemplate } from './types.js';

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

/** Reads every parameter into the template and returns their values by name, as `Ref` resolves them. */
export function readParameters(
  template: CfnTemplate,
  section: CfnMap | undefined,
  given: Record<string, string> | undefined,
  at: ReportAt,
): Map<string, Value> {
  const values = new Map<string, Value>();
  for (const entry of section?.entries ?? []) {
    const param = readParameter(entry, given, at);
    setOwn(template.parameters, entry.key, param);
    values.set(entry.key, param.value);
  }
  return values;
}

/**
 * A parameter's value: the given value, else the default. Scalars become strings, as `Ref` returns them; list types
 * become lists. Values that live outside the template (SSM parameters, unset AWS-specific ids) are Unknown.
 */
function readParameter(entry: CfnEntry, given: Record<string, string> | undefined, at: ReportAt): CfnParameter {
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
  checkAllowedValues(entry, node, value, at);
  return param(value);
}

/** A value outside AllowedValues is still used, as given: CloudFormation would refuse the stack, so it is a warning. */
function checkAllowedValues(entry: CfnEntry, node: CfnMap, value: string | string[], at: ReportAt): void {
  const allowed = entryOf(node, 'AllowedValues')?.value;
  if (!allowed || allowed.kind !== 'seq' || allowed.tag) return;
  const options = allowed.items.map(literalString).filter((s): s is string => s !== undefined);
  const outside = (Array.isArray(value) ? value : [value]).filter((v) => !options.includes(v));
  if (outside.length > 0) {
    at(
      'warning',
      'cfn-parameter-not-allowed',
      `Parameter ${entry.key} is ${outside.map((v) => `"${v}"`).join(', ')}, not one of its AllowedValues (${options.join(', ')}).`,
      entry.keySpan,
    );
  }
}
