import { knownRegions } from '../facts/aws-data.js';
import { rules as allRules } from '../../rules/index.js';

/** Edit distance between two short words, for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** The closest of `choices` to `word`, when it is close enough to be a typo. */
export function didYouMean(word: string, choices: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: { choice: string; d: number } | undefined;
  for (const choice of choices) {
    const d = distance(w, choice.toLowerCase());
    if (best === undefined || d < best.d) best = { choice, d };
  }
  return best !== undefined && best.d <= Math.max(2, Math.floor(w.length / 3)) ? best.choice : undefined;
}

/** A usage message for every `--rule`/`--skip-rule` value that names no rule (by id or name); undefined when all do. */
export function unknownRules(flag: string, ids: readonly string[] | undefined): string | undefined {
  const known = new Set(allRules.flatMap((r) => [r.id, r.name.toUpperCase()]));
  const unknown = (ids ?? []).filter((id) => !known.has(id.toUpperCase()));
  if (unknown.length === 0) return undefined;
  const names = allRules.flatMap((r) => [r.id, r.name]);
  const hints = unknown.map((id) => {
    const near = didYouMean(id, names);
    return `${flag} ${id}: no such rule${near ? ` (did you mean ${near}?)` : ''}`;
  });
  return `${hints.join('; ')}. Rules: ${allRules.map((r) => `${r.id} (${r.name})`).join(', ')}`;
}

/** A usage message when `region` is not one of the regions in the bundled AWS data; undefined when it is. */
export function unknownRegion(source: string, region: string): string | undefined {
  const regions = knownRegions();
  if (regions.includes(region)) return undefined;
  const near = didYouMean(region, regions);
  return `${source} ${region} is not a region of the bundled AWS data${near ? ` (did you mean ${near}?)` : ''}. Regions: ${regions.join(', ')}`;
}

/**
 * The region a deployment from this environment would use when the configuration sets none. Terraform's AWS provider
 * reads `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the shared config file's profile
 * (https://registry.terraform.io/providers/hashicorp/aws/latest/docs#environment-variables); the CDK CLI resolves the
 * same chain and hands the result to the app as `CDK_DEFAULT_REGION`
 * (https://docs.aws.amazon.com/cdk/v2/guide/environments.html). iac-vpce reads these variables only: never
 * `~/.aws/config`, so a profile's region counts only when it is exported.
 */
export const REGION_VARIABLES = ['AWS_REGION', 'AWS_DEFAULT_REGION', 'CDK_DEFAULT_REGION'] as const;

export function environmentRegion(env: NodeJS.ProcessEnv): { region: string; variable: string } | undefined {
  for (const variable of REGION_VARIABLES) {
    const region = env[variable]?.trim();
    if (region) return { region, variable };
  }
  return undefined;
}
