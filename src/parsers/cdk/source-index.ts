import { AST_NODE_TYPES, parse, TSError, type TSESTree } from '@typescript-eslint/typescript-estree';
import type { Span } from '../../source/types.js';
import { PositionIndex as LineIndex } from '../../source/text.js';
import { ANY, concatParts, escapeRegExp, isNode, isRelative, paramName, propertyKey, unwrap } from './syntax.js';

/**
 * What one TypeScript file of a CDK app says about its construct tree: every place that gives a construct an id
 * (a site), the classes it declares, and the files it imports. Plain data, so a project index can be cached or
 * sent between threads.
 */
export interface FileIndex {
  /** Relative import specifiers (`./network`, `../lib/stack.js`), in source order. */
  imports: string[];
  sites: LocalSite[];
  classes: ClassDecl[];
}

/** The id a site gives: a literal, or a pattern when the id is built from a template literal or a concatenation. */
export type IdMatcher = { exact: string } | { pattern: string };

/** What a site's scope argument (or a helper call's receiver) refers to, as far as this file can tell. */
export type LocalScope =
  | { kind: 'root' } // the App
  | { kind: 'site'; site: number } // another site of this file
  | { kind: 'this'; cls: string } // an instance of this class (or of a subclass)
  | { kind: 'outer'; cls: string } // the scope an instance of this class was given (its constructor's first parameter)
  | { kind: 'unknown' };

export interface LocalSite {
  /** `new X(scope, 'Id')`, a VPC helper `vpc.addGatewayEndpoint('Id', …)`, or a key of `gatewayEndpoints: { Id: … }`. */
  kind: 'new' | 'method' | 'key';
  id: IdMatcher;
  /** As written: `ec2.Vpc`, `vpc.addGatewayEndpoint`, `gatewayEndpoints`. */
  callee: string;
  /** For `new`: the class name (import aliases undone); `external` when it comes from a package, not the app. */
  className?: string;
  external?: boolean;
  /** The whole expression (or the key), and the id argument alone. */
  span: Span;
  idSpan: Span;
  scope: LocalScope;
}

export interface ClassDecl {
  name: string;
  superName?: string;
}

export type IndexResult = { index: FileIndex; error?: undefined } | { index?: undefined; error: { message: string; line?: number; column?: number } };

/** VPC methods that create a child of the VPC with the id they are given (`new GatewayVpcEndpoint(this, id, …)`). */
const VPC_CHILD_METHODS = new Set(['addGatewayEndpoint', 'addInterfaceEndpoint', 'addFlowLog', 'addVpnConnection', 'addClientVpnEndpoint']);
/** `VpcProps` maps whose keys become child ids of the VPC (`gatewayEndpoints: { S3: { service } }` → `Vpc/S3`). */
const VPC_CHILD_MAPS = new Set(['gatewayEndpoints', 'flowLogs', 'vpnConnections']);
/** Keys that hold types only: nothing under them creates a construct. */
const TYPE_KEYS = new Set(['typeAnnotation', 'typeArguments', 'typeParameters', 'returnType', 'superTypeArguments', 'implements']);
const MAX_RESOLVE_DEPTH = 16;

/** Parses one file and indexes it. Never throws: a file TypeScript cannot parse comes back as an error. */
export function indexSource(text: string, jsx: boolean): IndexResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = new LineIndex(source);
  let ast: TSESTree.Program;
  try {
    ast = parse(source, { loc: true, range: true, jsx, comment: false, tokens: false, loggerFn: false, jsDocParsingMode: 'none' });
  } catch (e) {
    if (e instanceof TSError) {
      const at = lines.at(e.index);
      return { error: { message: e.message, line: at.line, column: at.column } };
    }
    return { error: { message: (e as Error).message } };
  }
  try {
    return { index: new Indexer(lines).run(ast) };
  } catch (e) {
    // A syntax tree too deep to walk.
    return { error: { message: (e as Error).message } };
  }
}

interface Binding {
  /** Undefined for a parameter: it hides outer names and denotes nothing the file can tell, except… */
  expr: TSESTree.Node | undefined;
  ctx: Ctx;
  /** …the first parameter of a class constructor: the scope the instance was given. */
  scopeOf?: string;
}

class Scope {
  readonly vars = new Map<string, Binding>();
  constructor(readonly parent?: Scope) {}
  lookup(name: string): Binding | undefined {
    return this.vars.get(name) ?? this.parent?.lookup(name);
  }
}

interface Ctx {
  scope: Scope;
  /** The class `this` refers to. */
  cls?: string;
}

interface PendingSite {
  site: LocalSite;
  scopeExpr?: TSESTree.Node;
  ctx: Ctx;
}

