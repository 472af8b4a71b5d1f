// A parse worker that dies on `crash.tf` and never answers on `hang.tf`; every other file goes to the real worker.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (task) => {
  if (task.rel.endsWith('crash.tf')) process.exit(7);
  if (task.rel.endsWith('hang.tf')) for (;;);
});
await import(new URL('../../dist/src/parsers/terraform/parse/worker.js', import.meta.url).href);
