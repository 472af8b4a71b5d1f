import { posix } from 'node:path';
import { CODES } from '../codes.js';
import { unknown } from '../../../../source/value.js';
import { str, type FnCall, type FnSpec } from './args.js';

/**
 * Functions that depend on the machine, files or the clock. Files are never read (a scan must not read arbitrary
 * paths a configuration names), so their results are Unknown with a note; pure path arithmetic is computed.
 */

function readsFiles(params: number, optional = 0): FnSpec {
  return {
    params,
    optional,
    allowUnknown: true,
    impl: (_args, call: FnCall) =>
      call.note(
        CODES.fileNotRead,
        `Function "${call.name}" reads files, which this analyzer never reads; its result is unknown.`,
        `${call.name}(…) reads a file`,
      ),
  };
}

/** Go's filepath.Clean for slash-separated paths. */
function clean(p: string): string {
  if (p === '') return '.';
  const normalized = posix.normalize(p);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}

/** Go's filepath.Base. */
function base(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Go's filepath.Dir. */
function dir(p: string): string {
  const i = p.lastIndexOf('/');
  return clean(i < 0 ? '' : p.slice(0, i + 1));
}

const unknownAfterApply = (what: string): FnSpec => ({ params: 0, impl: () => unknown(`${what} is known only after apply`) });

export const environmentFunctions: Record<string, FnSpec> = {
  file: readsFiles(1),
  filebase64: readsFiles(1),
  fileexists: readsFiles(1),
  fileset: readsFiles(2),
  filemd5: readsFiles(1),
  filesha1: readsFiles(1),
  filesha256: readsFiles(1),
  filesha512: readsFiles(1),
  filebase64sha256: readsFiles(1),
  filebase64sha512: readsFiles(1),
  templatefile: readsFiles(2),

  basename: { params: 1, impl: ([p]) => base(str(p!, 'path')) },
  dirname: { params: 1, impl: ([p]) => dir(str(p!, 'path')) },
  abspath: {
    params: 1,
    impl([p], call) {
      const path = str(p!, 'path');
      if (path.startsWith('/')) return clean(path);
      return call.note(
        CODES.fileNotRead,
        'Function "abspath" depends on the working directory of a Terraform run; its result is unknown.',
        'abspath(…) depends on the working directory',
      );
    },
  },
  pathexpand: {
    params: 1,
    impl([p], call) {
      const path = str(p!, 'path');
      if (!path.startsWith('~')) return path;
      return call.note(
        CODES.fileNotRead,
        'Function "pathexpand" depends on the home directory of a Terraform run; its result is unknown.',
        'pathexpand(…) depends on the home directory',
      );
    },
  },

  // Terraform itself does not know these before apply; Unknown is the faithful answer, not a gap.
  timestamp: unknownAfterApply('timestamp()'),
  plantimestamp: unknownAfterApply('plantimestamp()'),
  uuid: unknownAfterApply('uuid()'),
  bcrypt: { params: 1, optional: 1, allowUnknown: true, impl: () => unknown('bcrypt() uses a random salt') },
};
