import { main, type Io } from '../../src/cli/main.js';

/** Runs the CLI in-process in `cwd`, with the environment given (none by default), and collects what it writes. */
export async function runCli(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTty: false, env, cwd };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
