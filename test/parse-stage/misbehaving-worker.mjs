// A unit worker that dies on the root module `crash` and never answers on `hang`; every other unit goes to the real
// worker.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (m) => {
  if (m.request.dir === 'crash') process.exit(7);
  if (m.request.dir === 'hang') for (;;);
});
await import(new URL('../../dist/src/engine/unit-worker.js', import.meta.url).href);
