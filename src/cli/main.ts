import { Command, CommanderError, Option } from 'commander';
import { CONFIG_FILE_NAME } from '../source/config-file-name.js';
import type { FixFlags } from './fix-command.js';
import type { GraphFlags } from './graph-command.js';
import { limitOption } from './limit-options.js';
import { parseJobs } from './jobs-option.js';
import { addMergeCommand } from './merge-command.js';
import { GRAPH_FORMATS } from '../report/graph-render.js';
import type { Io } from './io.js';
import { packageVersion } from '../source/package.js';
import { DEFAULT_REPORT_FORMAT, REPORT_FORMATS } from '../source/report-formats.js';

export type { Io };

// Each command's code is imported when that command runs, so `--version` and `--help` load none of the parsers.

/** Set once the reader of stdout has gone (`iac-vpce scan | head -1`): the rest of the report has nowhere to go. */
let stdoutClosed = false;

/** The process's streams. A closed pipe on stdout (EPIPE) ends the output quietly instead of crashing the run. */
const defaultIo = (): Io => {
  if (process.stdout.listenerCount('error') === 0)
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      stdoutClosed = true;
    });
  return {
    stdout: (s) => {
      if (!stdoutClosed) process.stdout.write(s);
    },
    stderr: (s) => process.stderr.write(s),
    isTty: Boolean(process.stdout.isTTY),
    stderrIsTty: Boolean(process.stderr.isTTY),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    env: process.env,
    cwd: process.cwd(),
  };
};

/** Where to report a crash: an internal error is a bug in iac-vpce, never in the files scanned. */
export const ISSUES_URL = 'https://github.com/iac-vpce/iac-vpce/issues';

