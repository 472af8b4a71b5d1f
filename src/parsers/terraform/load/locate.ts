import type { Position, Span } from '../../../source/types.js';
import { HclScanner, unquoteLiteral, type Token } from './hcl-scanner.js';
import { MAX_NESTING } from './text.js';
import type { TfComment } from './types.js';

export interface LocatedAttribute {
  name: string;
  span: Span;
  nameSpan: Span;
}

export interface LocatedBlock {
  type: string;
  labels: string[];
  attributes: LocatedAttribute[];
  blocks: LocatedBlock[];
  span: Span;
  headerSpan: Span;
}

export interface LocatedFile {
  /** Top-level attributes: only `.tfvars` files have them. */
  attributes: LocatedAttribute[];
  blocks: LocatedBlock[];
  comments: TfComment[];
  /** Set when the file nests deeper than MAX_NESTING: where it went too deep. */
  tooDeep?: Position;
}

const OPENERS = new Set(['(', '[', '{']);
const CLOSERS = new Set([')', ']', '}']);

/** What makes the parser recurse inside one bracket: chained conditionals, prefix operators, splats, directives. */
interface Frame {
  opener: string;
  chain: number;
}

class TooDeep {
  constructor(readonly at: Position) {}
}

/**
 * Finds every block header and attribute with its position, nested to any depth, without evaluating anything.
 * hcl2json has the values but no positions; this has the positions and the structure.
 */
export function locateHcl(text: string): LocatedFile {
  return new HclLocator(text).locate();
}

/** One pass over the tokens: a stack of open blocks, and the expression frames of the attribute being read. */
class HclLocator {
  private readonly scanner: HclScanner;
  private readonly root: LocatedBlock = { type: '', labels: [], attributes: [], blocks: [], span: emptySpan(), headerSpan: emptySpan() };
  private readonly stack: LocatedBlock[] = [this.root];
  /** A token read ahead and given back, to be read again by whatever comes next. */
  private pending: Token | undefined;
  /** Expression frames of the attribute being read; the nesting cost is blocks plus frames plus their chains. */
  private frames: Frame[] = [];

  constructor(text: string) {
    this.scanner = new HclScanner(text);
  }

  locate(): LocatedFile {
    try {
      while (this.readLine());
    } catch (e) {
      if (!(e instanceof TooDeep)) throw e;
      return { attributes: [], blocks: [], comments: this.scanner.comments, tooDeep: e.at };
    }
    return { attributes: this.root.attributes, blocks: this.root.blocks, comments: this.scanner.comments };
  }

  private readonly next = (): Token => {
    if (this.pending) {
      const t = this.pending;
      this.pending = undefined;
      return t;
    }
    return this.scanner.next();
  };

  private checkDepth(at: Position): void {
    let cost = this.stack.length - 1;
    for (const f of this.frames) cost += 1 + f.chain;
    if (cost > MAX_NESTING) throw new TooDeep(at);
  }

  /** Reads what starts a line of a body: an attribute, a block header, a closing brace. False at the end of the file. */
  private readLine(): boolean {
    const { stack } = this;
    const t = this.next();
    if (t.kind === 'eof') {
      for (let i = stack.length - 1; i > 0; i--) stack[i]!.span.end = t.start;
      return false;
    }
    if (t.kind === 'newline') return true;
    if (t.kind === 'punct' && t.text === '}') {
      if (stack.length > 1) stack.pop()!.span.end = t.end;
      return true;
    }
    if (t.kind !== 'ident') {
      this.pending = t;
      this.skipLine();
      return true;
    }
    const after = this.next();
    if (after.kind === 'assign') {
      const end = this.readExpression(after.end);
      stack[stack.length - 1]!.attributes.push({ name: t.text, span: { start: t.start, end }, nameSpan: { start: t.start, end: t.end } });
      return true;
    }
    this.readBlockHeader(t, after);
    return true;
  }

