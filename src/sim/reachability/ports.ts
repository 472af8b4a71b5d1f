/** A set of TCP/UDP ports, kept as sorted, disjoint, non-adjacent inclusive ranges. */
export class PortSet {
  private constructor(readonly ranges: ReadonlyArray<readonly [number, number]>) {}

  static empty(): PortSet {
    return new PortSet([]);
  }

  /** Ports 0–65535. */
  static all(): PortSet {
    return new PortSet([[0, 65535]]);
  }

  static range(from: number, to: number): PortSet {
    return PortSet.of([from, to]);
  }

  static of(...ranges: Array<readonly [number, number]>): PortSet {
    const sorted = ranges
      .map(([a, b]) => [Math.max(0, Math.min(a, b)), Math.min(65535, Math.max(a, b))] as [number, number])
      .filter(([a, b]) => a <= b)
      .sort((x, y) => x[0] - y[0]);
    const out: [number, number][] = [];
    for (const [lo, hi] of sorted) {
      const last = out[out.length - 1];
      if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
      else out.push([lo, hi]);
    }
    return new PortSet(out);
  }

  union(other: PortSet): PortSet {
    return PortSet.of(...this.ranges, ...other.ranges);
  }

  intersect(other: PortSet): PortSet {
    const out: [number, number][] = [];
    for (const [a, b] of this.ranges)
      for (const [c, d] of other.ranges) {
        const lo = Math.max(a, c);
        const hi = Math.min(b, d);
        if (lo <= hi) out.push([lo, hi]);
      }
    return PortSet.of(...out);
  }

  subtract(other: PortSet): PortSet {
    let out: Array<[number, number]> = this.ranges.map(([a, b]) => [a, b]);
    for (const [c, d] of other.ranges) {
      const next: Array<[number, number]> = [];
      for (const [a, b] of out) {
        if (d < a || c > b) next.push([a, b]);
        else {
          if (a < c) next.push([a, c - 1]);
          if (d < b) next.push([d + 1, b]);
        }
      }
      out = next;
    }
    return PortSet.of(...out);
  }

  isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  has(port: number): boolean {
    return this.ranges.some(([a, b]) => a <= port && port <= b);
  }

  covers(other: PortSet): boolean {
    return other.subtract(this).isEmpty();
  }

  /** `443`, `1024–65535`, `22, 80–90`. */
  toString(): string {
    return this.ranges.map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`)).join(', ');
  }
}
