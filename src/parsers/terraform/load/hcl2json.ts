import { createRequire } from 'node:module';
import path from 'node:path';
import type { Diagnostic } from '../../../source/types.js';

type ParseFn = (filename: string, contents: string) => Promise<Record<string, unknown>>;

const require = createRequire(import.meta.url);

/**
 * A private instance of hcl2json's WASM module. When its Go runtime overflows the stack, every later call on that
 * instance aborts the whole process, so after any unexpected failure this instance is dropped and a fresh one loaded;
 * keeping it private means other users of the package in this thread never see a poisoned instance.
 */
let instance: ParseFn | undefined;

function freshInstance(): ParseFn {
  const entry = require.resolve('@cdktf/hcl2json');
  const libDir = path.dirname(entry) + path.sep;
  for (const key of Object.keys(require.cache)) if (key.startsWith(libDir)) delete require.cache[key];
  const mod = require('@cdktf/hcl2json') as { parse: ParseFn };
  for (const key of Object.keys(require.cache)) if (key.startsWith(libDir)) delete require.cache[key];
  return mod.parse;
}

export type Hcl2JsonResult = { json: Record<string, unknown>; error?: undefined } | { json?: undefined; error: Diagnostic };

/** Parses HCL text into hcl2json's JSON, or a diagnostic at the first error it reports. Never throws. */
export async function hclToJson(file: string, text: string): Promise<Hcl2JsonResult> {
  instance ??= freshInstance();
  try {
    const json = await instance(file, text);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return { json: {} };
    return { json };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (!/^(parse config|convert to HCL)/.test(message)) instance = undefined;
    return { error: parseErrorDiagnostic(file, message) };
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
