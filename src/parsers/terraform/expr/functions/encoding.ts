import { createHash } from 'node:crypto';
import { FunctionError } from '../codes.js';
import type { Value, ValueObject } from '../../../../source/value.js';
import { setKey } from '../../../../source/values.js';
import { str, type FnSpec } from './args.js';
import { jsonDecode, jsonEncodeKeepingPartial, yamlDecode } from './json.js';

function hash(algorithm: string, encoding: 'hex' | 'base64'): FnSpec {
  return { params: 1, impl: ([s]) => createHash(algorithm).update(str(s!, 'str'), 'utf8').digest(encoding) };
}

/** Go's url.QueryEscape: unreserved characters stay, space becomes `+`, everything else is %XX of its UTF-8 bytes. */
function queryEscape(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** RFC 4180 as Go's encoding/csv reads it: quoted fields, doubled quotes, CRLF or LF line ends. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  let fieldStarted = false;
  const endField = () => {
    row.push(field);
    field = '';
    fieldStarted = false;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        field += c;
        i++;
      }
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (c === ',') {
      endField();
      i++;
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      endField();
      rows.push(row);
      row = [];
      i += c === '\r' ? 2 : 1;
    } else {
      if (c === '"') throw new FunctionError(`bare " in non-quoted field on line ${rows.length + 1}.`);
      field += c;
      fieldStarted = true;
      i++;
    }
  }
  if (quoted) throw new FunctionError('extraneous or missing " in quoted field.');
  if (fieldStarted || row.length) {
    endField();
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** RFC 4122 version 5 (SHA-1, name-based) UUID. */
function uuidV5(namespace: string, name: string): string {
  const known: Record<string, string> = {
    dns: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
    url: '6ba7b811-9dad-11d1-80b4-00c04fd430c8',
    oid: '6ba7b812-9dad-11d1-80b4-00c04fd430c8',
    x500: '6ba7b814-9dad-11d1-80b4-00c04fd430c8',
  };
  const ns = known[namespace] ?? namespace;
  if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(ns)) {
    throw new FunctionError(`uuidv5() doesn't support namespace ${JSON.stringify(namespace)}: it must be dns, url, oid, x500 or a UUID.`);
  }
  const bytes = createHash('sha1')
    .update(Buffer.concat([Buffer.from(ns.replace(/-/g, ''), 'hex'), Buffer.from(name, 'utf8')]))
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const encodingFunctions: Record<string, FnSpec> = {
  jsonencode: { params: 1, allowUnknown: true, impl: ([v]) => jsonEncodeKeepingPartial(v!) },
  jsondecode: { params: 1, impl: ([s]) => jsonDecode(str(s!, 'str')) },
  yamldecode: { params: 1, impl: ([s]) => yamlDecode(str(s!, 'src')) },

  base64encode: { params: 1, impl: ([s]) => Buffer.from(str(s!, 'str'), 'utf8').toString('base64') },
  base64decode: {
    params: 1,
    impl([s]) {
      const text = str(s!, 'str');
      // Go's StdEncoding is strict: padding required, no whitespace, only the standard alphabet.
      if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) {
        throw new FunctionError(`failed to decode base64 data ${JSON.stringify(text.length > 32 ? `${text.slice(0, 32)}…` : text)}.`);
      }
      const bytes = Buffer.from(text, 'base64');
      const decoded = bytes.toString('utf8');
      if (!Buffer.from(decoded, 'utf8').equals(bytes)) throw new FunctionError('the result of decoding the provided string is not valid UTF-8.');
      return decoded;
    },
  },
  urlencode: { params: 1, impl: ([s]) => queryEscape(str(s!, 'str')) },

  csvdecode: {
    params: 1,
    impl([s]) {
      const rows = parseCsv(str(s!, 'str'));
      if (rows.length === 0) throw new FunctionError('missing header line.');
      const [header, ...data] = rows as [string[], ...string[][]];
      return data.map((r, i): Value => {
        if (r.length !== header.length) throw new FunctionError(`record on line ${i + 2}: wrong number of fields.`);
        const o: ValueObject = {};
        header.forEach((h, j) => setKey(o, h, r[j]!));
        return o;
      });
    },
  },

  md5: hash('md5', 'hex'),
  sha1: hash('sha1', 'hex'),
  sha256: hash('sha256', 'hex'),
  sha512: hash('sha512', 'hex'),
  base64sha256: hash('sha256', 'base64'),
  base64sha512: hash('sha512', 'base64'),
  uuidv5: { params: 2, impl: ([ns, name]) => uuidV5(str(ns!, 'namespace'), str(name!, 'name')) },
};
