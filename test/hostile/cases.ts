/**
 * The hostile inputs: each case writes, at test time, one hostile file (or link, FIFO, encoding, size) next to good
 * files whose findings are known, and says what the scan must report. Nothing large is committed; the largest inputs
 * are generated just over the documented limit they test.
 *
 * Layout of a case folder (`caseDir`): the scan root is `a/b/root`; `a/outside/` holds files a link or reference
 * points at, and `a/` itself holds a `.tf` file, so a reference of `../..` out of the root has something to read.
 */
import { chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '../..');

const fixture = (rel: string) => readFileSync(path.join(REPO, 'fixtures/rules/VPCE101', rel), 'utf8');
/** A small Terraform VPC whose private subnet reaches S3 through a NAT gateway: VPCE101 on line 30. */
export const NAT_TF = fixture('terraform/bad-nat-default-route/main.tf');
/** The same VPC as a CloudFormation template: VPCE101 on line 54. */
export const NAT_CFN = fixture('cloudformation-yaml/bad-nat-no-endpoint/template.yaml');
const CDK_ASSEMBLY = path.join(REPO, 'fixtures/rules/VPCE101/cdk/bad-nat-no-endpoint/cdk.out');

/** Documented limits (README, security section), mirrored here so each size case lands just over its limit. */
export const LIMITS = {
  terraformFileBytes: 5 * 1024 * 1024,
  templateBytes: 5 * 1024 * 1024,
  planBytes: 32 * 1024 * 1024,
  modulesJsonBytes: 4 * 1024 * 1024,
};

export interface ExpectedFinding {
  ruleId: string;
  file: string;
  line: number;
}

export interface ExpectedDiagnostic {
  /** The diagnostic code, or the codes any of which is right (a link to /dev/zero is both outside the root and not a regular file). */
  code: string | string[];
  file: string;
  /** The line, asserted when the input has a line to point at; `true` when a line must be given but several are right. */
  line?: number | true;
}

export interface CaseContext {
  /** The scan root. */
  root: string;
  /** A folder beside the root (outside it) for links and references to point at. */
  outside: string;
  /** Two levels above the root: what `../..` names from the root. */
  above: string;
}

export interface HostileCase {
  name: string;
  /** What the case checks, one line (the suite's case list). */
  checks: string;
  /** Listed in issue 17 as mishandled (true) or already handled before it (false). */
  fromIssue: boolean;
  build(ctx: CaseContext): void;
  /** Extra scan arguments. */
  args?: string[];
  /** A folder outside the root the scan is allowed into (`--allow-outside-root`): opening files there is no escape. */
  allowOutside?(ctx: CaseContext): string;
  /** Every finding the report must hold, no more, no fewer (a doubled or foreign finding fails). */
  findings: ExpectedFinding[];
  /** Diagnostics that must be in the report. */
  diagnostics: ExpectedDiagnostic[];
  /** Time limit in milliseconds (default 30 s): a scan still running then is a hang. */
  limitMs?: number;
  /** Run the scan as an unprivileged user (for permission cases when the suite runs as root). */
  unprivileged?: boolean;
  /** Why the case cannot be set up on this machine, if so (checked after build). */
  unsupported?(ctx: CaseContext): string | undefined;
  /**
   * The good configurations written beside the hostile input before `build` (Terraform, or Terraform and
   * CloudFormation), whose findings (`GOOD_TF`, `GOOD_CFN`) must survive: added to `findings` by `withGood`.
   */
  good?: 'tf' | 'tf+cfn';
}

