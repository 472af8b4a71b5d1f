import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Tests run from TypeScript source, where no worker script sits beside the unit pool: they use the one `npm run build`
 * compiles (run by `npm ci`), the unit worker of `--jobs`. Undefined when it was not built.
 */
export const BUILT_UNIT_WORKER: string | undefined = ((f) => (existsSync(f) ? f : undefined))(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/src/engine/unit-worker.js'),
);
