import { Command, CommanderError, Option } from 'commander';
import { CONFIG_FILE_NAME } from '../engine/config.js';
import { runScan } from './scan-command.js';
import { runExplain, runRulesList } from './info-commands.js';
import { runGraph, type GraphFlags } from './graph-command.js';
import { GRAPH_FORMATS } from '../report/graph-render.js';
import type { Io } from './io.js';
import { packageVersion } from '../source/package.js';
import { DEFAULT_REPORT_FORMAT, REPORT_FORMATS } from '../source/report-formats.js';

export type { Io };

const defaultIo = (): Io => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTty: Boolean(process.stdout.isTTY),
  columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  env: process.env,
  cwd: process.cwd(),
});

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Runs the CLI and returns the exit code: 0 clean, 1 findings at or above --fail-on, 2 usage error or nothing to scan. */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  let code = 0;
  const program = new Command('iac-vpce')
    .description('Static analysis of AWS VPC endpoints, routes and policies in Terraform, CloudFormation and CDK')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run iac-vpce scan --help for the options)');

  program
    .command('scan')
    .description('scan Terraform configurations and plans, CloudFormation templates and CDK apps, and report findings')
    .argument('[paths...]', 'files or directories to scan', ['.'])
    .addOption(new Option('-f, --format <format>', 'output format').choices(REPORT_FORMATS).default(DEFAULT_REPORT_FORMAT))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(
      new Option('--fail-on <level>', 'exit 1 when a finding is at or above this level').choices(['error', 'warning', 'note', 'none']).default('error'),
    )
    .option('--region <region>', 'AWS region for configurations and templates whose region is not set')
    .option('--var-file <file>', 'Terraform variables file (repeatable)', collect)
    .option('--var <key=value>', 'Terraform variable (repeatable)', collect)
    .option('--param <key=value>', 'CloudFormation parameter value, as a deployment would pass it (repeatable)', collect)
    .option('--rule <id>', 'run only this rule (repeatable)', collect)
    .option('--skip-rule <id>', 'do not run this rule (repeatable)', collect)
    .option('--exclude <glob>', 'do not read files or directories matching this glob, relative to the scan root (repeatable)', collect)
    .option('--config <file>', `config file (default: ${CONFIG_FILE_NAME} in the scan root, then in the working directory)`)
    .option('--no-inline-suppressions', 'disregard iac-vpce:ignore comments and iac-vpce Metadata in the scanned files')
    .option(
      '--show-undecided',
      'list every place a rule stayed silent because the answer rests on something unknown (text output; JSON and SARIF always carry them)',
    )
    .option('--no-color', 'no colour in text output')
    .option('-q, --quiet', 'print nothing but the report')
    .action(async (paths: string[], opts, cmd: Command) => {
      // Settings left at their default can come from the config file: only those given on the command line win.
      for (const key of ['format', 'failOn', 'inlineSuppressions']) if (cmd.getOptionValueSource(key) === 'default') delete opts[key];
      code = await runScan(paths, opts, io);
    });

  program
    .command('graph')
    .description('draw each VPC: subnets by availability zone, route tables and routes, gateways and endpoints, findings highlighted')
    .argument('[paths...]', 'files or directories to scan', ['.'])
    .addOption(new Option('-f, --format <format>', 'picture format').choices(GRAPH_FORMATS).default('mermaid'))
    .option('-o, --output <file>', 'write the picture to a file instead of stdout')
    .option('--region <region>', 'AWS region for configurations and templates whose region is not set')
    .option('--var-file <file>', 'Terraform variables file (repeatable)', collect)
    .option('--var <key=value>', 'Terraform variable (repeatable)', collect)
    .option('--param <key=value>', 'CloudFormation parameter value (repeatable)', collect)
    .option('--config <file>', `config file (default: ${CONFIG_FILE_NAME} in the scan root, then in the working directory)`)
    .option('--exclude <glob>', 'do not read files or directories matching this glob, relative to the scan root (repeatable)', collect)
    .action(async (paths: string[], opts: GraphFlags) => {
      code = await runGraph(paths, opts, io);
    });

  program
    .command('rules')
    .description('list the rules')
    .action(() => {
      code = runRulesList(io);
    });

  program
    .command('explain')
    .description('show the documentation of a rule')
    .argument('<id>', 'rule id (VPCE101) or name (s3-traffic-via-nat)')
    .action((id: string) => {
      code = runExplain(id, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 2;
    }
    throw e;
  }
  return code;
}
