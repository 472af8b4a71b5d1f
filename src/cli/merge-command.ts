import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mergeSarif, type SarifInput } from '../report/sarif-merge.js';
import type { Command } from 'commander';
import type { Io } from './io.js';
import { outputProblem, STDOUT, writeOutput } from './output.js';

/**
 * `iac-vpce merge a.sarif b.sarif … [--output all.sarif]`: the SARIF logs of the parts of a sharded scan as the one
 * log a scan of everything writes. Exit 0 when merged, 2 when a file cannot be read or the logs do not belong together.
 */
export function runMerge(files: string[], flags: { output?: string }, io: Io): number {
  const usage = (msg: string) => {
    io.stderr(`iac-vpce merge: ${msg}\n`);
    return 2;
  };
  const problem = flags.output !== undefined ? outputProblem('--output', flags.output, io.cwd) : undefined;
  if (problem) return usage(problem);
  const inputs: SarifInput[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(path.resolve(io.cwd, file), 'utf8');
    } catch (e) {
      return usage(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    try {
      inputs.push({ name: file, log: JSON.parse(text) as unknown });
    } catch (e) {
      return usage(`${file} is not JSON: ${(e as Error).message}`);
    }
  }
  const merged = mergeSarif(inputs);
  if (typeof merged === 'string') return usage(merged);
  const text = `${JSON.stringify(merged, null, 2)}\n`;
  if (flags.output === undefined || flags.output === STDOUT) {
    io.stdout(text);
    return 0;
  }
  const failed = writeOutput(flags.output, io.cwd, text);
  return failed ? usage(failed) : 0;
}

/** Registers `iac-vpce merge` on the program; `done` receives its exit code. */
export function addMergeCommand(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('merge')
    .description('join the SARIF logs of the parts of a sharded scan (scan --shard K/N) into the log one scan of everything writes')
    .argument('<files...>', 'SARIF files of the parts')
    .option('-o, --output <file>', 'write the merged log to a file instead of stdout')
    .action((files: string[], opts: { output?: string }) => done(runMerge(files, opts, io)));
}
