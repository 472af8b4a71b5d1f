import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';
import { tmpTree } from '../helpers/tmp-tree.js';

const TF = readFileSync(path.resolve(__dirname, '../../fixtures/rules/VPCE101/terraform/bad-nat-default-route/main.tf'), 'utf8');

describe('fingerprints', () => {
  it('are the same whichever folder of the repository is scanned', async () => {
    const repo = tmpTree({ 'infra/network/main.tf': TF });
    mkdirSync(path.join(repo, '.git'));
    const fromTop = await scan({ paths: [repo], root: repo });
    const fromFolder = await scan({ paths: [path.join(repo, 'infra/network')], root: path.join(repo, 'infra/network') });
    expect(fromTop.findings.map((f) => f.ruleId)).toEqual(['VPCE101']);
    expect(fromFolder.findings.map((f) => f.fingerprint)).toEqual(fromTop.findings.map((f) => f.fingerprint));
  });

  it('change when the file moves, since the path is part of the identity', async () => {
    const a = tmpTree({ 'infra/network/main.tf': TF });
    const b = tmpTree({ 'infra/other/main.tf': TF });
    mkdirSync(path.join(a, '.git'));
    mkdirSync(path.join(b, '.git'));
    const [ra, rb] = await Promise.all([scan({ paths: [a], root: a }), scan({ paths: [b], root: b })]);
    expect(ra.findings[0]!.fingerprint).not.toBe(rb.findings[0]!.fingerprint);
  });
});
