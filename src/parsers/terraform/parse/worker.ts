/**
 * A parse worker: loads the HCL parser (and its WebAssembly) once, then parses the files the pool sends it, one at a
 * time. Messages: `{ ready: true }` once loaded, then `{ id, rel, bytes }` in, `{ id, outcome }` out.
 */
import { parentPort } from 'node:worker_threads';
import { parseTerraformFile } from './file.js';

interface Task {
  id: number;
  rel: string;
  bytes: Uint8Array;
}

const port = parentPort;
port?.on('message', (task: Task) => {
  void parseTerraformFile(task.rel, task.bytes).then((outcome) => port.postMessage({ id: task.id, outcome }));
});
port?.postMessage({ ready: true });