  /** After a block type: its labels and the `{` that opens it; anything else is skipped to the end of the line. */
  private readBlockHeader(type: Token, first: Token): void {
    const labels: string[] = [];
    let tok = first;
    let valid = true;
    while (tok.kind === 'ident' || (tok.kind === 'template-open' && tok.quoted)) {
      if (tok.kind === 'ident') labels.push(tok.text);
      else {
        const label = readLabel(this.next);
        if (label === undefined) valid = false;
        else labels.push(label);
      }
      tok = this.next();
    }
    if (valid && tok.kind === 'punct' && tok.text === '{') {
      const block: LocatedBlock = {
        type: type.text,
        labels,
        attributes: [],
        blocks: [],
        span: { start: type.start, end: tok.end },
        headerSpan: { start: type.start, end: tok.end },
      };
      this.stack[this.stack.length - 1]!.blocks.push(block);
      this.stack.push(block);
      this.checkDepth(tok.start);
      return;
    }
    this.pending = tok;
    this.skipLine();
  }

  /** Skips the rest of a line that is neither an attribute nor a block header, as HCL's parser recovers. */
  private skipLine(): void {
    this.readExpression({ line: 0, column: 0 });
  }

  /** Reads an expression up to the newline or `}` that ends it; returns where its last token ends. */
  private readExpression(from: Position): Position {
    const frames: Frame[] = [{ opener: '=', chain: 0 }];
    this.frames = frames;
    let lastEnd = from;
    let previous: Token | undefined;
    for (;;) {
      const t = this.next();
      if (t.kind === 'eof') break;
      const depth = frames.length - 1;
      if (t.kind === 'newline') {
        if (depth === 0) break;
        // Newlines separate the elements of an object constructor, as commas do in a tuple.
        const top = frames[frames.length - 1]!;
        if (top.opener === '{') top.chain = 0;
        continue;
      }
      if (depth === 0 && t.kind === 'punct' && t.text === '}') {
        this.pending = t;
        break;
      }
      trackNesting(frames, t, previous);
      this.checkDepth(t.start);
      lastEnd = t.end;
      previous = t;
    }
    this.frames = [];
    return lastEnd;
  }
}

/** Opens and closes frames on brackets and counts what recurses within one: directives, prefix operators, splats. */
function trackNesting(frames: Frame[], t: Token, previous: Token | undefined): void {
  const top = frames[frames.length - 1]!;
  if ((t.kind === 'punct' && OPENERS.has(t.text)) || t.kind === 'template-open' || t.kind === 'interp-open') {
    if (t.directive === 'if' || t.directive === 'for') top.chain++;
    frames.push({ opener: t.text, chain: 0 });
  } else if ((t.kind === 'punct' && CLOSERS.has(t.text)) || t.kind === 'template-close' || t.kind === 'interp-close') {
    if (frames.length > 1) frames.pop();
    // A `[*]` splat recurses in the expression around it, not inside its brackets.
    if (t.text === ']' && previous?.text === '*') frames[frames.length - 1]!.chain++;
  } else if (t.kind === 'punct' && t.text === ',') {
    top.chain = 0;
  } else if (t.kind === 'punct' && (t.text === '?' || t.text === '!' || t.text === '*' || (t.text === '-' && !isOperand(previous)))) {
    top.chain++;
  }
}

/** Reads a quoted label after its opening quote; undefined when it holds an interpolation (not a valid label). */
function readLabel(next: () => Token): string | undefined {
  let raw = '';
  let plain = true;
  let depth = 0;
  for (;;) {
    const t = next();
    if (t.kind === 'eof') return undefined;
    if (t.kind === 'template-close' && depth === 0) return plain ? unquoteLiteral(raw) : undefined;
    if (t.kind === 'template-literal' && depth === 0) raw += t.text;
    else plain = false;
    if (t.kind === 'interp-open' || t.kind === 'template-open') depth++;
    if ((t.kind === 'interp-close' || t.kind === 'template-close') && depth > 0) depth--;
  }
}

/** Whether a `-` after this token is binary (subtraction) rather than a prefix negation. */
function isOperand(t: Token | undefined): boolean {
  if (!t) return false;
  if (t.kind === 'ident' || t.kind === 'number' || t.kind === 'template-close' || t.kind === 'interp-close') return true;
  return t.kind === 'punct' && CLOSERS.has(t.text);
}

function emptySpan(): Span {
  return { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
}