class Indexer {
  private readonly imports: string[] = [];
  private readonly classes: ClassDecl[] = [];
  private readonly pending: PendingSite[] = [];
  private readonly siteOfNode = new Map<TSESTree.Node, number>();
  private readonly classProps = new Map<string, Map<string, Binding>>();
  /** Local name → imported name, for `import { Vpc as V }`. */
  private readonly aliases = new Map<string, string>();
  /** Names bound by imports from packages (`ec2` of `import * as ec2 from 'aws-cdk-lib/aws-ec2'`, `Vpc`, …). */
  private readonly external = new Set<string>();
  private anonymous = 0;

  constructor(private readonly lines: LineIndex) {}

  run(program: TSESTree.Program): FileIndex {
    this.walk(program, { scope: new Scope() });
    const sites = this.pending.map((p) => p.site);
    for (const p of this.pending) {
      if (p.scopeExpr) p.site.scope = this.resolve(p.scopeExpr, p.ctx, 0);
    }
    return { imports: this.imports, sites, classes: this.classes };
  }

  private walk(node: TSESTree.Node, ctx: Ctx): void {
    switch (node.type) {
      case AST_NODE_TYPES.ImportDeclaration:
        this.addImport(node.source.value);
        for (const s of node.specifiers) {
          if (!isRelative(node.source.value)) this.external.add(s.local.name);
          if (s.type === AST_NODE_TYPES.ImportSpecifier && s.imported.type === AST_NODE_TYPES.Identifier && s.imported.name !== s.local.name) {
            this.aliases.set(s.local.name, s.imported.name);
          }
        }
        return;
      case AST_NODE_TYPES.ExportAllDeclaration:
        this.addImport(node.source.value);
        return;
      case AST_NODE_TYPES.ExportNamedDeclaration:
        if (node.source) this.addImport(node.source.value);
        break;
      case AST_NODE_TYPES.ImportExpression:
        if (node.source.type === AST_NODE_TYPES.Literal && typeof node.source.value === 'string') this.addImport(node.source.value);
        break;
      case AST_NODE_TYPES.TSImportEqualsDeclaration:
        if (node.moduleReference.type === AST_NODE_TYPES.TSExternalModuleReference) this.addImport(node.moduleReference.expression.value);
        return;
      case AST_NODE_TYPES.ClassDeclaration:
      case AST_NODE_TYPES.ClassExpression:
        return this.walkClass(node, ctx);
      case AST_NODE_TYPES.FunctionDeclaration:
      case AST_NODE_TYPES.FunctionExpression:
        // A plain function has its own `this`.
        return this.walkFunction(node, { scope: ctx.scope });
      case AST_NODE_TYPES.ArrowFunctionExpression:
        return this.walkFunction(node, ctx);
      case AST_NODE_TYPES.VariableDeclarator:
        if (node.id.type === AST_NODE_TYPES.Identifier && node.init) ctx.scope.vars.set(node.id.name, { expr: node.init, ctx });
        break;
      case AST_NODE_TYPES.AssignmentExpression:
        this.recordAssignment(node, ctx);
        break;
      case AST_NODE_TYPES.NewExpression:
        this.recordNew(node, ctx);
        break;
      case AST_NODE_TYPES.CallExpression:
        this.recordCall(node, ctx);
        break;
    }
    this.walkChildren(node, ctx);
  }

