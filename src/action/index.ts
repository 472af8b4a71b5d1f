import { escapeData } from '../report/github.js';
import { runAction } from './run.js';

// The entry point of action.yml (`runs.main`), bundled into dist/action/index.js by `npm run build:action`.
runAction({ stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), env: process.env, cwd: process.cwd() }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stdout.write(`::error title=iac-vpce::${escapeData(`internal error: ${e instanceof Error ? e.message : String(e)}`)}\n`);
    process.exitCode = 3;
  },
);
