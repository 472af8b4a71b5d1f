import { readFileSync } from 'node:fs';
import * as nodeFs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The part of Go's `wasm_exec.js` runtime object used here. */
interface GoRuntime {
  importObject: object;
  exit: (code: number) => void;
  run(instance: WasmInstance): Promise<void>;
}

/** Node's WebAssembly global, as far as it is used here (the compiler's Node types do not declare it). */
type WasmModule = { readonly wasmModule: unique symbol };
type WasmInstance = { readonly wasmInstance: unique symbol };
const { WebAssembly: wasmApi } = globalThis as unknown as {
  WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule>; instantiate(module: WasmModule, imports: object): Promise<WasmInstance> };
};

type GoCallback = (err: unknown, result?: unknown) => void;
type GoFunction = (...args: unknown[]) => unknown;

const require = createRequire(import.meta.url);

/** Where hcl2json's Go program registers its functions (it reads this global once, when it starts). */
const ROOT_GLOBAL = '__parse_terraform_config_wasm__';

/** Text the Go runtime writes to stdout or stderr (a crash prints a goroutine dump): kept, bounded, never printed. */
const MAX_CAPTURED = 4096;

let compiled: Promise<WasmModule> | undefined;
let goClass: (new () => GoRuntime) | undefined;
/** The runtime whose Go program runs now: the one the Go program's writes belong to. */
let current: HclRuntime | undefined;
const makeCurrent = (rt: HclRuntime) => {
  current = rt;
};

/**
 * Loads Go's JavaScript runtime the way hcl2json's own bridge does, once per thread, and routes the Go program's
 * writes to stdout and stderr into the runtime that is running: a dying Go runtime prints a long dump that is no
 * message for a user.
 */
function loadGo(): new () => GoRuntime {
  if (goClass) return goClass;
  const libDir = path.dirname(require.resolve('@cdktf/hcl2json'));
  require(path.join(libDir, '..', 'wasm', 'bridge_wasm_exec.js'));
  const realWriteSync = nodeFs.writeSync;
  (globalThis as Record<string, unknown>)['fs'] = {
    ...nodeFs,
    writeSync: (fd: number, buf: Uint8Array, ...rest: unknown[]): number => {
      if (fd !== 1 && fd !== 2) return (realWriteSync as (...a: unknown[]) => number)(fd, buf, ...rest);
      current?.capture(buf);
      return buf.length;
    },
  };
  goClass = (globalThis as unknown as { Go: new () => GoRuntime }).Go;
  return goClass;
}

function compile(): Promise<WasmModule> {
  compiled ??= (async () => {
    const wasm = path.join(path.dirname(require.resolve('@cdktf/hcl2json')), '..', 'main.wasm.gz');
    return wasmApi.compile(gunzipSync(readFileSync(wasm)));
  })();
  return compiled;
}

/** Raised for every call on a runtime that has stopped: the caller drops it and starts another. */
export class HclRuntimeDied extends Error {
  /** `overflow`: the input drove the parser's recursion past the stack (it nests too deeply). */
  constructor(readonly reason: 'stopped' | 'overflow' = 'stopped') {
    super('the HCL parser stopped');
    this.name = 'HclRuntimeDied';
  }
}

/**
 * One instance of hcl2json's WASM program (the package's Go HCL parser), started by this module instead of the
 * package's bridge so that its end is seen: when the Go runtime stops (a fatal error such as "malloc deadlock", a
 * trap, an exit), every call waiting on it is rejected with HclRuntimeDied instead of waiting forever, and so is
 * every later call. The compiled module is shared; each runtime has its own memory.
 */
export class HclRuntime {
  private readonly functions: Record<string, GoFunction> = {};
  private readonly waiting = new Set<(e: Error) => void>();
  private readonly started: Promise<void>;
  private stopped = false;
  private captured = '';

  constructor() {
    this.started = this.start();
    // A failure to start is seen by the first call.
    this.started.catch(() => undefined);
  }

  /** True once the Go program has stopped; the runtime then only rejects. */
  get dead(): boolean {
    return this.stopped;
  }

  /** What the Go program wrote before it stopped (its fatal error and goroutine dump), for debugging. */
  get output(): string {
    return this.captured;
  }

  capture(buf: Uint8Array): void {
    if (this.captured.length < MAX_CAPTURED)
      this.captured += Buffer.from(buf)
        .toString('utf8')
        .slice(0, MAX_CAPTURED - this.captured.length);
  }

  private async start(): Promise<void> {
    const Go = loadGo();
    const module = await compile();
    const go = new Go();
    go.exit = () => this.stop();
    const instance = await wasmApi.instantiate(module, go.importObject);
    makeCurrent(this);
    (globalThis as Record<string, unknown>)[ROOT_GLOBAL] = this.functions;
    // Runs the Go program's main until it waits for calls (registering its functions on the global above); the
    // promise settles when the program ends.
    go.run(instance).then(
      () => this.stop(),
      () => this.stop(),
    );
    if (this.stopped) throw new HclRuntimeDied();
  }

  private stop(reason: 'stopped' | 'overflow' = 'stopped'): void {
    if (this.stopped) return;
    this.stopped = true;
    const died = new HclRuntimeDied(reason);
    for (const reject of this.waiting) reject(died);
    this.waiting.clear();
  }

  /** Calls one of the Go program's functions, which answers through a callback. Rejects when the runtime stops. */
  async call(name: string, ...args: unknown[]): Promise<unknown> {
    await this.started;
    if (this.stopped) throw new HclRuntimeDied();
    const fn = this.functions[name];
    if (typeof fn !== 'function') throw new Error(`The HCL parser has no function ${name}.`);
    makeCurrent(this);
    return new Promise<unknown>((resolve, reject) => {
      const settle = (e: Error) => reject(e);
      this.waiting.add(settle);
      const cb: GoCallback = (err, result) => {
        this.waiting.delete(settle);
        if (err) reject(new Error(String(err)));
        else resolve(result);
      };
      try {
        fn(...args, cb);
      } catch (e) {
        // A trap inside the call (a stack overflow, the runtime aborting) surfaces here: the runtime is not to be
        // trusted again.
        this.stop(e instanceof RangeError ? 'overflow' : 'stopped');
      }
      if (this.stopped) {
        this.waiting.delete(settle);
        reject(new HclRuntimeDied());
      }
    });
  }
}
