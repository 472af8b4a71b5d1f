import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedRequired, REQUIRE_SHARED } from '../helpers/shared.js';
import { tmpTree } from '../helpers/tmp-tree.js';

/**
 * The hooks of .pre-commit-hooks.yaml as pre-commit runs them, from the committed HEAD of this repository (what a
 * user's `rev:` names; a change to the hooks is tested once committed). pre-commit installs a node hook with npm
 * install, npm pack and npm install -g of the tarball (https://pre-commit.com/#node), which needs the dependencies
 * from the npm registry or npm's cache, and takes a minute or so. One scratch repository uses a
 * `.pre-commit-config.yaml` and `pre-commit run`, as a commit would; another `pre-commit try-repo`
 * (https://pre-commit.com/#pre-commit-try-repo). Both run side by side.
 */
const REPO = path.resolve(__dirname, '../..');
const available = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;

const NAT = readFileSync(path.resolve(REPO, 'fixtures/rules/VPCE101/terraform/bad-nat-default-route/main.tf'), 'utf8').replace(
  /provider "aws" \{[^}]*\}\n/,
  '',
);
const ROOT = 'provider "aws" {\n  region = "us-east-1"\n}\n\nmodule "network" {\n  source = "../../modules/network"\n}\n';
const endpoint = (tables: string) =>
  `resource "aws_vpc_endpoint" "s3" {\n  vpc_id            = aws_vpc.main.id\n  service_name      = "com.amazonaws.us-east-1.s3"\n  vpc_endpoint_type = "Gateway"\n  route_table_ids   = [${tables}]\n}\n`;

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=iac-vpce test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    stdio: 'pipe',
  });

/**
 * A repository with a root module (envs/prod) that calls a local module (modules/network) whose S3 gateway endpoint is
 * committed on the private route table, then a staged change that takes it off: VPCE101 appears, in the module's file.
 */
function scratchRepository(stage: 'endpoint-and-readme' | 'readme' | 'committed'): string {
  const dir = tmpTree({
    'envs/prod/main.tf': ROOT,
    'modules/network/main.tf': NAT,
    'modules/network/endpoints.tf': endpoint('aws_route_table.private.id'),
    'README.md': '# infra\n',
  });
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'network');
  const change = () => execFileSync('sh', ['-c', 'cat > modules/network/endpoints.tf'], { cwd: dir, input: endpoint('') });
  if (stage === 'committed') {
    change();
    git(dir, 'commit', '-q', '-a', '-m', 'endpoint off the private route table');
  } else {
    if (stage === 'endpoint-and-readme') change();
    execFileSync('sh', ['-c', 'echo "More prose." >> README.md'], { cwd: dir });
    git(dir, 'add', '.');
  }
  return dir;
}

interface Run {
  code: number | null;
  output: string;
}

function preCommit(cwd: string, args: string[], home: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('pre-commit', [...args, '--color', 'never'], { cwd, env: { ...process.env, PRE_COMMIT_HOME: home } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

if (!available) {
  describe('pre-commit hooks', () => {
    if (sharedRequired()) {
      it('needs pre-commit on PATH', () => {
        throw new Error(`pre-commit is not on PATH, and ${REQUIRE_SHARED} is set: .ci/run installs it (apt-get install pre-commit)`);
      });
    } else {
      it.skip(`skipped: pre-commit is not on PATH (set ${REQUIRE_SHARED}=1 to fail instead)`, () => {});
    }
  });
} else {
  describe('pre-commit hooks', () => {
    const repos = { changed: '', readme: '', all: '' };
    const runs: Record<keyof typeof repos, Run> = { changed: { code: null, output: '' }, readme: { code: null, output: '' }, all: { code: null, output: '' } };

    beforeAll(async () => {
      const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
      const home = tmpTree({});
      repos.changed = scratchRepository('endpoint-and-readme');
      repos.readme = scratchRepository('readme');
      repos.all = scratchRepository('committed');
      const config = `repos:\n  - repo: ${JSON.stringify(REPO)}\n    rev: ${head}\n    hooks:\n      - id: iac-vpce\n      - id: iac-vpce-all\n`;
      for (const dir of [repos.changed, repos.all]) execFileSync('sh', ['-c', 'cat > .pre-commit-config.yaml'], { cwd: dir, input: config });
      git(repos.changed, 'add', '.pre-commit-config.yaml');
      const viaConfig = async () => {
        // The first run installs the hooks into `home`; the second reuses them.
        runs.changed = await preCommit(repos.changed, ['run', 'iac-vpce'], path.join(home, 'config'));
        runs.all = await preCommit(repos.all, ['run', 'iac-vpce-all', '--all-files'], path.join(home, 'config'));
      };
      const viaTryRepo = async () => {
        runs.readme = await preCommit(repos.readme, ['try-repo', REPO, 'iac-vpce', '--ref', head, '--files', 'README.md'], path.join(home, 'try'));
      };
      await Promise.all([viaConfig(), viaTryRepo()]);
    }, 900_000);

    it('iac-vpce fails a commit whose staged module change makes a finding, and reports it relative to the repository', () => {
      const { code, output } = runs.changed;
      expect(output, output).toMatch(/^iac-vpce\.+Failed$/m);
      expect(code).toBe(1);
      expect(output).toMatch(/^modules\/network\/main\.tf\n +\d+:\d+ +warning +VPCE101 +S3 traffic from module\.network\.aws_subnet\.private/m);
      // The staged files are a module and README.md: the root module that calls the module was evaluated.
      expect(output).toContain('envs/prod/main.tf:5  called from module "network"');
      expect(output).not.toContain(repos.changed);
    });

    it('iac-vpce passes when the changed files hold no IaC', () => {
      const { code, output } = runs.readme;
      expect(output, output).toMatch(/^iac-vpce\.+Passed$/m);
      expect(code).toBe(0);
    });

    it('iac-vpce-all scans the whole repository', () => {
      const { code, output } = runs.all;
      expect(output, output).toMatch(/^iac-vpce \(whole repository\)\.+Failed$/m);
      expect(code).toBe(1);
      expect(output).toMatch(/^modules\/network\/main\.tf\n +\d+:\d+ +warning +VPCE101 /m);
      expect(output).not.toContain(repos.all);
    });
  });
}
