import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/engine/discover/index.js';
import { loadConfig } from '../../src/engine/config.js';
import { tmpTree } from '../helpers/tmp-tree.js';
import { runCli as run } from '../helpers/run-cli.js';

const NAT = readFileSync(path.resolve(__dirname, '../../fixtures/rules/VPCE101/terraform/bad-nat-default-route/main.tf'), 'utf8');

interface JsonOut {
  findings: Array<{ ruleId: string; location: { file: string } }>;
  diagnostics: Array<{ code: string; severity: string; message: string; file: string }>;
  files?: string[];
}
const json = (out: string) => JSON.parse(out) as JsonOut;

describe('excluding paths', () => {
  const tree = () =>
    tmpTree({
      'live/main.tf': NAT,
      'legacy/vpc/main.tf': NAT,
      'legacy/broken.tf': 'resource "aws_vpc" {',
      'sandbox/main.tf': NAT,
    });

  it('does not read files or directories an --exclude glob matches, and says how many in a note', async () => {
    const dir = tree();
    const r = await run(['scan', '.', '--region', 'us-east-1', '--format', 'json', '--exclude', 'legacy', '--exclude', 'sandbox/*.tf'], dir);
    const out = json(r.stdout);
    expect(new Set(out.findings.map((f) => f.location.file))).toEqual(new Set(['live/main.tf']));
    // The broken file under legacy/ was never parsed: no parse error.
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const note = out.diagnostics.find((d) => d.code === 'discover-excluded')!;
    expect(note.severity).toBe('note');
    expect(note.message).toBe('2 paths match an exclude pattern and were not read: legacy, sandbox/main.tf.');
  });

  it('takes exclude: from the config file, relative to the scan root, and adds --exclude to it', async () => {
    const dir = tree();
    const cfg = 'exclude:\n  - legacy/**\n';
    const withConfig = tmpTree({ ...Object.fromEntries(['live/main.tf', 'legacy/vpc/main.tf', 'sandbox/main.tf'].map((f) => [f, NAT])), '.iac-vpce.yml': cfg });
    const files = async (args: string[], cwd: string) =>
      new Set(json((await run(['scan', '.', '--region', 'us-east-1', '--format', 'json', ...args], cwd)).stdout).findings.map((f) => f.location.file));
    expect(await files([], withConfig)).toEqual(new Set(['live/main.tf', 'sandbox/main.tf']));
    expect(await files(['--exclude', 'sandbox'], withConfig)).toEqual(new Set(['live/main.tf']));
    expect(await files([], dir)).toEqual(new Set(['live/main.tf', 'legacy/vpc/main.tf', 'sandbox/main.tf']));
  });

  it('excludes a file named on the command line, and matches ** across directories', async () => {
    const dir = tree();
    const found = await discover([path.join(dir, 'live/main.tf'), path.join(dir, 'legacy/vpc/main.tf')], { root: dir, exclude: ['**/vpc/*.tf'] });
    expect(found.files.map((f) => f.path)).toEqual(['live/main.tf']);
    expect(found.diagnostics.map((d) => d.code)).toEqual(['discover-excluded']);
    const none = await discover([dir], { exclude: [] });
    expect(none.diagnostics.filter((d) => d.code === 'discover-excluded')).toEqual([]);
  });

  it('reports nothing to scan when everything is excluded', async () => {
    const r = await run(['scan', '.', '--exclude', '**'], tree());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing to scan');
  });
});

describe('.iac-vpce.yaml', () => {
  it('is read like .iac-vpce.yml', async () => {
    const dir = tmpTree({ 'main.tf': NAT, '.iac-vpce.yaml': 'format: compact\nregion: us-east-1\n' });
    const r = await run(['scan', '.'], dir);
    expect(r.stdout).toMatch(/^main\.tf:\d+:\d+: warning VPCE101 /);
  });

  it('loses to .iac-vpce.yml in the same directory, with a warning naming the file left unread', async () => {
    const dir = tmpTree({ 'main.tf': NAT, '.iac-vpce.yml': 'format: json\nregion: us-east-1\n', '.iac-vpce.yaml': 'format: compact\n' });
    const r = await run(['scan', '.'], dir);
    const out = json(r.stdout);
    const warning = out.diagnostics.find((d) => d.code === 'config-ambiguous')!;
    expect(warning).toMatchObject({ severity: 'warning', file: '.iac-vpce.yaml' });
    expect(warning.message).toContain('.iac-vpce.yml is read and this file is ignored');
    expect(r.stderr).toContain('.iac-vpce.yaml: warning config-ambiguous');
  });

  it('does not warn when --config names the file', () => {
    const dir = tmpTree({ '.iac-vpce.yml': 'format: json\n', '.iac-vpce.yaml': 'format: compact\n' });
    const loaded = loadConfig({ explicit: path.join(dir, '.iac-vpce.yml'), scanRoot: dir, cwd: dir });
    expect(loaded.diagnostics).toEqual([]);
    expect(loadConfig({ scanRoot: dir, cwd: dir }).diagnostics.map((d) => d.code)).toEqual(['config-ambiguous']);
  });
});