/** The one line an internal error prints (exit 3); the stack only with IAC_VPCE_DEBUG set. */
export function internalError(e: unknown, env: NodeJS.ProcessEnv): string {
  const message = (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ');
  const stack = env['IAC_VPCE_DEBUG'] && e instanceof Error && e.stack ? `${e.stack}\n` : '';
  return `iac-vpce: internal error: ${message}\n${stack}(this is a bug in iac-vpce: please report it with the command you ran at ${ISSUES_URL})\n`;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

/**
 * Runs the CLI and returns the exit code: 0 clean, 1 findings at or above --fail-on (or diagnostics at or above
 * --fail-on-diagnostics), 2 usage error or nothing to scan, 3 internal error.
 */
export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  let code = 0;
  const program = new Command('iac-vpce')
    .description('Static analysis of AWS VPC endpoints, routes and policies in Terraform, CloudFormation and CDK')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run iac-vpce --help for the commands, iac-vpce scan --help for the scan options)');

  const scanCommand = program
    .command('scan')
    .showHelpAfterError('(run iac-vpce scan --help for the options)')
    .description('scan Terraform configurations and plans, CloudFormation templates and CDK apps, and report findings')
    .argument('[paths...]', 'files or directories to scan', ['.'])
    .option(
      '--changed',
      'the paths are changed files (as pre-commit passes them): scan the Terraform root modules, CloudFormation templates and CDK apps they belong to, ignore the other files, report paths relative to the working directory',
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(REPORT_FORMATS).default(DEFAULT_REPORT_FORMAT))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--category <name>', 'SARIF: the code scanning category of this analysis (automationDetails.id iac-vpce/<name>/); one per part of a monorepo')
    .option('--include-suppressed', 'SARIF: also emit suppressed findings, marked with suppressions (GitHub code scanning opens alerts for them)')
    .addOption(
      new Option('--fail-on <level>', 'exit 1 when a finding is at or above this level').choices(['error', 'warning', 'note', 'none']).default('error'),
    )
    .addOption(
      new Option('--fail-on-diagnostics <level>', 'exit 1 when a diagnostic (a parse error, an unreadable file) is at or above this level')
        .choices(['error', 'warning', 'note', 'none'])
        .default('error'),
    )
    .option('--baseline <file>', 'report only findings this baseline file does not hold')
    .option('--write-baseline <file>', 'record the findings of this scan in a baseline file')
    .option('--new-since <ref>', 'report only findings on lines changed since this git ref (a branch, tag or commit)')
    .option('--region <region>', 'AWS region for configurations and templates whose region is not set')
    .option('--var-file <file>', 'Terraform variables file (repeatable)', collect)
    .option('--var <key=value>', 'Terraform variable (repeatable)', collect)
    .option('--param <key=value>', 'CloudFormation parameter value, as a deployment would pass it (repeatable)', collect)
    .option('--rule <id>', 'run only this rule (repeatable)', collect)
    .option('--skip-rule <id>', 'do not run this rule (repeatable)', collect)
    .option('--exclude <glob>', 'do not read files or directories matching this glob, relative to the scan root (repeatable)', collect)
    .option('--allow-outside-root <path>', 'read modules, links and references that resolve into this path outside the scanned tree (repeatable)', collect)
    .option('--config <file>', `config file (default: ${CONFIG_FILE_NAME} in the scan root, then in the working directory)`)
    .option('--no-inline-suppressions', 'disregard iac-vpce:ignore comments and iac-vpce Metadata in the scanned files');
  addEvaluationOptions(scanCommand);
  scanCommand
    .option('--no-color', 'no colour in text output')
    .option('-q, --quiet', 'print nothing but the report')
    .option('--shard <K/N>', 'scan only part K of N of the root modules, plans, templates and CDK apps (CI matrix); join the parts with iac-vpce merge')
    .action(async (paths: string[], opts, cmd: Command) => {
      // Settings left at their default can come from the config file: only those given on the command line win.
      for (const key of ['format', 'failOn', 'failOnDiagnostics', 'inlineSuppressions']) if (cmd.getOptionValueSource(key) === 'default') delete opts[key];
      const { runScan } = await import('./scan-command.js');
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
    .option('--rule <id>', 'run only this rule (repeatable): only its findings are highlighted', collect)
    .option('--skip-rule <id>', 'do not run this rule (repeatable)', collect)
    .option('--exclude <glob>', 'do not read files or directories matching this glob, relative to the scan root (repeatable)', collect)
    .option('--allow-outside-root <path>', 'read modules, links and references that resolve into this path outside the scanned tree (repeatable)', collect)
    .action(async (paths: string[], opts: GraphFlags) => {
      const { runGraph } = await import('./graph-command.js');
      code = await runGraph(paths, opts, io);
    });

  addMergeCommand(program, io, (exit) => (code = exit));

  program
    .command('rules')
    .description('list the rules')
    .action(async () => {
      const { runRulesList } = await import('./info-commands.js');
      code = runRulesList(io);
    });

  program
    .command('explain')
    .showHelpAfterError('(run iac-vpce explain --help, or iac-vpce rules for the rule ids)')
    .description('show the documentation of a rule')
    .argument('<id>', 'rule id (VPCE101) or name (s3-traffic-via-nat)')
    .action(async (id: string) => {
      const { runExplain } = await import('./info-commands.js');
      code = runExplain(id, io);
    });

  program
    .command('fix')
    .description('make the fixes that are mechanical (exact edits), print them as a unified diff, and scan again')
    .argument('[paths...]', 'files or directories to scan and fix', ['.'])
    .option('--dry-run', 'print the diff without writing any file')
    .option('--rule <id>', 'fix only the findings of this rule (repeatable)', collect)
    .option('--region <region>', 'AWS region for configurations and templates whose region is not set')
    .option('--var-file <file>', 'Terraform variables file (repeatable)', collect)
    .option('--var <key=value>', 'Terraform variable (repeatable)', collect)
    .option('--param <key=value>', 'CloudFormation parameter value (repeatable)', collect)
    .option('--skip-rule <id>', 'do not fix the findings of this rule (repeatable)', collect)
    .option('--config <file>', `config file (default: ${CONFIG_FILE_NAME} in the scan root, then in the working directory)`)
    .option('--exclude <glob>', 'do not read files or directories matching this glob, relative to the scan root (repeatable)', collect)
    .option('--allow-outside-root <path>', 'read modules, links and references that resolve into this path outside the scanned tree (repeatable)', collect)
    .action(async (paths: string[], opts: FixFlags) => {
      const { runFix } = await import('./fix-command.js');
      code = await runFix(paths, opts, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 2;
    }
    io.stderr(internalError(e, io.env));
    return 3;
  }
  return code;
}

/** The evaluation limits a scan may raise or lower (`--max-…`; the config file's `limits:` otherwise), how it parses, and `--show-undecided`. */
function addEvaluationOptions(command: Command): void {
  command
    .addOption(limitOption('maxCollection', 'elements of one list, set or map an expression builds'))
    .addOption(limitOption('maxString', 'characters of one string an expression builds'))
    .addOption(limitOption('maxSteps', 'evaluation steps per root module or template'))
    .addOption(limitOption('maxInstances', 'resource and module instances count and for_each create per root module'))
    .option('--jobs <n>', 'scan root modules and templates in up to n worker threads (default: the number of cores; 1: no workers)', parseJobs)
    .option('--no-cache', 'do not read or write the parse and result caches')
    .option('--cache-dir <dir>', 'keep the parse and result caches in this directory (default: iac-vpce/parse in the user cache directory)')
    .option(
      '--show-undecided',
      'list every place a rule stayed silent because the answer rests on something unknown (text output; JSON and SARIF always carry them)',
    );
}
