import { scan } from '../engine/scan.js';
import { renderGraph, type GraphFormat } from '../report/graph-render.js';
import type { Io } from './io.js';
import { outputProblem, STDOUT, writeOutput } from './output.js';
import { settleScanInputs, type ScanInputFlags } from './scan-settings.js';

export interface GraphFlags extends ScanInputFlags {
  format: GraphFormat;
  output?: string;
}

/**
 * `iac-vpce graph`: scans the paths as `scan` does (same config file, variables, parameters, region, rules and
 * excludes) and draws each VPC, with the resources that have findings highlighted. Exit 0, or 2 on a usage error or
 * when nothing can be scanned; findings never change the exit code here.
 */
export async function runGraph(paths: string[], flags: GraphFlags, io: Io): Promise<number> {
  const usage = (msg: string) => {
    io.stderr(`iac-vpce: ${msg}\n`);
    return 2;
  };
  const inputs = settleScanInputs(paths, flags, io);
  if (typeof inputs === 'string') return usage(inputs);
  if (flags.output !== undefined && flags.output !== STDOUT) {
    const problem = outputProblem('--output', flags.output, io.cwd);
    if (problem) return usage(problem);
  }
  const result = await scan({ ...inputs.options, keepGraphs: true });
  if (result.empty) return usage(`nothing to scan in ${paths.join(', ')}: no Terraform, CloudFormation or CDK files found`);
  const picture = renderGraph(
    result.graphs.map((g) => g.view()),
    result.findings,
    flags.format,
  );
  if (flags.output === undefined || flags.output === STDOUT) io.stdout(picture);
  else {
    const failed = writeOutput(flags.output, io.cwd, picture);
    if (failed) return usage(failed);
  }
  for (const d of [...inputs.diagnostics, ...result.diagnostics].filter((x) => x.severity === 'error' || x.code === 'region-from-environment')) {
    io.stderr(`${d.file ? `${d.file}${d.line ? `:${d.line}` : ''}: ` : ''}${d.severity} ${d.code}: ${d.message}\n`);
  }
  return 0;
}
