import { createHash } from 'node:crypto';

/**
 * CDK's logical id of a construct path (aws-cdk-lib `core/lib/private/uniqueid.ts`): the path components with
 * `Default` dropped; a single component is used as is; otherwise the components without duplicates and without
 * `Resource`, alphanumerics only, followed by the first 8 hex digits (upper case) of the MD5 of the path.
 */
export function makeUniqueId(components: string[]): string {
  const parts = components.filter((c) => c !== 'Default');
  if (parts.length === 0) throw new Error('no components');
  if (parts.length === 1) {
    const single = removeNonAlphanumeric(parts[0]!);
    if (single.length <= 255) return single;
  }
  const hash = createHash('md5').update(parts.join('/')).digest('hex').slice(0, 8).toUpperCase();
  const human = removeDupes(parts)
    .filter((c) => c !== 'Resource')
    .map(removeNonAlphanumeric)
    .join('')
    .slice(0, 240);
  return human + hash;
}

/** The logical id CDK gives the resource at `constructPath` (`NetworkStack/Vpc/Resource`) of a stack at `stackPath`. */
export function logicalIdOf(constructPath: string, stackPath: string): string {
  if (!constructPath.startsWith(`${stackPath}/`)) throw new Error(`${constructPath} is not inside ${stackPath}`);
  return makeUniqueId(constructPath.slice(stackPath.length + 1).split('/'));
}

function removeNonAlphanumeric(s: string): string {
  return s.replace(/[^A-Za-z0-9]/g, '');
}

/** A component whose predecessor already ends with it adds nothing to the human part (`Vpc/VpcSubnet` keeps both). */
function removeDupes(path: string[]): string[] {
  const out: string[] = [];
  for (const c of path) {
    if (out.length === 0 || !out[out.length - 1]!.endsWith(c)) out.push(c);
  }
  return out;
}
