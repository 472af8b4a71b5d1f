import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Worker threads that scan whole units (a Terraform root module, a CloudFormation template) for `--jobs`: each worker
 * is started once with the scan's settings, then takes one unit at a time, and sends back the unit's plain-data result.
 * A worker that dies costs nothing but time: its unit comes back as `{ failed }` and the caller scans it in-process,
 * and a fresh worker takes the rest. A unit past the time limit comes back `{ failed, timedOut }`: its worker is
 * stopped, and the caller reports the unit instead of scanning it again. When workers cannot start at all (no worker script beside this module, as when
 * running from TypeScript sources), `run` answers `{ failed }` at once and every unit is scanned in-process.
 */

/** The compiled worker script beside this module (in the CLI bundle, beside its chunk), or undefined. */
export function defaultUnitWorkerScript(): string | undefined {
  const script = fileURLToPath(new URL('./unit-worker.js', import.meta.url));
  return existsSync(script) ? script : undefined;
}

/** `timedOut`: the unit ran past the time limit; scanning it again on the caller's thread would only hang there. */
export type UnitOutcome<Res> = { result: Res } | { failed: string; timedOut?: true };

/** A unit that takes a worker longer than this is given up on: the worker is stopped and replaced. */
export const UNIT_TIME_LIMIT_MS = 10 * 60 * 1000;

interface Task<Req, Res> {
  id: number;
  request: Req;
  resolve: (o: UnitOutcome<Res>) => void;
}

interface Slot<Req, Res> {
  worker: Worker;
  task?: Task<Req, Res>;
  timer?: NodeJS.Timeout;
  online: boolean;
}

export class UnitPool<Req, Res> {
  private readonly slots: Slot<Req, Res>[] = [];
  private readonly queue: Task<Req, Res>[] = [];
  private nextId = 0;
  private closed = false;
  private broken: string | undefined;

  constructor(
    private readonly size: number,
    /** Sent to each worker first: the settings every unit of the scan shares (plain data). */
    private readonly init: unknown,
    private readonly script: string | undefined = defaultUnitWorkerScript(),
    private readonly limitMs: number = UNIT_TIME_LIMIT_MS,
  ) {
    if (script === undefined) this.broken = 'no worker script';
  }

  run(request: Req): Promise<UnitOutcome<Res>> {
    if (this.broken || this.closed) return Promise.resolve({ failed: this.broken ?? 'the pool is closed' });
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, request, resolve });
      this.pump();
    });
  }

  private pump(): void {
    if (this.closed) return;
    if (this.broken) {
      for (const t of this.queue.splice(0)) t.resolve({ failed: this.broken });
      return;
    }
    while (this.slots.length < this.size) this.spawn();
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.online || slot.task) continue;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.timer = setTimeout(() => void this.fail(slot, `it did not finish within ${Math.round(this.limitMs / 1000)} s`, true), this.limitMs);
      slot.worker.postMessage({ id: task.id, request: task.request });
    }
  }

  private spawn(): void {
    const worker = new Worker(this.script!, { workerData: this.init });
    const slot: Slot<Req, Res> = { worker, online: false };
    this.slots.push(slot);
    worker.on('message', (m: { ready: true } | { id: number; result: Res } | { id: number; failed: string }) => {
      if ('ready' in m) {
        slot.online = true;
        this.pump();
        return;
      }
      const task = slot.task;
      if (!task || task.id !== m.id) return;
      clearTimeout(slot.timer);
      slot.task = undefined;
      task.resolve('failed' in m ? { failed: m.failed } : { result: m.result });
      this.pump();
    });
    worker.on('error', (e) => void this.fail(slot, e instanceof Error ? e.message : String(e)));
    worker.on('exit', (code) => void this.fail(slot, `the worker exited with code ${code}`));
  }

  /** Drops a dead worker; its unit is handed back as failed. A worker that never came up stops the pool. */
  private async fail(slot: Slot<Req, Res>, why: string, timedOut = false): Promise<void> {
    const i = this.slots.indexOf(slot);
    if (i === -1) return;
    this.slots.splice(i, 1);
    clearTimeout(slot.timer);
    if (!slot.online) this.broken = why;
    const task = slot.task;
    slot.task = undefined;
    task?.resolve(timedOut ? { failed: why, timedOut: true } : { failed: why });
    this.pump();
    await slot.worker.terminate().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    for (const s of slots) clearTimeout(s.timer);
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => undefined)));
    for (const t of this.queue.splice(0)) t.resolve({ failed: 'the pool is closed' });
  }
}
