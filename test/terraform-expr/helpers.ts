import type { Diagnostic } from '../../src/source/types.js';
import { evaluate, parseRawValue, type Scope } from '../../src/parsers/terraform/expr/index.js';
import { isUnknown, makeRef, type Unknown, type Value } from '../../src/source/value.js';

export const vpcId = makeRef('aws_vpc.main', 'id');
export const subnetA = makeRef('aws_subnet.private[0]', 'id');
export const subnetB = makeRef('aws_subnet.private[1]', 'id');

export function scopeOf(roots: Record<string, Value>): Scope {
  return { lookup: (name) => (Object.prototype.hasOwnProperty.call(roots, name) ? roots[name] : undefined) };
}

export interface Outcome {
  value: Value;
  diagnostics: Diagnostic[];
}

/** Parses and evaluates one raw attribute value (as hcl2json delivers it). */
export async function run(raw: unknown, roots: Record<string, Value> = {}): Promise<Outcome> {
  const parsed = await parseRawValue(raw, 'main.tf', 7);
  const diagnostics = [...parsed.diagnostics];
  const value = evaluate(parsed.expr, scopeOf(roots), { file: 'main.tf', line: 7, report: (d) => diagnostics.push(d) });
  return { value, diagnostics };
}

/** Evaluates `${src}` and returns its value. */
export async function value(src: string, roots: Record<string, Value> = {}): Promise<Value> {
  return (await run(`\${${src}}`, roots)).value;
}

/** Evaluates `${src}` expecting success: no diagnostics at all. */
export async function ok(src: string, roots: Record<string, Value> = {}): Promise<Value> {
  const r = await run(`\${${src}}`, roots);
  if (r.diagnostics.length) throw new Error(`unexpected diagnostics for ${src}: ${JSON.stringify(r.diagnostics)}`);
  return r.value;
}

/** Evaluates `${src}` expecting an error diagnostic with the given code; returns the message. */
export async function err(src: string, code: string, roots: Record<string, Value> = {}): Promise<string> {
  const r = await run(`\${${src}}`, roots);
  if (!isUnknown(r.value)) throw new Error(`expected Unknown for ${src}, got ${JSON.stringify(r.value)}`);
  const d = r.diagnostics.find((x) => x.code === code);
  if (!d) throw new Error(`expected ${code} for ${src}, got ${JSON.stringify(r.diagnostics)}`);
  return d.message;
}

/** Evaluates `${src}` expecting an Unknown without any diagnostic; returns its reason. */
export async function unknownReason(src: string, roots: Record<string, Value> = {}): Promise<string> {
  const r = await run(`\${${src}}`, roots);
  if (!isUnknown(r.value)) throw new Error(`expected Unknown for ${src}, got ${JSON.stringify(r.value)}`);
  if (r.diagnostics.length) throw new Error(`unexpected diagnostics for ${src}: ${JSON.stringify(r.diagnostics)}`);
  return (r.value as Unknown).reason;
}
