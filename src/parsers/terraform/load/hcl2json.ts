import type { Diagnostic } from '../../../source/types.js';
import { HclRuntime, HclRuntimeDied } from './hcl-runtime.js';
import { locateHcl } from './locate.js';
import { MAX_NESTING } from './text.js';

/**
 * This thread's instance of hcl2json's WASM program, private to this module: every hcl2json call (files and
 * expressions) goes through it. When its Go runtime stops or a call fails unexpectedly, it is dropped and the next
 * call starts a fresh one; a poisoned instance (after a stack overflow every later call on it aborts) is never used
 * again. Each worker thread has its own, by module scope.
 */
let runtime: HclRuntime | undefined;

function instance(): HclRuntime {
  if (!runtime || runtime.dead) runtime = new HclRuntime();
  return runtime;
}

/** What ends the Go runtime also ends this file: said plainly, without the runtime's own text. */
const RUNTIME_STOPPED = 'The HCL parser stopped on this file (its runtime failed); the file was not parsed.';

export type Hcl2JsonResult = { json: Record<string, unknown>; error?: undefined } | { json?: undefined; error: Diagnostic };

/**
 * Parses HCL text into hcl2json's JSON, or a diagnostic at the first error it reports. Never throws. Callers check
 * the nesting with `locateHcl` first (they need its positions anyway).
 */
export async function hclToJson(file: string, text: string): Promise<Hcl2JsonResult> {
  const rt = instance();
  try {
    const raw = await rt.call('parse', file, text);
    const json: unknown = JSON.parse(String(raw));
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return { json: {} };
    return { json: json as Record<string, unknown> };
  } catch (e) {
    if (e instanceof HclRuntimeDied) {
      if (e.reason === 'overflow') return { error: parseErrorDiagnostic(file, 'Maximum call stack size exceeded') };
      return { error: { severity: 'error', code: 'tf-parse-error', file, message: RUNTIME_STOPPED } };
    }
    const message = e instanceof Error ? e.message : String(e);
    if (!/^(parse config|convert to HCL)/.test(message)) runtime = rt === runtime ? undefined : runtime;
    return { error: parseErrorDiagnostic(file, message) };
  }
}

export type ExpressionAstResult = { ast: unknown } | { error: string; tooDeep?: true };

/**
 * hcl2json's syntax tree of one expression source (`getExpressionAst`), after the nesting limit: sources nested
 * deeper than MAX_NESTING never reach the parser. Never throws; errors come back as text for the user.
 */
export async function hclExpressionAst(source: string): Promise<ExpressionAstResult> {
  if (locateHcl(`expr = ${source}`).tooDeep) return { error: `The expression nests deeper than ${MAX_NESTING} levels.`, tooDeep: true };
  const rt = instance();
  try {
    const raw = await rt.call('getExpressionAst', 'expr', source);
    return { ast: JSON.parse(String(raw)) as unknown };
  } catch (e) {
    if (e instanceof HclRuntimeDied) {
      if (e.reason === 'overflow') return { error: 'The expression nests too deeply to be parsed.', tooDeep: true };
      return { error: 'The HCL parser stopped on this expression (its runtime failed).' };
    }
    const message = e instanceof Error ? e.message : String(e);
    // HCL's own diagnostics name the wrapper file `expr`; anything else is unexpected and the instance is replaced.
    if (!/expr:\d+,\d+/.test(message)) {
      if (rt === runtime) runtime = undefined;
      return { error: 'The expression could not be read.' };
    }
    return { error: message };
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * hcl2json reports `parse config: [main.tf:8,37-9,1: Summary; Detail. main.tf:…]`: keep the first error's
 * position and say it as a sentence.
 */
export function parseErrorDiagnostic(file: string, raw: string): Diagnostic {
  const base: Diagnostic = { severity: 'error', code: 'tf-parse-error', file, message: '' };
  const positioned = new RegExp(`${escapeRegExp(file)}:(\\d+),(\\d+)-(?:\\d+)(?:,\\d+)?: `, 'g');
  const starts = [...raw.matchAll(positioned)];
  if (starts.length > 0) {
    const first = starts[0]!;
    const end = starts[1]?.index ?? raw.length;
    const body = raw
      .slice(first.index! + first[0].length, end)
      .replace(/\]\s*$/, '')
      .trim();
    const more = starts.length > 1 ? ` (${starts.length - 1} more error${starts.length > 2 ? 's' : ''} in this file)` : '';
    return { ...base, line: Number(first[1]), column: Number(first[2]), message: `${sentence(body)}${more}` };
  }
  // Conversion errors carry no position: `convert to HCL: convert file: convert body: …: what went wrong`.
  const stripped = raw.replace(/^(?:(?:parse config|convert to HCL|convert [a-z]+):\s*)+/, '').replace(/^\[|\]$/g, '');
  if (/Maximum call stack/i.test(raw)) {
    return { ...base, code: 'tf-nesting-too-deep', severity: 'warning', message: 'The file nests too deeply to be parsed.' };
  }
  return { ...base, message: sentence(stripped || 'The file could not be parsed.') };
}

/** `Summary; Detail.` → `Summary: Detail.` */
function sentence(body: string): string {
  const semi = body.indexOf('; ');
  const text = semi === -1 ? body : `${body.slice(0, semi)}: ${body.slice(semi + 2)}`;
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
