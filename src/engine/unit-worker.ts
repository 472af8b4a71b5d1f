/**
 * A unit worker (`--jobs`): builds a UnitScanner from the scan's settings (its `workerData`), says `{ ready: true }`,
 * then scans the units it is sent, one at a time: `{ id, request }` in, `{ id, result }` (a UnitWork) or `{ id, failed }`
 * out.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { internalReason } from '../source/internal-error.js';
import { selectRules } from './scan.js';
import { UnitScanner, type UnitRequest, type UnitSettings } from './units.js';

const port = parentPort;
if (port) {
  const settings = workerData as UnitSettings;
  const scanner = new UnitScanner(settings, selectRules(settings.ruleIds));
  port.on('message', (m: { id: number; request: UnitRequest }) => {
    scanner.scan(m.request).then(
      (result) => port.postMessage({ id: m.id, result }),
      (e: unknown) => port.postMessage({ id: m.id, failed: internalReason(e) }),
    );
  });
  port.postMessage({ ready: true });
}
