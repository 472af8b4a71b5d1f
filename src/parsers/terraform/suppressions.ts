import { isIsoDate, RULE_ID_PATTERN, type SuppressionDirective } from '../../source/suppression.js';
import type { Diagnostic, Span } from '../../source/types.js';

/** What the extraction needs of a loaded file: a `TfFile` and an evaluator `ParsedFile` both fit. */
export interface SuppressionSourceFile {
  /** Relative to the scan root, forward slashes. */
  path: string;
  /** Top-level blocks; spans are 1-based. */
  blocks: ReadonlyArray<{ span: Span }>;
  comments: ReadonlyArray<{ line: number; text: string }>;
}

export const DIRECTIVE_PREFIX = 'iac-vpce:';

/** A directive comment read on its own, before it is placed in a file. */
export type ParsedDirectiveComment =
  { ok: true; kind: 'ignore' | 'ignore-file'; rules: string[]; expires?: string; reason?: string } | { ok: false; problem: string };

const SYNTAX = '`# iac-vpce:ignore:VPCE101[,VPCE103][:exp:YYYY-MM-DD] -- reason`';

/** The text of a comment without its markers (`#`, `//`, `/* … *\/`), trimmed. */
function commentBody(text: string): string {
  if (text.startsWith('#')) return text.slice(1).trim();
  if (text.startsWith('//')) return text.slice(2).trim();
  if (text.startsWith('/*')) return text.slice(2, text.endsWith('*/') ? -2 : undefined).trim();
  return text.trim();
}

/**
 * Reads one comment. Returns undefined when the comment is not a directive (it does not start with `iac-vpce:`), and
 * a problem when it starts like one but cannot be read.
 */
export function parseDirectiveComment(text: string): ParsedDirectiveComment | undefined {
  const body = commentBody(text);
  if (!body.startsWith(DIRECTIVE_PREFIX)) return undefined;
  const rest = body.slice(DIRECTIVE_PREFIX.length);
  const sep = rest.indexOf('--');
  const head = (sep === -1 ? rest : rest.slice(0, sep)).trim();
  const reason = sep === -1 ? undefined : rest.slice(sep + 2).trim() || undefined;

  const kind = /^(ignore-file|ignore)(?=$|:|\s)/.exec(head)?.[1] as 'ignore' | 'ignore-file' | undefined;
  if (!kind) {
    const word = /^[^\s:]*/.exec(head)![0];
    return { ok: false, problem: `"${DIRECTIVE_PREFIX}${word}" is not a directive; write ${SYNTAX} or \`# iac-vpce:ignore-file:VPCE101 -- reason\`.` };
  }
  const after = head.slice(kind.length);
  if (after === '' || after === ':') return { ok: false, problem: `"${DIRECTIVE_PREFIX}${kind}" names no rule; write ${SYNTAX}.` };
  if (!after.startsWith(':')) return { ok: false, problem: `Expected ":" and rule ids after "${DIRECTIVE_PREFIX}${kind}"; write ${SYNTAX}.` };

  let idsText = after.slice(1);
  let expires: string | undefined;
  const exp = idsText.indexOf(':exp:');
  if (exp !== -1) {
    expires = idsText.slice(exp + ':exp:'.length).trim();
    idsText = idsText.slice(0, exp);
    if (!isIsoDate(expires)) return { ok: false, problem: `The expiry date "${expires}" is not a date written YYYY-MM-DD; write ${SYNTAX}.` };
  }
  const ids = idsText.split(',').map((s) => s.trim());
  if (ids.some((id) => id === '*' || id.includes('*'))) return { ok: false, problem: 'Wildcards are not accepted: name each rule id (VPCE101,VPCE103).' };
  const bad = ids.filter((id) => !RULE_ID_PATTERN.test(id));
  if (bad.length > 0) {
    const shown = bad.map((b) => `"${b}"`).join(', ');
    const hint = bad.some((b) => /\s/.test(b)) ? ' Separate the reason with " -- ".' : '';
    return { ok: false, problem: `${shown} ${bad.length === 1 ? 'is not a rule id' : 'are not rule ids'} (like VPCE101).${hint} Write ${SYNTAX}.` };
  }
  return {
    ok: true,
    kind,
    rules: [...new Set(ids.map((id) => id.toUpperCase()))],
    ...(expires !== undefined ? { expires } : {}),
    ...(reason !== undefined ? { reason } : {}),
  };
}

/**
 * The suppression directives of one Terraform file. `iac-vpce:ignore:…` covers the top-level block it is written in
 * (header line to closing brace) or the block right below it: the directive's comment and any comment lines after it
 * must reach the block's first line with no blank or code line in between. `iac-vpce:ignore-file:…` covers the file.
 * Directives that cannot be read or that cover no block are reported, never dropped silently.
 */
export function terraformSuppressions(file: SuppressionSourceFile): { directives: SuppressionDirective[]; diagnostics: Diagnostic[] } {
  const directives: SuppressionDirective[] = [];
  const diagnostics: Diagnostic[] = [];
  const blocks = [...file.blocks].sort((a, b) => a.span.start.line - b.span.start.line);
  const commentLines = new Set<number>();
  for (const c of file.comments) {
    const extra = c.text.split('\n').length - 1;
    for (let l = c.line; l <= c.line + extra; l++) commentLines.add(l);
  }

  const blockFor = (line: number): { span: Span } | undefined => {
    const inside = blocks.find((b) => b.span.start.line <= line && line <= b.span.end.line);
    if (inside) return inside;
    const below = blocks.find((b) => b.span.start.line > line);
    if (!below) return undefined;
    for (let l = line + 1; l < below.span.start.line; l++) if (!commentLines.has(l)) return undefined;
    return below;
  };

  for (const c of file.comments) {
    const parsed = parseDirectiveComment(c.text);
    if (!parsed) continue;
    if (!parsed.ok) {
      diagnostics.push({
        severity: 'warning',
        code: 'suppression-malformed',
        file: file.path,
        line: c.line,
        message: `${parsed.problem} It suppresses nothing.`,
      });
      continue;
    }
    const base = {
      source: 'terraform' as const,
      rules: parsed.rules,
      file: file.path,
      line: c.line,
      ...(parsed.expires !== undefined ? { expires: parsed.expires } : {}),
      ...(parsed.reason !== undefined ? { reason: parsed.reason } : {}),
    };
    if (parsed.kind === 'ignore-file') {
      directives.push({ ...base, scope: { kind: 'file' } });
      continue;
    }
    const block = blockFor(c.line);
    if (!block) {
      diagnostics.push({
        severity: 'warning',
        code: 'suppression-misplaced',
        file: file.path,
        line: c.line,
        message: `This suppression of ${parsed.rules.join(', ')} is neither inside a block nor on the lines right above one, so it suppresses nothing; move it above the block, or use iac-vpce:ignore-file for the whole file.`,
      });
      continue;
    }
    directives.push({ ...base, scope: { kind: 'span', span: block.span } });
  }
  return { directives, diagnostics };
}
