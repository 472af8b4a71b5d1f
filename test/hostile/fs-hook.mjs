// Preloaded with `node --import` when strace cannot trace: records every path the process asks node's fs module to
// open, read or list, one JSON string a line, in the file IAC_VPCE_OPEN_LOG names. Module loading goes through
// node's internals and is not recorded (the tool's own files).
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const log = process.env.IAC_VPCE_OPEN_LOG;
if (log) {
  const appendSync = fs.appendFileSync;
  const record = (p) => {
    if (typeof p === 'string' || p instanceof URL || Buffer.isBuffer(p)) appendSync(log, JSON.stringify(String(p instanceof URL ? p.pathname : p)) + '\n');
  };
  const wrap = (obj, names) => {
    for (const name of names) {
      const original = obj[name];
      if (typeof original !== 'function') continue;
      obj[name] = function (p, ...rest) {
        record(p);
        return original.call(this, p, ...rest);
      };
    }
  };
  wrap(fs, ['open', 'openSync', 'readFile', 'readFileSync', 'opendir', 'opendirSync', 'readdir', 'readdirSync', 'createReadStream']);
  wrap(fs.promises, ['open', 'readFile', 'opendir', 'readdir']);
  syncBuiltinESMExports();
}