/** A link to /dev/zero points out of the root at something that is not a regular file: either refusal is right. */
const DEV_ZERO_REFUSALS = ['input-not-regular-file', 'input-outside-root'];
const GOOD_TF: ExpectedFinding = { ruleId: 'VPCE101', file: 'main.tf', line: 30 };
const GOOD_CFN: ExpectedFinding = { ruleId: 'VPCE101', file: 'good.yaml', line: 54 };
const goodTf = (ctx: CaseContext) => writeFileSync(path.join(ctx.root, 'main.tf'), NAT_TF);
/** The CloudFormation VPC beside a hostile template: VPCE101 on good.yaml:54. */
const goodCfn = (ctx: CaseContext) => writeFileSync(path.join(ctx.root, 'good.yaml'), NAT_CFN);
const write = (dir: string, rel: string, data: string | Uint8Array) => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), data);
};
/** A case with its good configurations written first and their findings expected. */
function withGood(c: HostileCase): HostileCase {
  if (!c.good) return c;
  const cfn = c.good === 'tf+cfn';
  return {
    ...c,
    build: (ctx) => {
      goodTf(ctx);
      if (cfn) goodCfn(ctx);
      c.build(ctx);
    },
    findings: [GOOD_TF, ...(cfn ? [GOOD_CFN] : []), ...c.findings],
  };
}
const link = (target: string, dir: string, rel: string) => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  symlinkSync(target, path.join(dir, rel));
};
const fifo = (dir: string, rel: string) => execFileSync('mkfifo', [path.join(dir, rel)]);

/**
 * Whether a file with mode 000 really cannot be read by whoever runs the scan: root reads it anyway, so under root
 * the scan runs as nobody (setpriv); if that is impossible or nobody can still read it, the case cannot be set up.
 */
function unreadableUnsupported(file: string): string | undefined {
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // nobody must be able to reach the file for the probe to mean anything
    for (let d = path.dirname(file); d !== path.dirname(d); d = path.dirname(d)) chmodSync(d, statSync(d).mode | 0o005);
  }
  const probe = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'cat', file] : ['cat', file];
  try {
    execFileSync(probe[0]!, probe.slice(1), { stdio: 'ignore' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'running as root and setpriv is not installed to drop privileges';
    return undefined;
  }
  return asRoot ? 'even as nobody the file with mode 000 can be read (capabilities?)' : 'a file with mode 000 can still be read here';
}

/** Lines before the first occurrence of `needle` in `text`, plus one: where a diagnostic about it points. */
export const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

/** A `.tf.json` whose one attribute, on line 5, is a string interpolating `depth` nested brackets. */
function deepInterpolation(depth: number): string {
  const expr = '${' + '['.repeat(depth) + '1' + ']'.repeat(depth) + '}';
  return ['{', '  "resource": {', '    "aws_vpc": {', '      "deep": {', `        "cidr_block": "${expr}"`, '      }', '    }', '  }', '}', ''].join('\n');
}

/** A CloudFormation YAML template of `padding` comment bytes before its resources. */
const paddedTemplate = (bytes: number) => NAT_CFN + '#' + 'x'.repeat(bytes) + '\n';

const utf16 = (text: string, order: 'le' | 'be', bom: boolean): Buffer => {
  const le = Buffer.from((bom ? '\uFEFF' : '') + text, 'utf16le');
  if (order === 'le') return le;
  const be = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    be[i] = le[i + 1]!;
    be[i + 1] = le[i]!;
  }
  return be;
};

const utf16Case = (order: 'le' | 'be', bom: boolean): HostileCase => ({
  name: `cfn-utf16-${order}${bom ? '-bom' : '-no-bom'}`,
  checks: `a UTF-16 ${order.toUpperCase()} CloudFormation template ${bom ? 'with' : 'without'} a byte-order mark is not skipped silently`,
  fromIssue: true,
  good: 'tf+cfn',
  build: (ctx) => write(ctx.root, 'stack.yaml', utf16(NAT_CFN, order, bom)),
  findings: [],
  diagnostics: [{ code: 'discover-skipped-file', file: 'stack.yaml' }],
});

