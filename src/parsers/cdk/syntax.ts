import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/typescript-estree';

/* Small readings of the syntax tree that need no context. */

/** What an interpolated part of an id may be: anything but the path separator. */
export const ANY = '[^/]*';

export function concatParts(e: TSESTree.Node): Array<string | null> {
  const u = unwrap(e);
  if (u.type === AST_NODE_TYPES.BinaryExpression && u.operator === '+') return [...concatParts(u.left), ...concatParts(u.right)];
  if (u.type === AST_NODE_TYPES.Literal && typeof u.value === 'string') return [u.value];
  return [null];
}

export function unwrap(node: TSESTree.Node): TSESTree.Node {
  let e = node;
  for (;;) {
    if (
      e.type === AST_NODE_TYPES.TSAsExpression ||
      e.type === AST_NODE_TYPES.TSNonNullExpression ||
      e.type === AST_NODE_TYPES.TSSatisfiesExpression ||
      e.type === AST_NODE_TYPES.TSTypeAssertion
    ) {
      e = e.expression;
    } else if (e.type === AST_NODE_TYPES.ChainExpression) {
      e = e.expression;
    } else {
      return e;
    }
  }
}

export function paramName(p: TSESTree.Parameter): string | undefined {
  if (p.type === AST_NODE_TYPES.Identifier) return p.name;
  if (p.type === AST_NODE_TYPES.TSParameterProperty) return p.parameter.type === AST_NODE_TYPES.Identifier ? p.parameter.name : undefined;
  if (p.type === AST_NODE_TYPES.AssignmentPattern) return p.left.type === AST_NODE_TYPES.Identifier ? p.left.name : undefined;
  return undefined;
}

export function propertyKey(p: TSESTree.Property): string | undefined {
  if (p.key.type === AST_NODE_TYPES.Identifier) return p.key.name;
  if (p.key.type === AST_NODE_TYPES.Literal && typeof p.key.value === 'string') return p.key.value;
  return undefined;
}

export function isNode(v: unknown): v is TSESTree.Node {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

export function isRelative(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..';
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
