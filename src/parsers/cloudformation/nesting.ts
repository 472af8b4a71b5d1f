/*
 * Nesting bounds checked before the YAML composer runs: the composer recurses, and the parser is slow on deep
 * brackets, so input nested beyond MAX_NESTING is refused before either sees it.
 */

/** Depth of the concrete syntax tree, measured without recursion (the composer recurses and must not be fed deeper input). */
export function cstDepth(tokens: unknown[], limit: number): { depth: number; offset: number } {
  const stack: Array<[unknown, number]> = tokens.map((t) => [t, 0]);
  let max = 0;
  let offset = 0;
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (!token || typeof token !== 'object') continue;
    const t = token as { type?: string; value?: unknown; items?: Array<{ key?: unknown; value?: unknown }>; offset?: number };
    if (t.type === 'document') {
      stack.push([t.value, depth]);
      continue;
    }
    if (!Array.isArray(t.items)) continue;
    const d = depth + 1;
    if (d > max) {
      max = d;
      offset = typeof t.offset === 'number' ? t.offset : offset;
      if (max > limit) return { depth: max, offset };
    }
    for (const item of t.items) {
      stack.push([item.key, d]);
      stack.push([item.value, d]);
    }
  }
  return { depth: max, offset };
}

/**
 * A bound far above any real template, checked in one linear pass before the parser runs: the YAML parser spends
 * seconds on megabytes of brackets, and an input nested that deep is refused anyway.
 */
export const ROUGH_NESTING_LIMIT = 1000;

/**
 * The offset where flow brackets (`[`, `{`, not counting closers) or compact block sequences (`- - - x`) first nest
 * beyond `limit`, or undefined. Brackets inside strings count too, which only matters for inputs no template has.
 */
export function roughNesting(text: string, limit: number): number | undefined {
  let depth = 0;
  let lineStart = true;
  let compact = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = true;
      compact = 0;
      continue;
    }
    if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return i;
    } else if (c === 0x5d || c === 0x7d) {
      if (depth > 0) depth--;
    }
    if (lineStart) {
      if (c === 0x20 || c === 9) continue;
      const next = text.charCodeAt(i + 1);
      if ((c === 0x2d || c === 0x3f || c === 0x3a) && (next === 0x20 || next === 9)) {
        if (++compact > limit) return i;
        i++;
        continue;
      }
      lineStart = false;
    }
  }
  return undefined;
}
