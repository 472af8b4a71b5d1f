/**
 * Terraform module version constraints, and the release `terraform init` installs for one.
 *
 * Terraform reads a registry module's `version` with hashicorp/go-version, and this file follows that library:
 * - a constraint is one or more conditions separated by commas, all of which must hold;
 * - a condition is an operator (`=` or none, `!=`, `>`, `>=`, `<`, `<=`, `~>`) and a version: numeric segments
 *   (`5`, `5.1`, `5.1.2`, more are allowed; missing ones up to three are zero), an optional `v` prefix, an optional
 *   pre-release (`-beta1`) and build metadata (`+abc`, ignored when comparing);
 * - `~>` lets only the rightmost segment written grow: `~> 5.1` is `>= 5.1, < 6.0`, `~> 5.1.2` is
 *   `>= 5.1.2, < 5.2.0`; `~> 5`, with one segment, has no upper bound at all;
 * - a pre-release version satisfies a condition only when the condition names a pre-release with the same segments
 *   (and `~>` with a pre-release matches only such pre-releases); a release satisfies `>= 5.0.0-beta1` as any
 *   version above it.
 * `terraform init` then installs the newest published version that satisfies every condition, leaving out
 * pre-releases the constraint does not ask for exactly (with `=` or no operator).
 */

export interface Version {
  /** Numeric segments, at least three (the ones not written are zero). */
  segments: number[];
  /** How many segments were written (`5.1` → 2): `~>` reads it. */
  written: number;
  /** The pre-release (`beta1` in `5.0.0-beta1`), or ''. */
  pre: string;
}

type Operator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~>';

interface Condition {
  op: Operator;
  version: Version;
}

export interface Constraint {
  conditions: Condition[];
  /** The text as written. */
  text: string;
}

// go-version's VersionRegexpRaw: the pre-release either follows a `-` and starts with a digit, or starts with a
// letter with or without a `-` (`1.0beta`).
const VERSION_PATTERN =
  String.raw`v?([0-9]+(?:\.[0-9]+)*?)` +
  String.raw`(?:-([0-9]+[0-9A-Za-z\-~]*(?:\.[0-9A-Za-z\-~]+)*)|-?([A-Za-z\-~]+[0-9A-Za-z\-~]*(?:\.[0-9A-Za-z\-~]+)*))?` +
  String.raw`(?:\+[0-9A-Za-z\-~]+(?:\.[0-9A-Za-z\-~]+)*)?`;
const VERSION = new RegExp(`^${VERSION_PATTERN}$`);
const CONDITION = new RegExp(String.raw`^\s*(<=|>=|!=|~>|<|>|=|)\s*(${VERSION_PATTERN})\s*$`);

/** Reads a version as go-version does; undefined when it is not one. */
export function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text);
  if (!m) return undefined;
  const written = m[1]!.split('.').map(Number);
  if (!written.every(Number.isSafeInteger)) return undefined;
  const segments = [...written];
  while (segments.length < 3) segments.push(0);
  return { segments, written: written.length, pre: m[2] ?? m[3] ?? '' };
}

export function formatVersion(v: Version): string {
  return v.segments.join('.') + (v.pre ? `-${v.pre}` : '');
}

/** Reads a constraint string; undefined when Terraform would reject it. */
export function parseConstraint(text: string): Constraint | undefined {
  const conditions: Condition[] = [];
  for (const part of text.split(',')) {
    const m = CONDITION.exec(part);
    if (!m) return undefined;
    const version = parseVersion(m[2]!);
    if (!version) return undefined;
    conditions.push({ op: (m[1] || '=') as Operator, version });
  }
  return { conditions, text };
}

