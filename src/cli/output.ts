import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** `-o -` names standard output, as for most command-line tools. */
export const STDOUT = '-';

/** Why a report cannot be written to `file` (checked before the scan, so a long scan is not lost); undefined when it can. */
export function outputProblem(flag: string, file: string, cwd: string): string | undefined {
  if (file === STDOUT) return undefined;
  const abs = path.resolve(cwd, file);
  const dir = path.dirname(abs);
  const stat = (p: string) => {
    try {
      return statSync(p);
    } catch {
      return undefined;
    }
  };
  const target = stat(abs);
  if (target?.isDirectory()) return `${flag} ${file} is a directory; name a file`;
  const parent = stat(dir);
  if (!parent) return `${flag} ${file}: the directory ${path.dirname(file)} does not exist`;
  if (!parent.isDirectory()) return `${flag} ${file}: ${path.dirname(file)} is not a directory`;
  try {
    accessSync(target ? abs : dir, constants.W_OK);
  } catch {
    return `${flag} ${file}: not writable`;
  }
  return undefined;
}

/** Writes a file checked by `outputProblem`; a failure now (disk full, removed directory) is reported by the caller. */
export function writeOutput(file: string, cwd: string, text: string): string | undefined {
  try {
    writeFileSync(path.resolve(cwd, file), text);
    return undefined;
  } catch (e) {
    return `cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
  }
}
