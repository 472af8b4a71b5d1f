/**
 * Terraform module version constraints (`version = "~> 5.0"`, `">= 3.0, < 6"`, `"5.1.2"`), read the way Terraform reads
 * them for registry modules (hashicorp/go-version): comma-separated conditions that must all hold, each `=`, `!=`, `>`,
 * `>=`, `<`, `<=` or `~>` followed by a version of one to three numeric segments (missing segments are zero). `~>`
 * lets only the rightmost given segment grow: `~> 5.1` is `>= 5.1, < 6.0`, `~> 5.1.2` is `>= 5.1.2, < 5.2.0`, and
 * `~> 5` is `>= 5`. Pre-release versions are not matched by constraints without one, so they are left out here;
 * a constraint that names a pre-release is not read.
 */

export type Version = readonly [number, number, number];

type Bound = { v: Version; inclusive: boolean };

export interface Constraint {
  /** Lowest allowed version (undefined: no lower bound). */
  lower?: Bound;
  /** Highest allowed version (undefined: no upper bound). */
  upper?: Bound;
  /** Versions excluded with `!=`. */
  excluded: Version[];
  /** The text as written. */
  text: string;
}

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

const CONDITION = /^(=|!=|>=|<=|>|<|~>)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/;

/** Reads a constraint string; undefined when it is not one Terraform would accept without pre-releases. */
export function parseConstraint(text: string): Constraint | undefined {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) return undefined;
  const c: Constraint = { excluded: [], text };
  const raise = (b: Bound) => {
    if (!c.lower) return void (c.lower = b);
    const cmp = compareVersions(b.v, c.lower.v);
    if (cmp > 0 || (cmp === 0 && !b.inclusive)) c.lower = b;
  };
  const lower = (b: Bound) => {
    if (!c.upper) return void (c.upper = b);
    const cmp = compareVersions(b.v, c.upper.v);
    if (cmp < 0 || (cmp === 0 && !b.inclusive)) c.upper = b;
  };
  for (const part of parts) {
    const m = CONDITION.exec(part);
    if (!m) return undefined;
    const op = m[1] ?? '=';
    const given = [m[2], m[3], m[4]].filter((s) => s !== undefined).length;
    const v: Version = [Number(m[2]), Number(m[3] ?? 0), Number(m[4] ?? 0)];
    switch (op) {
      case '=':
        raise({ v, inclusive: true });
        lower({ v, inclusive: true });
        break;
      case '!=':
        c.excluded.push(v);
        break;
      case '>':
        raise({ v, inclusive: false });
        break;
      case '>=':
        raise({ v, inclusive: true });
        break;
      case '<':
        lower({ v, inclusive: false });
        break;
      case '<=':
        lower({ v, inclusive: true });
        break;
      case '~>': {
        raise({ v, inclusive: true });
        if (given >= 2) {
          const bump = given - 2;
          const top: [number, number, number] = [v[0], v[1], v[2]];
          top[bump]! += 1;
          for (let i = bump + 1; i < 3; i++) top[i] = 0;
          lower({ v: top, inclusive: false });
        }
        break;
      }
    }
  }
  return c;
}

function allows(c: Constraint, v: Version): boolean {
  if (c.lower) {
    const cmp = compareVersions(v, c.lower.v);
    if (cmp < 0 || (cmp === 0 && !c.lower.inclusive)) return false;
  }
  if (c.upper) {
    const cmp = compareVersions(v, c.upper.v);
    if (cmp > 0 || (cmp === 0 && !c.upper.inclusive)) return false;
  }
  return !c.excluded.some((x) => compareVersions(x, v) === 0);
}

/** True when some version in [from, to) (to exclusive; undefined = no end) satisfies the constraint. */
function allowsSomeIn(c: Constraint, from: Version, to: Version | undefined): boolean {
  // The allowed set is an interval minus finitely many points: it meets [from, to) unless the intersection is empty
  // or holds only excluded points. The candidates below cover both ends of the intersection and a point past each
  // exclusion, which is enough to decide.
  const lo: Bound = c.lower && compareVersions(c.lower.v, from) >= 0 ? c.lower : { v: from, inclusive: true };
  const hiCandidates: Version[] = [];
  const candidates: Version[] = [lo.v, next(lo.v), ...c.excluded.map(next), ...c.excluded];
  if (c.upper) hiCandidates.push(c.upper.v);
  for (const v of [...candidates, ...hiCandidates]) {
    if (compareVersions(v, from) < 0) continue;
    if (to && compareVersions(v, to) >= 0) continue;
    if (allows(c, v)) return true;
  }
  return false;
}

function next(v: Version): Version {
  return [v[0], v[1], v[2] + 1];
}

export interface MajorCoverage {
  /** Majors from `covered` that the constraint allows some version of, ascending. */
  majors: number[];
  /** The constraint also allows versions of majors outside `covered`. */
  outside: boolean;
  /** The constraint allows no version at all. */
  empty: boolean;
}

/** Which of the given (contiguous, ascending) majors a constraint reaches, and whether it reaches beyond them. */
export function majorCoverage(c: Constraint, covered: number[]): MajorCoverage {
  const first = covered[0]!;
  const last = covered[covered.length - 1]!;
  const majors = covered.filter((m) => allowsSomeIn(c, [m, 0, 0], [m + 1, 0, 0]));
  const below = first > 0 && allowsSomeIn(c, [0, 0, 0], [first, 0, 0]);
  const above = allowsSomeIn(c, [last + 1, 0, 0], undefined);
  const empty = !allowsSomeIn(c, [0, 0, 0], undefined);
  return { majors, outside: below || above, empty };
}
