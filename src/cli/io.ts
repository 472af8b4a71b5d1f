/** Where the CLI reads and writes: injected, so tests run it without a process and it never calls `process.exit`. */
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Whether stdout is a terminal (colour). */
  isTty: boolean;
  /** Width of the terminal stdout writes to, when it is one; text output wraps long messages to it. */
  columns?: number;
  /** Whether stderr is a terminal (the progress line); absent means no. */
  stderrIsTty?: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Milliseconds, for the progress line's delay (default `Date.now`). */
  now?: () => number;
}