  private walkChildren(node: TSESTree.Node, ctx: Ctx): void {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'parent' || key === 'loc' || key === 'range' || TYPE_KEYS.has(key)) continue;
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) this.walk(item, ctx);
      } else if (isNode(value)) {
        this.walk(value, ctx);
      }
    }
  }

  private walkClass(node: TSESTree.ClassDeclaration | TSESTree.ClassExpression, ctx: Ctx): void {
    const name = node.id?.name ?? `<anonymous class ${++this.anonymous}>`;
    const superName = node.superClass ? this.calleeName(node.superClass)?.name : undefined;
    this.classes.push(superName === undefined ? { name } : { name, superName });
    if (node.superClass) this.walk(node.superClass, ctx);
    const classCtx: Ctx = { scope: ctx.scope, cls: name };
    for (const member of node.body.body) {
      if (member.type === AST_NODE_TYPES.MethodDefinition) {
        this.walkFunction(member.value, classCtx, member.kind === 'constructor' ? name : undefined);
      } else if (member.type === AST_NODE_TYPES.PropertyDefinition) {
        if (member.value) {
          if (member.key.type === AST_NODE_TYPES.Identifier && !member.computed)
            this.classProp(name).set(member.key.name, { expr: member.value, ctx: classCtx });
          this.walk(member.value, classCtx);
        }
      } else {
        this.walk(member, classCtx);
      }
    }
  }

  private walkFunction(
    fn: TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression | TSESTree.TSEmptyBodyFunctionExpression,
    ctx: Ctx,
    constructorOf?: string,
  ): void {
    const scope = new Scope(ctx.scope);
    const inner: Ctx = { ...ctx, scope };
    fn.params.forEach((p, i) => {
      const name = paramName(p);
      if (name !== undefined) {
        const binding: Binding = { expr: undefined, ctx: inner };
        if (i === 0 && constructorOf !== undefined) binding.scopeOf = constructorOf;
        scope.vars.set(name, binding);
      }
      this.walkChildren(p, inner);
    });
    if (fn.body) this.walk(fn.body, inner);
  }

  private recordAssignment(node: TSESTree.AssignmentExpression, ctx: Ctx): void {
    const left = node.left;
    if (left.type === AST_NODE_TYPES.Identifier) {
      // `let vpc; … vpc = new ec2.Vpc(…)`; a declared value or a parameter keeps what it had.
      if (!ctx.scope.lookup(left.name)) ctx.scope.vars.set(left.name, { expr: node.right, ctx });
    } else if (
      left.type === AST_NODE_TYPES.MemberExpression &&
      left.object.type === AST_NODE_TYPES.ThisExpression &&
      !left.computed &&
      left.property.type === AST_NODE_TYPES.Identifier &&
      ctx.cls
    ) {
      const props = this.classProp(ctx.cls);
      if (!props.has(left.property.name)) props.set(left.property.name, { expr: node.right, ctx });
    }
  }

  private recordNew(node: TSESTree.NewExpression, ctx: Ctx): void {
    const [scopeArg, idArg, propsArg] = node.arguments;
    if (!scopeArg || !idArg || scopeArg.type === AST_NODE_TYPES.SpreadElement || idArg.type === AST_NODE_TYPES.SpreadElement) return;
    const id = this.idOf(idArg, ctx);
    if (!id) return;
    const callee = this.calleeName(node.callee);
    const site: LocalSite = {
      kind: 'new',
      id,
      callee: this.text(node.callee),
      span: this.lines.span(node.range),
      idSpan: this.lines.span(idArg.range),
      scope: { kind: 'unknown' },
    };
    if (callee) {
      site.className = callee.name;
      if (callee.external) site.external = true;
    }
    const index = this.addSite({ site, scopeExpr: scopeArg, ctx }, node);
    if (propsArg?.type === AST_NODE_TYPES.ObjectExpression) this.recordChildMaps(propsArg, index, ctx);
  }

  /** `gatewayEndpoints: { S3: {...} }` in the props of a `new`: each key is a child id of the construct being built. */
  private recordChildMaps(props: TSESTree.ObjectExpression, owner: number, ctx: Ctx): void {
    for (const p of props.properties) {
      if (p.type !== AST_NODE_TYPES.Property || p.computed || p.value.type !== AST_NODE_TYPES.ObjectExpression) continue;
      const name = propertyKey(p);
      if (name === undefined || !VPC_CHILD_MAPS.has(name)) continue;
      for (const child of p.value.properties) {
        if (child.type !== AST_NODE_TYPES.Property) continue;
        const key = child.computed ? undefined : propertyKey(child);
        if (key === undefined) continue;
        const keySpan = this.lines.span(child.key.range);
        this.addSite({ site: { kind: 'key', id: { exact: key }, callee: name, span: keySpan, idSpan: keySpan, scope: { kind: 'site', site: owner } }, ctx });
      }
    }
  }

  private recordCall(node: TSESTree.CallExpression, ctx: Ctx): void {
    const callee = node.callee;
    if (callee.type === AST_NODE_TYPES.Identifier && callee.name === 'require') {
      const arg = node.arguments[0];
      if (arg?.type === AST_NODE_TYPES.Literal && typeof arg.value === 'string') this.addImport(arg.value);
      return;
    }
    if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier) return;
    if (!VPC_CHILD_METHODS.has(callee.property.name)) return;
    const idArg = node.arguments[0];
    if (!idArg || idArg.type === AST_NODE_TYPES.SpreadElement) return;
    const id = this.idOf(idArg, ctx);
    if (!id) return;
    const site: LocalSite = {
      kind: 'method',
      id,
      callee: this.text(callee),
      span: this.lines.span(node.range),
      idSpan: this.lines.span(idArg.range),
      scope: { kind: 'unknown' },
    };
    this.addSite({ site, scopeExpr: callee.object, ctx }, node);
  }

  private addSite(p: PendingSite, node?: TSESTree.Node): number {
    const index = this.pending.length;
    this.pending.push(p);
    if (node) this.siteOfNode.set(node, index);
    return index;
  }

  /** The construct an expression denotes, as far as the file tells. */
  private resolve(expr: TSESTree.Node, ctx: Ctx, depth: number): LocalScope {
    if (depth > MAX_RESOLVE_DEPTH) return { kind: 'unknown' };
    const e = unwrap(expr);
    const site = this.siteOfNode.get(e);
    if (site !== undefined) return { kind: 'site', site };
    switch (e.type) {
      case AST_NODE_TYPES.ThisExpression:
        return ctx.cls ? { kind: 'this', cls: ctx.cls } : { kind: 'unknown' };
      case AST_NODE_TYPES.Identifier: {
        const binding = ctx.scope.lookup(e.name);
        if (binding?.expr) return this.resolve(binding.expr, binding.ctx, depth + 1);
        if (binding?.scopeOf !== undefined) return { kind: 'outer', cls: binding.scopeOf };
        return { kind: 'unknown' };
      }
      case AST_NODE_TYPES.MemberExpression: {
        if (e.object.type === AST_NODE_TYPES.ThisExpression && !e.computed && e.property.type === AST_NODE_TYPES.Identifier && ctx.cls) {
          const binding = this.classProps.get(ctx.cls)?.get(e.property.name);
          if (binding?.expr) return this.resolve(binding.expr, binding.ctx, depth + 1);
        }
        return { kind: 'unknown' };
      }
      case AST_NODE_TYPES.NewExpression:
        return this.calleeName(e.callee)?.name === 'App' && e.arguments.length <= 1 ? { kind: 'root' } : { kind: 'unknown' };
      default:
        return { kind: 'unknown' };
    }
  }

  /** An id argument: a string, a template literal, a concatenation, or a `const` holding one of those. */
  private idOf(arg: TSESTree.Node, ctx: Ctx, depth = 0): IdMatcher | undefined {
    const e = unwrap(arg);
    if (e.type === AST_NODE_TYPES.Literal) return typeof e.value === 'string' ? { exact: e.value } : undefined;
    if (e.type === AST_NODE_TYPES.TemplateLiteral) {
      if (e.expressions.length === 0) return { exact: e.quasis.map((q) => q.value.cooked ?? q.value.raw).join('') };
      const parts: string[] = [];
      e.quasis.forEach((q, i) => {
        parts.push(escapeRegExp(q.value.cooked ?? q.value.raw));
        if (i < e.expressions.length) parts.push(ANY);
      });
      return { pattern: parts.join('') };
    }
    if (e.type === AST_NODE_TYPES.BinaryExpression && e.operator === '+') {
      const parts = concatParts(e);
      if (!parts.some((p) => typeof p === 'string')) return undefined;
      return { pattern: parts.map((p) => (typeof p === 'string' ? escapeRegExp(p) : ANY)).join('') };
    }
    if (e.type === AST_NODE_TYPES.Identifier && depth < MAX_RESOLVE_DEPTH) {
      const binding = ctx.scope.lookup(e.name);
      if (binding?.expr) return this.idOf(binding.expr, binding.ctx, depth + 1);
    }
    return undefined;
  }

  /** The last name of a class reference (`ec2.Vpc` → `Vpc`), with import aliases undone. */
  private calleeName(callee: TSESTree.Node): { name: string; external: boolean } | undefined {
    const e = unwrap(callee);
    if (e.type === AST_NODE_TYPES.Identifier) return { name: this.aliases.get(e.name) ?? e.name, external: this.external.has(e.name) };
    if (e.type === AST_NODE_TYPES.MemberExpression && !e.computed && e.property.type === AST_NODE_TYPES.Identifier) {
      let root: TSESTree.Node = e.object;
      while (root.type === AST_NODE_TYPES.MemberExpression) root = root.object;
      return { name: e.property.name, external: root.type === AST_NODE_TYPES.Identifier && this.external.has(root.name) };
    }
    return undefined;
  }

  private classProp(cls: string): Map<string, Binding> {
    let props = this.classProps.get(cls);
    if (!props) this.classProps.set(cls, (props = new Map()));
    return props;
  }

  private addImport(specifier: string): void {
    if (isRelative(specifier)) this.imports.push(specifier);
  }

  private text(node: TSESTree.Node): string {
    const e = unwrap(node);
    if (e.type === AST_NODE_TYPES.Identifier) return e.name;
    if (e.type === AST_NODE_TYPES.ThisExpression) return 'this';
    if (e.type === AST_NODE_TYPES.MemberExpression && !e.computed && e.property.type === AST_NODE_TYPES.Identifier)
      return `${this.text(e.object)}.${e.property.name}`;
    return '…';
  }
}
