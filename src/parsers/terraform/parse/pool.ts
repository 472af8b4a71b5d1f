import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../../../source/types.js';
import { parseTerraformFile, type FileParser, type ParsedOutcome } from './file.js';

/** A file that takes a worker longer than this is given up on: the worker is replaced and the file gets a diagnostic. */
export const TASK_TIME_LIMIT_MS = 120_000;

/**
 * The compiled worker script beside this module, or undefined when there is none: running from TypeScript source
 * (tests, which pass the built script explicitly) or from a bundle that carries no worker. Files then parse in-process.
 */
export function defaultWorkerScript(): string | undefined {
  const script = fileURLToPath(new URL('./worker.js', import.meta.url));
  return existsSync(script) ? script : undefined;
}

interface Task {
  id: number;
  rel: string;
  bytes: Uint8Array;
  resolve: (o: ParsedOutcome) => void;
}

interface Slot {
  worker: Worker;
  task?: Task;
  timer?: NodeJS.Timeout;
  /** The worker loaded its script and the parser (it sent `{ ready: true }`). */
  online: boolean;
}

export interface PoolOptions {
  /** Number of worker threads (at least 1). */
  size: number;
  /** The worker script (tests substitute one); default `defaultWorkerScript()`. */
  script?: string;
  taskTimeLimitMs?: number;
}

function workerFailed(rel: string, why: string): ParsedOutcome {
  const d: Diagnostic = {
    severity: 'error',
    code: 'tf-parse-worker-failed',
    file: rel,
    message: `The parser stopped while reading this file (${why}); the file was not analyzed.`,
  };
  return { diagnostics: [d] };
}

/**
 * Parses files in worker threads, one file per worker at a time, in the order asked. A worker that dies (a crash, an
 * aborted WebAssembly instance, the time limit) costs only the file it was parsing, which gets a
 * `tf-parse-worker-failed` diagnostic; a fresh worker takes its place. When workers cannot start at all, every file
 * is parsed in-process, with the same result.
 */
export class ParsePool implements FileParser {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 0;
  private closed = false;
  /** Set when a worker failed before it said it was ready: the script cannot run here, so parse in-process. */
  private broken = false;
  private readonly script: string | undefined;
  private readonly size: number;
  private readonly limit: number;

  constructor(options: PoolOptions) {
    this.size = Math.max(1, Math.floor(options.size));
    this.script = options.script ?? defaultWorkerScript();
    this.limit = options.taskTimeLimitMs ?? TASK_TIME_LIMIT_MS;
    if (this.script === undefined) this.broken = true;
  }

  parse(rel: string, bytes: Uint8Array): Promise<ParsedOutcome> {
    if (this.broken || this.closed) return parseTerraformFile(rel, bytes);
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, rel, bytes, resolve });
      this.pump();
    });
  }

  private pump(): void {
    if (this.closed) return;
    if (this.broken) {
      for (const t of this.queue.splice(0)) void parseTerraformFile(t.rel, t.bytes).then(t.resolve);
      return;
    }
    // Start workers while files wait for them; a file goes only to a worker that said it is ready.
    const starting = () => this.slots.filter((s) => !s.online).length;
    while (this.slots.length < this.size && starting() < this.queue.length) this.spawn();
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.online || slot.task) continue;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.timer = setTimeout(() => void this.fail(slot, `it did not finish within ${Math.round(this.limit / 1000)} s`), this.limit);
      const bytes = task.bytes.byteOffset === 0 && task.bytes.byteLength === task.bytes.buffer.byteLength ? task.bytes : task.bytes.slice();
      slot.worker.postMessage({ id: task.id, rel: task.rel, bytes });
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.script!);
    const slot: Slot = { worker, online: false };
    this.slots.push(slot);
    worker.on('message', (m: { id: number; outcome: ParsedOutcome } | { ready: true }) => {
      if ('ready' in m) {
        slot.online = true;
        this.pump();
        return;
      }
      const task = slot.task;
      if (!task || task.id !== m.id) return;
      clearTimeout(slot.timer);
      slot.task = undefined;
      task.resolve(m.outcome);
      this.pump();
    });
    worker.on('error', (e) => void this.fail(slot, e instanceof Error ? e.message : String(e)));
    worker.on('exit', (code) => void this.fail(slot, `the worker exited with code ${code}`));
    return slot;
  }

  /** Drops a dead or stuck worker: its file gets a diagnostic, the queue moves on with a fresh worker. */
  private async fail(slot: Slot, why: string): Promise<void> {
    const i = this.slots.indexOf(slot);
    if (i === -1) return;
    this.slots.splice(i, 1);
    clearTimeout(slot.timer);
    // A worker that died before it said it was ready could not load its script: parse in-process from now on.
    if (!slot.online) this.broken = true;
    const task = slot.task;
    slot.task = undefined;
    task?.resolve(workerFailed(task.rel, why));
    this.pump();
    await slot.worker.terminate().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    for (const s of slots) clearTimeout(s.timer);
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => undefined)));
    for (const t of this.queue.splice(0)) void parseTerraformFile(t.rel, t.bytes).then(t.resolve);
  }
}