/** -1, 0 or 1 as a is older than, the same as, or newer than b (go-version's Compare). */
export function compareVersions(a: Version, b: Version): number {
  if (sameSegments(a, b)) {
    if (a.pre === b.pre) return 0;
    if (a.pre === '') return 1;
    if (b.pre === '') return -1;
    return comparePrereleases(a.pre, b.pre);
  }
  // Segments of different lengths compare as if the shorter one were padded with zeros.
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const x = a.segments[i] ?? 0;
    const y = b.segments[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function sameSegments(a: Version, b: Version): boolean {
  return a.segments.length === b.segments.length && a.segments.every((s, i) => s === b.segments[i]);
}

function comparePrereleases(a: string, b: string): number {
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    const c = comparePart(as[i] ?? '', bs[i] ?? '');
    if (c !== 0) return c;
  }
  return 0;
}

/** One dot-separated part of two pre-releases: numeric parts sort before others; a missing part decides by the other. */
function comparePart(a: string, b: string): number {
  if (a === b) return 0;
  const numeric = (s: string) => /^[+-]?\d+$/.test(s);
  const an = numeric(a);
  const bn = numeric(b);
  if (a === '') return bn ? -1 : 1;
  if (b === '') return an ? 1 : -1;
  if (an && !bn) return -1;
  if (!an && bn) return 1;
  if (!an && !bn) return a > b ? 1 : -1;
  return Number(a) > Number(b) ? 1 : -1;
}

/** go-version: a pre-release satisfies only conditions naming a pre-release of the same segments. */
function prereleaseAllowed(v: Version, c: Version): boolean {
  if (v.pre !== '' && c.pre !== '') return sameSegments(v, c);
  return v.pre === '';
}

function satisfiesCondition(v: Version, { op, version: c }: Condition): boolean {
  const cmp = compareVersions(v, c);
  switch (op) {
    case '=':
      return cmp === 0;
    case '!=':
      return cmp !== 0;
    case '>':
      return prereleaseAllowed(v, c) && cmp > 0;
    case '>=':
      return prereleaseAllowed(v, c) && cmp >= 0;
    case '<':
      return prereleaseAllowed(v, c) && cmp < 0;
    case '<=':
      return prereleaseAllowed(v, c) && cmp <= 0;
    case '~>': {
      if (!prereleaseAllowed(v, c) || (c.pre !== '' && v.pre === '')) return false;
      if (cmp < 0) return false;
      const n = c.segments.length;
      if (n > v.segments.length) return false;
      // Every segment before the last one written must be the same; the last one written (and the padded ones) may grow.
      for (let i = 0; i < c.written - 1; i++) if (v.segments[i] !== c.segments[i]) return false;
      return c.segments[n - 1]! <= v.segments[n - 1]!;
    }
  }
}

/** True when the version satisfies every condition of the constraint. */
export function satisfies(c: Constraint, v: Version): boolean {
  return c.conditions.every((cond) => satisfiesCondition(v, cond));
}

/** A pre-release is considered at all only when the constraint asks for exactly it. */
function requestedExactly(c: Constraint, v: Version): boolean {
  return c.conditions.some((cond) => cond.op === '=' && cond.version.pre === v.pre && compareVersions(cond.version, v) === 0);
}

/**
 * The version `terraform init` installs out of `published` (version strings) for a constraint (undefined: the call
 * has none): the newest that satisfies it, pre-releases only when asked for exactly; undefined when none does.
 */
export function newestSatisfying(c: Constraint | undefined, published: readonly string[]): string | undefined {
  let best: { text: string; v: Version } | undefined;
  for (const text of published) {
    const v = parseVersion(text);
    if (!v) continue;
    if (v.pre !== '' && !(c && requestedExactly(c, v))) continue;
    if (c && !satisfies(c, v)) continue;
    if (!best || compareVersions(v, best.v) > 0) best = { text, v };
  }
  return best?.text;
}

/**
 * True when the constraint admits some release (a three-segment version without pre-release) newer than `after`,
 * or any release at all when `after` is undefined. Among releases every condition is a lower bound, an upper bound
 * or one excluded point, so the oldest admitted release after `after`, if there is one, is `after`'s successor, a
 * lower bound, or the successor of an excluded point: trying those decides.
 */
export function admitsRelease(c: Constraint, after?: Version): boolean {
  const release = (segments: number[]): Version => ({ segments: segments.slice(0, 3), written: 3, pre: '' });
  const next = (v: Version): Version => release([v.segments[0]!, v.segments[1]!, v.segments[2]! + 1]);
  const candidates: Version[] = after ? [next(release(after.segments))] : [release([0, 0, 0])];
  for (const { version } of c.conditions) {
    const base = release(version.segments);
    candidates.push(base, next(base));
  }
  return candidates.some((v) => (!after || compareVersions(v, after) > 0) && satisfies(c, v));
}

/** The pre-release the constraint asks for exactly (`= 7.0.0-rc1`), if it does. */
export function requestedPrerelease(c: Constraint): string | undefined {
  const cond = c.conditions.find((x) => x.op === '=' && x.version.pre !== '');
  return cond && formatVersion(cond.version);
}
