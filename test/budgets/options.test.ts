import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpTree } from '../helpers/tmp-tree.js';
import { runCli as run } from '../helpers/run-cli.js';

/** The limits are options: `--max-…` flags and the config file's `limits:`, the flag winning. */

const NAT = readFileSync(path.resolve(__dirname, '../../fixtures/rules/VPCE101/terraform/bad-nat-default-route/main.tf'), 'utf8');
const TF = `${NAT}
resource "aws_vpc" "listed" {
  cidr_block = "10.9.0.0/16"
  tags = {
    Count = length(range(300))
  }
}
`;
const LINE = TF.split('\n').findIndex((l) => l.includes('tags = {')) + 1;

interface JsonOut {
  findings: Array<{ ruleId: string }>;
  diagnostics: Array<{ code: string; message: string; file: string; line?: number }>;
}

const limitDiagnostics = (out: string) => (JSON.parse(out) as JsonOut).diagnostics.filter((d) => d.code === 'tf-limit-exceeded');

describe('evaluation limit options', () => {
  it('takes a limit from the command line', async () => {
    const dir = tmpTree({ 'main.tf': TF });
    const r = await run(['scan', '.', '--format', 'json', '--max-collection', '100'], dir);
    expect([0, 1]).toContain(r.code);
    const [d, ...more] = limitDiagnostics(r.stdout);
    expect(more).toEqual([]);
    expect(d).toMatchObject({ file: 'main.tf', line: LINE });
    expect(d!.message).toContain('a collection of 300 elements, over the limit of 100 (max-collection)');
    expect((JSON.parse(r.stdout) as JsonOut).findings.map((f) => f.ruleId)).toContain('VPCE101');
  });

  it('takes limits from the config file, the command line winning', async () => {
    const dir = tmpTree({ 'main.tf': TF, '.iac-vpce.yml': 'limits:\n  max-collection: 200\n  max-steps: 100000\n' });
    const fromConfig = await run(['scan', '.', '--format', 'json'], dir);
    expect(limitDiagnostics(fromConfig.stdout).map((d) => d.message.match(/over the limit of (\d+)/)?.[1])).toEqual(['200']);
    const fromFlag = await run(['scan', '.', '--format', 'json', '--max-collection', '1000'], dir);
    expect(limitDiagnostics(fromFlag.stdout)).toEqual([]);
  });

  it('reports a bad limit in the config file and refuses a bad flag', async () => {
    const dir = tmpTree({ 'main.tf': TF, '.iac-vpce.yml': 'limits:\n  max-collection: lots\n  max-speed: 3\n' });
    const r = await run(['scan', '.', '--format', 'json'], dir);
    const invalid = (JSON.parse(r.stdout) as JsonOut).diagnostics.filter((d) => d.code === 'config-invalid').map((d) => [d.line, d.message]);
    expect(invalid).toEqual([
      [2, '"limits.max-collection" must be a whole number of at least 1; it was ignored.'],
      [3, 'Unknown limit "max-speed" in "limits"; limits: max-collection, max-string, max-steps, max-instances.'],
    ]);
    expect(limitDiagnostics(r.stdout)).toEqual([]);
    const bad = await run(['scan', '.', '--max-steps', '0'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("option '--max-steps <n>' argument '0' is invalid. expected a whole number of at least 1.");
  });
});