const definitions: HostileCase[] = [
  // ----- listed in the issue -----
  {
    name: 'tfjson-interpolation-10000-brackets',
    checks: 'a .tf.json string nesting 10,000 brackets in "${…}" ends in a nesting diagnostic, not a dead WASM runtime and exit 0',
    fromIssue: true,
    good: 'tf',
    build: (ctx) => {
      write(ctx.root, 'deep.tf.json', deepInterpolation(10_000));
    },
    findings: [],
    diagnostics: [{ code: 'tf-nesting-too-deep', file: 'deep.tf.json', line: 5 }],
  },
  {
    name: 'modules-json-null-entry',
    checks: '.terraform/modules/modules.json {"Modules":[null]} is a diagnostic on that file, not an internal error',
    fromIssue: true,
    build: (ctx) => {
      write(ctx.root, 'main.tf', NAT_TF + '\nmodule "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n');
      write(ctx.root, '.terraform/modules/modules.json', '{"Modules":[null]}\n');
    },
    findings: [GOOD_TF],
    diagnostics: [{ code: 'tf-modules-json-invalid', file: '.terraform/modules/modules.json', line: 1 }],
  },
  {
    name: 'config-symlink-dev-zero',
    checks: '.iac-vpce.yml linked to /dev/zero is skipped with a diagnostic (no bad_alloc, /dev/zero never opened)',
    fromIssue: true,
    good: 'tf',
    build: (ctx) => {
      link('/dev/zero', ctx.root, '.iac-vpce.yml');
    },
    findings: [],
    diagnostics: [{ code: DEV_ZERO_REFUSALS, file: '.iac-vpce.yml' }],
  },
  {
    name: 'tfvars-fifo',
    checks: 'a FIFO named terraform.tfvars is skipped with a diagnostic, not opened (opening blocks forever)',
    fromIssue: true,
    good: 'tf',
    build: (ctx) => {
      fifo(ctx.root, 'terraform.tfvars');
    },
    findings: [],
    diagnostics: [{ code: 'input-not-regular-file', file: 'terraform.tfvars' }],
  },
  {
    name: 'config-fifo',
    checks: 'a FIFO named .iac-vpce.yml is skipped with a diagnostic, not opened',
    fromIssue: true,
    good: 'tf',
    build: (ctx) => {
      fifo(ctx.root, '.iac-vpce.yml');
    },
    findings: [],
    diagnostics: [{ code: 'input-not-regular-file', file: '.iac-vpce.yml' }],
  },
  {
    name: 'auto-tfvars-dev-zero',
    checks: 'a *.auto.tfvars linked to /dev/zero is skipped with a diagnostic, not read without end',
    fromIssue: true,
    good: 'tf',
    build: (ctx) => {
      link('/dev/zero', ctx.root, 'zero.auto.tfvars');
    },
    findings: [],
    diagnostics: [{ code: DEV_ZERO_REFUSALS, file: 'zero.auto.tfvars' }],
  },
  {
    name: 'symlink-to-etc',
    checks: 'a directory link to /etc inside the tree is refused with a diagnostic; nothing under /etc is opened',
    fromIssue: true,
    good: 'tf',
    build: (ctx) => {
      link('/etc', ctx.root, 'etc');
    },
    findings: [],
    diagnostics: [{ code: 'input-outside-root', file: 'etc' }],
  },
  {
    name: 'symlinked-folder-outside',
    checks: 'a directory link to a Terraform folder outside the root is refused: its findings are not reported as inside',
    fromIssue: true,
    good: 'tf',
    build: (ctx) => {
      write(ctx.outside, 'vpc/main.tf', NAT_TF);
      link(path.join(ctx.outside, 'vpc'), ctx.root, 'network');
    },
    findings: [],
    diagnostics: [{ code: 'input-outside-root', file: 'network' }],
  },
  {
    name: 'symlinked-folder-allowed-outside',
    checks: "the same link is followed when --allow-outside-root names its target: the folder's findings appear, nothing is refused",
    fromIssue: true,
    good: 'tf',
    build: (ctx) => {
      write(ctx.outside, 'vpc/main.tf', NAT_TF);
      link(path.join(ctx.outside, 'vpc'), ctx.root, 'network');
    },
    allowOutside: (ctx) => path.join(ctx.outside, 'vpc'),
    findings: [{ ruleId: 'VPCE101', file: 'network/main.tf', line: 30 }],
    diagnostics: [],
  },
  {
    name: 'symlinked-template-outside',
    checks: 'a template that is a link to a file outside the root is refused with a diagnostic',
    fromIssue: true,
    good: 'tf+cfn',
    build: (ctx) => {
      write(ctx.outside, 'template.yaml', NAT_CFN);
      link(path.join(ctx.outside, 'template.yaml'), ctx.root, 'stack.yaml');
    },
    findings: [],
    diagnostics: [{ code: 'input-outside-root', file: 'stack.yaml' }],
  },
  {
    name: 'modules-json-dir-outside',
    checks: 'a modules.json Dir of ../.. is not followed out of the root; the refusal names the module',
    fromIssue: true,
    build: (ctx) => {
      const main = NAT_TF + '\nmodule "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n';
      write(ctx.root, 'main.tf', main);
      write(
        ctx.root,
        '.terraform/modules/modules.json',
        JSON.stringify({
          Modules: [
            { Key: '', Source: '', Dir: '.' },
            { Key: 'vpc', Source: 'registry.terraform.io/terraform-aws-modules/vpc/aws', Version: '5.0.0', Dir: '../..' },
          ],
        }),
      );
      write(ctx.above, 'above.tf', NAT_TF);
    },
    findings: [GOOD_TF],
    diagnostics: [{ code: 'input-outside-root', file: 'main.tf', line: 44 }],
  },
  {
    name: 'cdk-template-symlink-outside',
    checks: 'a template inside cdk.out that is a link out of the root is refused at the manifest entry naming it; the stack is not reported from outside',
    fromIssue: true,
    good: 'tf',
    build: (ctx) => {
      cpSync(CDK_ASSEMBLY, path.join(ctx.root, 'cdk.out'), { recursive: true });
      copyFileSync(path.join(CDK_ASSEMBLY, 'NetworkStack.template.json'), path.join(ctx.outside, 'NetworkStack.template.json'));
      const inTree = path.join(ctx.root, 'cdk.out/NetworkStack.template.json');
      writeFileSync(inTree, '');
      execFileSync('rm', [inTree]);
      symlinkSync(path.join(ctx.outside, 'NetworkStack.template.json'), inTree);
    },
    findings: [],
    diagnostics: [{ code: 'input-outside-root', file: 'cdk.out/manifest.json', line: true }],
  },
  {
    name: 'cdk-json-output-outside',
    checks: 'cdk.json with "output" outside the root is not followed; the refusal is a diagnostic on cdk.json',
    fromIssue: true,
    good: 'tf',
    build: (ctx) => {
      cpSync(CDK_ASSEMBLY, path.join(ctx.outside, 'cdk.out'), { recursive: true });
      write(
        ctx.root,
        'cdk.json',
        JSON.stringify({ app: 'npx ts-node bin/app.ts', output: path.relative(ctx.root, path.join(ctx.outside, 'cdk.out')) }, null, 2),
      );
      write(ctx.root, 'bin/app.ts', "import * as cdk from 'aws-cdk-lib';\nnew cdk.App();\n");
    },
    findings: [],
    diagnostics: [{ code: 'input-outside-root', file: 'cdk.json', line: 3 }],
  },
  {
    name: 'tf-symlink-inside-tree',
    checks: 'a .tf file that is a link to a file inside the tree is read: its findings appear',
    fromIssue: true,
    good: 'tf',
    build: (ctx) => {
      write(ctx.root, 'shared/vpc.tf.txt', NAT_TF);
      link('../shared/vpc.tf.txt', ctx.root, 'network/main.tf');
    },
    findings: [{ ruleId: 'VPCE101', file: 'network/main.tf', line: 30 }],
    diagnostics: [],
  },
  {
    name: 'module-self-call',
    checks: 'a module calling itself with source = "./" is not expanded: each finding is reported once, with a diagnostic',
    fromIssue: true,
    build: (ctx) => write(ctx.root, 'main.tf', NAT_TF + '\nmodule "again" {\n  source = "./"\n}\n'),
    findings: [GOOD_TF],
    diagnostics: [{ code: 'tf-module-recursion', file: 'main.tf', line: 44 }],
  },
  utf16Case('le', true),
  utf16Case('be', true),
  utf16Case('le', false),
  utf16Case('be', false),
  {
    name: 'yaml-unreadable',
    checks: 'a .yaml file without read permission is a diagnostic, not skipped silently (scan runs as an unprivileged user)',
    fromIssue: true,
    unprivileged: true,
    unsupported: (ctx) => unreadableUnsupported(path.join(ctx.root, 'stack.yaml')),
    good: 'tf+cfn',
    build: (ctx) => {
      write(ctx.root, 'stack.yaml', NAT_CFN);
      chmodSync(path.join(ctx.root, 'stack.yaml'), 0o000);
    },
    findings: [],
    diagnostics: [{ code: 'discover-skipped-file', file: 'stack.yaml' }],
  },
  {
    name: 'yaml-million-aliases',
    checks: 'a 4 MB YAML template with a million aliases stops at the alias budget, quickly and in bounded memory',
    fromIssue: true,
    good: 'tf+cfn',
    build: (ctx) => {
      const head = 'AWSTemplateFormatVersion: "2010-09-09"\nMappings:\n  M:\n    k: &a x\n    list: [';
      write(ctx.root, 'stack.yaml', head + '*a, '.repeat(1_000_000) + '*a]\nResources: {}\n');
    },
    findings: [],
    diagnostics: [{ code: 'cfn-alias-limit', file: 'stack.yaml' }],
  },
  {
    name: 'yaml-million-anchors',
    checks: 'a 4.9 MB YAML template with a million anchors is refused at the YAML node limit, quickly and in bounded memory',
    fromIssue: true,
    good: 'tf+cfn',
    build: (ctx) => {
      const head = 'AWSTemplateFormatVersion: "2010-09-09"\nMetadata:\n  list: [';
      write(ctx.root, 'stack.yaml', head + '&a x,'.repeat(980_000) + '&a x]\nResources: {}\n');
    },
    findings: [],
    diagnostics: [{ code: 'cfn-node-limit', file: 'stack.yaml', line: 3 }],
  },
  {
    name: 'config-60mb-vars',
    checks: 'a 60 MB vars: value in .iac-vpce.yml is refused at the config limit, in bounded memory',
    fromIssue: true,
    good: 'tf',
    build: (ctx) => {
      write(ctx.root, '.iac-vpce.yml', 'vars:\n  big: "' + 'x'.repeat(60 * 1024 * 1024) + '"\n');
    },
    findings: [],
    diagnostics: [{ code: 'input-too-large', file: '.iac-vpce.yml' }],
  },
  {
    name: 'tf-regex-timeout',
    checks: 'a catastrophic regex() that times out is a diagnostic at its line, not a silent unknown',
    fromIssue: true,
    good: 'tf',
    build: (ctx) => {
      write(
        ctx.root,
        'regex.tf',
        'resource "aws_vpc" "re" {\n  cidr_block = "10.9.0.0/16"\n  tags = {\n    Name = regex("(a+)+$", "' + 'a'.repeat(40) + '!")\n  }\n}\n',
      );
    },
    findings: [],
    // An expression's diagnostics sit on the line of the attribute that holds it (`tags = {`), as every evaluation
    // diagnostic does; the values inside an object attribute keep no lines of their own.
    diagnostics: [{ code: 'tf-regex-timeout', file: 'regex.tf', line: 3 }],
  },
  {
    name: 'tf-reference-cycle',
    checks: 'a reference cycle between locals is a diagnostic on the file and line of the local, not on "."',
    fromIssue: true,
    good: 'tf',
    build: (ctx) => {
      write(ctx.root, 'cycle.tf', 'locals {\n  a = local.b\n  b = local.a\n}\n\nresource "aws_vpc" "cycle" {\n  cidr_block = local.a\n}\n');
    },
    findings: [],
    diagnostics: [{ code: 'tf-reference-cycle', file: 'cycle.tf', line: 2 }],
  },
  {
    name: 'config-syntax-error',
    checks: 'a config file that is not valid YAML is a diagnostic with its file and line; the scan goes on with the defaults',
    fromIssue: true,
    good: 'tf',
    build: (ctx) => {
      write(ctx.root, '.iac-vpce.yml', 'fail-on: warning\nregion: [\n  us-east-1\nrules: {{\n');
    },
    findings: [],
    diagnostics: [{ code: 'config-invalid', file: '.iac-vpce.yml', line: 2 }],
  },
  // ----- handled before the issue -----
  {
    name: 'hcl-deep-nesting',
    checks: 'HCL nesting 10,000 brackets is a nesting diagnostic',
    fromIssue: false,
    good: 'tf',
    build: (ctx) => {
      write(ctx.root, 'deep.tf', 'locals {\n  x = ' + '['.repeat(10_000) + '1' + ']'.repeat(10_000) + '\n}\n');
    },
    findings: [],
    diagnostics: [{ code: 'tf-nesting-too-deep', file: 'deep.tf', line: 2 }],
  },
  {
    name: 'tfjson-deep-nesting',
    checks: 'a .tf.json nesting 10,000 arrays is a nesting diagnostic',
    fromIssue: false,
    good: 'tf',
    build: (ctx) => {
      write(ctx.root, 'deep.tf.json', '{\n"locals": {\n"x": ' + '['.repeat(10_000) + '1' + ']'.repeat(10_000) + '\n}\n}\n');
    },
    findings: [],
    diagnostics: [{ code: 'tf-nesting-too-deep', file: 'deep.tf.json', line: 3 }],
  },
  {
    name: 'yaml-deep-nesting',
    checks: 'a YAML template nesting 10,000 flow sequences is a nesting diagnostic',
    fromIssue: false,
    good: 'tf+cfn',
    build: (ctx) => {
      write(
        ctx.root,
        'stack.yaml',
        'AWSTemplateFormatVersion: "2010-09-09"\nMetadata:\n  x: ' + '['.repeat(10_000) + '1' + ']'.repeat(10_000) + '\nResources: {}\n',
      );
    },
    findings: [],
    diagnostics: [{ code: 'cfn-nesting-too-deep', file: 'stack.yaml', line: 3 }],
  },
  {
    name: 'cfn-json-deep-nesting',
    checks: 'a JSON template nesting 10,000 arrays is a nesting diagnostic',
    fromIssue: false,
    good: 'tf+cfn',
    build: (ctx) => {
      write(
        ctx.root,
        'stack.json',
        '{\n"AWSTemplateFormatVersion": "2010-09-09",\n"Metadata": ' + '['.repeat(10_000) + '1' + ']'.repeat(10_000) + ',\n"Resources": {}\n}\n',
      );
    },
    findings: [],
    diagnostics: [{ code: 'cfn-nesting-too-deep', file: 'stack.json', line: 3 }],
  },
  {
    name: 'yaml-alias-bomb',
    checks: 'a billion-laughs YAML template stops at the alias limit',
    fromIssue: false,
    good: 'tf+cfn',
    build: (ctx) => {
      const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
      for (let i = 1; i < 10; i++) {
        const prev = String.fromCharCode(96 + i);
        const name = String.fromCharCode(97 + i);
        levels.push(
          `${name}: &${name} [${Array(10)
            .fill('*' + prev)
            .join(',')}]`,
        );
      }
      write(ctx.root, 'stack.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\nMetadata:\n' + levels.map((l) => '  ' + l).join('\n') + '\nResources: {}\n');
    },
    findings: [],
    diagnostics: [{ code: 'cfn-alias-limit', file: 'stack.yaml' }],
  },
  {
    name: 'tf-over-size-limit',
    checks: 'a .tf file just over the 5 MB limit is refused with a diagnostic',
    fromIssue: false,
    good: 'tf',
    build: (ctx) => {
      write(ctx.root, 'big.tf', '# ' + 'x'.repeat(LIMITS.terraformFileBytes) + '\n');
    },
    findings: [],
    diagnostics: [{ code: 'tf-file-too-large', file: 'big.tf' }],
  },
  {
    name: 'tfvars-over-size-limit',
    checks: 'a *.auto.tfvars just over the 5 MB limit is refused with a diagnostic (variable files are capped)',
    fromIssue: false,
    good: 'tf',
    build: (ctx) => {
      write(ctx.root, 'big.auto.tfvars', '# ' + 'x'.repeat(LIMITS.terraformFileBytes) + '\n');
    },
    findings: [],
    diagnostics: [{ code: 'tf-file-too-large', file: 'big.auto.tfvars' }],
  },
  {
    name: 'modules-json-over-size-limit',
    checks: '.terraform/modules/modules.json just over its 4 MB limit is refused with a diagnostic, not parsed',
    fromIssue: true,
    build: (ctx) => {
      write(ctx.root, 'main.tf', NAT_TF + '\nmodule "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n');
      write(ctx.root, '.terraform/modules/modules.json', '{"Modules":[],"padding":"' + 'x'.repeat(LIMITS.modulesJsonBytes) + '"}\n');
    },
    findings: [GOOD_TF],
    diagnostics: [{ code: 'input-too-large', file: '.terraform/modules/modules.json' }],
  },
  {
    name: 'cfn-over-size-limit',
    checks: 'a YAML template just over the 5 MB limit is refused with a diagnostic',
    fromIssue: false,
    good: 'tf+cfn',
    build: (ctx) => {
      write(ctx.root, 'stack.yaml', paddedTemplate(LIMITS.templateBytes));
    },
    findings: [],
    diagnostics: [{ code: 'cfn-file-too-large', file: 'stack.yaml' }],
  },
  {
    name: 'tf-binary',
    checks: 'a .tf file with NUL bytes is a binary-file diagnostic',
    fromIssue: false,
    good: 'tf',
    build: (ctx) => {
      write(ctx.root, 'blob.tf', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3, 0, 0xff, 0xfe]));
    },
    findings: [],
    diagnostics: [{ code: 'tf-binary-file', file: 'blob.tf' }],
  },
  {
    name: 'tf-invalid-utf8',
    checks: 'a .tf file that is not UTF-8 is an invalid-UTF-8 diagnostic',
    fromIssue: false,
    good: 'tf',
    build: (ctx) => {
      write(ctx.root, 'latin.tf', Buffer.concat([Buffer.from('locals {\n  x = "caf'), Buffer.from([0xe9, 0xff]), Buffer.from('"\n}\n')]));
    },
    findings: [],
    diagnostics: [{ code: 'tf-invalid-utf8', file: 'latin.tf' }],
  },
  {
    name: 'cfn-invalid-utf8',
    checks: 'a YAML template that is not UTF-8 is an invalid-UTF-8 diagnostic',
    fromIssue: false,
    good: 'tf+cfn',
    build: (ctx) => {
      write(ctx.root, 'stack.yaml', Buffer.concat([Buffer.from(NAT_CFN.replace('iac-vpce rule fixture', 'caf')), Buffer.from([0xe9, 0xff, 0x0a])]));
    },
    findings: [],
    diagnostics: [{ code: 'cfn-invalid-utf8', file: 'stack.yaml' }],
  },
  {
    name: 'symlink-loop',
    checks: 'a directory link back to the root is a symlink-loop note, walked once',
    fromIssue: false,
    good: 'tf',
    build: (ctx) => {
      link('..', ctx.root, 'sub/loop');
    },
    findings: [],
    diagnostics: [{ code: 'discover-symlink-loop', file: 'sub/loop' }],
  },
  {
    name: 'plan-over-size-limit',
    checks: 'a plan JSON just over the 32 MB limit is refused with a diagnostic',
    fromIssue: false,
    good: 'tf',
    build: (ctx) => {
      const head = '{"format_version":"1.2","terraform_version":"1.6.0","planned_values":{"root_module":{}},"resource_changes":[],"padding":"';
      write(ctx.root, 'plan/tfplan.json', head + 'x'.repeat(LIMITS.planBytes) + '"}\n');
    },
    findings: [],
    diagnostics: [{ code: 'tfplan-too-large', file: 'plan/tfplan.json' }],
  },
];

/** Every case, its good configurations included. */
export const cases: HostileCase[] = definitions.map(withGood);
