import type { Span } from '../../../source/types.js';

/** A value as hcl2json gives it: expressions stay `"${…}"` template strings for the expression parser. */
export type RawValue = null | string | number | boolean | RawValue[] | { [k: string]: RawValue };

export interface TfAttribute {
  name: string;
  value: RawValue;
  /** The whole `name = value`, up to the end of the value (comments after it excluded). */
  span: Span;
  nameSpan: Span;
}

export interface TfBlock {
  /** resource, data, module, …, or a nested block type (route, ingress, dynamic, content, lifecycle, …). */
  type: string;
  /** resource: [type, name]; dynamic: [name]; locals: []. */
  labels: string[];
  attributes: Record<string, TfAttribute>;
  /** Nested blocks in source order. */
  blocks: TfBlock[];
  /** From the type keyword to the closing brace. */
  span: Span;
  /** From the type keyword to the end of the opening brace: where a finding about the whole block goes. */
  headerSpan: Span;
}

export interface TfComment {
  line: number;
  /**
   * The comment as written, markers included (`# …`, `// …`, `/* … *\/`). In `.tf.json`, where comments are `"//"`
   * keys, the key's value written as `// value`, so one reader handles both syntaxes.
   */
  text: string;
}

export interface TfFile {
  path: string;
  blocks: TfBlock[];
  comments: TfComment[];
}
