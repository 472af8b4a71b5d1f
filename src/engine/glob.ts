/*
 * The two small glob dialects of the config file's `ignore:` entries. `path.matchesGlob` is not used: Node 20 has it
 * only from 20.17, prints an ExperimentalWarning on first use, and follows the platform's separator rules, while
 * these paths always use forward slashes.
 */

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * A glob over repo-relative paths: `**` matches any number of path segments (none included), `*` any run of
 * characters within one segment, `?` one character other than `/`; every other character stands for itself.
 */
export function pathGlobToRegExp(glob: string): RegExp {
  const g = normalizePathGlob(glob);
  let re = '';
  for (let i = 0; i < g.length;) {
    if (g.startsWith('**', i)) {
      const atSegmentStart = i === 0 || g[i - 1] === '/';
      const beforeSlash = g[i + 2] === '/';
      if (atSegmentStart && beforeSlash) {
        re += '(?:[^/]*/)*'; // `**/`: zero or more whole directories
        i += 3;
      } else {
        re += '.*';
        i += 2;
      }
    } else if (g[i] === '*') {
      re += '[^/]*';
      i += 1;
    } else if (g[i] === '?') {
      re += '[^/]';
      i += 1;
    } else {
      re += escapeRegExp(g[i]!);
      i += 1;
    }
  }
  return new RegExp(`^${re}$`);
}

function normalizePathGlob(glob: string): string {
  return glob
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
}

/**
 * Whether a repo-relative file path matches: the glob matches the path itself or one of its directories, so
 * `network/legacy` and `network/legacy/**` both cover `network/legacy/vpc/main.tf`.
 */
export function matchesPathGlob(filePath: string, glob: string): boolean {
  const re = pathGlobToRegExp(glob);
  const parts = filePath
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .split('/');
  for (let n = parts.length; n >= 1; n--) {
    if (re.test(parts.slice(0, n).join('/'))) return true;
  }
  return false;
}

/** A glob over resource addresses: `*` matches any characters (dots and brackets too), `?` any one character. */
export function addressGlobToRegExp(glob: string): RegExp {
  let re = '';
  for (const ch of glob) re += ch === '*' ? '.*' : ch === '?' ? '.' : escapeRegExp(ch);
  return new RegExp(`^${re}$`, 'u');
}

const INSTANCE_KEY = /\[(?:"(?:[^"\\]|\\.)*"|[^\]"]*)\]/g;

/**
 * Whether a resource address matches. An address written without instance keys covers every instance, as in
 * Terraform's `-target`: `aws_route_table.app` matches `aws_route_table.app["us-east-1a"]`.
 */
export function matchesAddressGlob(address: string, glob: string): boolean {
  const re = addressGlobToRegExp(glob);
  return re.test(address) || re.test(address.replace(INSTANCE_KEY, ''));
}
