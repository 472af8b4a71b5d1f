/** Where the CLI reads and writes: injected, so tests run it without a process and it never calls `process.exit`. */
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTty: boolean;
  /** Width of the terminal stdout writes to, when it is one; text output wraps long messages to it. */
  columns?: number;
  env: NodeJS.ProcessEnv;
  cwd: string;
}
