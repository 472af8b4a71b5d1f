/**
 * The region of a CloudFormation template deployed without a fixed region (`AWS::Region` with no `--region`). It is
 * neither a guess nor Unknown: rules that need per-region data evaluate every region of the bundled data and say
 * which regions are affected. It flows through strings like any value (`!Sub com.amazonaws.${AWS::Region}.s3`
 * becomes `com.amazonaws.<SYMBOLIC_REGION>.s3`), so it is a token no real value can contain.
 */
export const SYMBOLIC_REGION = '\u0000AWS::Region\u0000';

export function isSymbolicRegion(v: unknown): v is typeof SYMBOLIC_REGION {
  return v === SYMBOLIC_REGION;
}

/** True when a string holds the symbolic region anywhere (`com.amazonaws.<region>.s3`, `<region>a`). */
export function mentionsSymbolicRegion(v: unknown): boolean {
  return typeof v === 'string' && v.includes(SYMBOLIC_REGION);
}

/** How a string with the symbolic region reads in a message: `com.amazonaws.${AWS::Region}.s3`. */
export function displaySymbolic(v: string): string {
  return v.split(SYMBOLIC_REGION).join('${AWS::Region}');
}
