import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';

/** Whole scans of root modules that call the registry VPC module with a version range and nothing downloaded. */
const FIXTURES = path.resolve(__dirname, '../../fixtures/terraform-modules');

async function scanFixture(name: string) {
  const dir = path.join(FIXTURES, name);
  const result = await scan({ paths: [dir], root: dir });
  const diagnostics = (code: string) => result.diagnostics.filter((d) => d.code === code);
  return { result, diagnostics };
}

describe('open-ended module versions', () => {
  it('models `>= 5.9.0` as the newest covered release and finds S3 traffic through its NAT gateways', async () => {
    const { result, diagnostics } = await scanFixture('open-ended-version');
    const modelled = diagnostics('tf-module-modelled');
    expect(modelled).toHaveLength(1);
    expect(modelled[0]).toMatchObject({ severity: 'note', file: 'main.tf', line: 9 });
    expect(modelled[0]!.message).toContain('modelled as version 6.6.0, the newest covered version that `>= 5.9.0` admits');
    expect(modelled[0]!.message).toContain('the constraint also admits releases after 6.6.0, the newest the model covers');
    expect(diagnostics('tf-module-model-version')).toEqual([]);

    const s3 = result.findings.filter((f) => f.ruleId === 'VPCE101');
    expect(s3.map((f) => `${f.location.address} ${f.location.file}:${f.location.span.start.line}`)).toEqual([
      'module.vpc.aws_route_table.private[0] main.tf:9',
      'module.vpc.aws_route_table.private[1] main.tf:9',
    ]);
    expect(JSON.stringify(s3)).toContain('module.vpc.aws_subnet.private[0]');
  });

  it('stays silent once the open-ended vpc-endpoints submodule adds an S3 gateway endpoint', async () => {
    const { result, diagnostics } = await scanFixture('open-ended-version-with-endpoint');
    const modelled = diagnostics('tf-module-modelled').map((d) => d.message);
    expect(modelled).toHaveLength(2);
    expect(modelled.find((m) => m.startsWith('module "endpoints"'))).toContain('modelled as version 6.6.0, the newest covered version that `>= 5.0.0` admits');
    expect(result.findings.filter((f) => f.ruleId === 'VPCE101')).toEqual([]);
  });

  it('treats a call whose constraint admits no covered release as unknown, says why, and reports nothing it would create', async () => {
    const { result, diagnostics } = await scanFixture('version-not-covered');
    expect(diagnostics('tf-module-modelled')).toEqual([]);
    const why = diagnostics('tf-module-model-version');
    expect(why).toHaveLength(1);
    expect(why[0]).toMatchObject({ severity: 'warning', file: 'main.tf', line: 8 });
    expect(why[0]!.message).toContain('(releases 3.0.0 to 6.6.0) does not apply');
    expect(why[0]!.message).toContain('its version constraint `>= 99.0` admits only releases after 6.6.0, the newest the model covers');
    expect(why[0]!.message).toContain('terraform init -backend=false');
    expect(result.findings).toEqual([]);
  });
});
