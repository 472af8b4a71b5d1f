import { readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseCache } from '../../src/parsers/terraform/parse/cache.js';
import { parseTerraformFile, type FileParser } from '../../src/parsers/terraform/parse/file.js';
import { tmpTree } from '../helpers/tmp-tree.js';

const TF = 'resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n  tags       = { Name = "${var.name}" }\n}\n';
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

/** The real parser, counting its calls: a cache hit must not reach it. */
function counting(): FileParser & { calls: number } {
  const p = {
    calls: 0,
    parse: (rel: string, b: Uint8Array) => {
      p.calls++;
      return parseTerraformFile(rel, b);
    },
    close: () => Promise.resolve(),
  };
  return p;
}

async function open(home: string, dir = path.join(home, 'cache')) {
  const inner = counting();
  const opened = await ParseCache.open({ dir, keyFile: path.join(home, 'key'), minFileBytes: 0 }, inner);
  return { inner, opened, cache: opened.cache!, dir };
}

const entriesOf = (dir: string) => readdirSync(path.join(dir, 'v1')).filter((n) => n.endsWith('.json'));

describe('parse cache', () => {
  it('answers an unchanged file from the cache without calling the parser, with the same result', async () => {
    const home = tmpTree({});
    const first = await open(home);
    const cold = await first.cache.parse('main.tf', bytes(TF));
    await first.cache.close();
    expect(first.inner.calls).toBe(1);
    expect(first.cache.stats).toMatchObject({ hits: 0, misses: 1, written: 1 });

    const second = await open(home);
    const warm = await second.cache.parse('main.tf', bytes(TF));
    await second.cache.close();
    expect(second.inner.calls).toBe(0);
    expect(second.cache.stats.hits).toBe(1);
    expect(JSON.stringify(warm)).toBe(JSON.stringify(cold));
    expect(cold.file?.blocks[0]?.type).toBe('resource');
  });

  it('keys on content and path: a changed file or the same text elsewhere is parsed again', async () => {
    const home = tmpTree({});
    const c = await open(home);
    await c.cache.parse('main.tf', bytes(TF));
    await c.cache.close();
    const again = await open(home);
    await again.cache.parse('main.tf', bytes(TF.replace('10.0.0.0/16', '10.1.0.0/16')));
    const moved = await again.cache.parse('other/main.tf', bytes(TF));
    await again.cache.close();
    expect(again.inner.calls).toBe(2);
    expect(moved.file?.path).toBe('other/main.tf');
    expect(moved.file?.blocks[0]?.file).toBe('other/main.tf');
  });

  it('ignores a forged, truncated or tampered entry and re-parses the file silently', async () => {
    const home = tmpTree({});
    const c = await open(home);
    const truth = await c.cache.parse('main.tf', bytes(TF));
    await c.cache.close();
    const [name] = entriesOf(c.dir);
    const file = path.join(c.dir, 'v1', name!);
    const good = readFileSync(file);
    const body = JSON.parse(good.subarray(65).toString('utf8')) as { value: { file: { blocks: unknown[] } } };
    body.value.file.blocks = [];
    const forged = Buffer.from(JSON.stringify(body));
    const cases: Array<[string, Buffer]> = [
      // The attacker knows the format and the key derivation but not the signing key.
      ['forged body, old signature', Buffer.concat([good.subarray(0, 65), forged])],
      ['forged body, self-made signature', Buffer.concat([Buffer.from(`${'0'.repeat(64)}\n`), forged])],
      ['truncated', good.subarray(0, good.length - 10)],
      ['empty', Buffer.alloc(0)],
      ['not an entry', Buffer.from('{"schema":1}')],
    ];
    for (const [what, content] of cases) {
      writeFileSync(file, content);
      const r = await open(home);
      const result = await r.cache.parse('main.tf', bytes(TF));
      await r.cache.close();
      expect(r.opened.diagnostics, what).toEqual([]);
      expect(r.inner.calls, what).toBe(1);
      expect(r.cache.stats.rejected, what).toBe(1);
      expect(JSON.stringify(result), what).toBe(JSON.stringify(truth));
      // The bad entry was replaced by a good one.
      expect(readFileSync(file).equals(good), what).toBe(true);
    }
  });

  it('does not follow a symbolic link planted as an entry', async () => {
    const home = tmpTree({});
    const c = await open(home);
    await c.cache.parse('main.tf', bytes(TF));
    await c.cache.close();
    const [name] = entriesOf(c.dir);
    const file = path.join(c.dir, 'v1', name!);
    const elsewhere = path.join(home, 'elsewhere.json');
    writeFileSync(elsewhere, readFileSync(file));
    rmSync(file);
    symlinkSync(elsewhere, file);
    const r = await open(home);
    await r.cache.parse('main.tf', bytes(TF));
    await r.cache.close();
    expect(r.inner.calls).toBe(1);
    expect(r.cache.stats.rejected + r.cache.stats.misses).toBe(1);
  });

  it('refuses a cache directory that is a symbolic link, with a note, and still parses', async () => {
    const home = tmpTree({ 'real/.keep': '' });
    const link = path.join(home, 'cache');
    symlinkSync(path.join(home, 'real'), link);
    const inner = counting();
    const opened = await ParseCache.open({ dir: link, keyFile: path.join(home, 'key'), minFileBytes: 0 }, inner);
    expect(opened.cache).toBeUndefined();
    expect(opened.diagnostics.map((d) => [d.severity, d.code])).toEqual([['note', 'cache-unavailable']]);
    const r = await opened.parser.parse('main.tf', bytes(TF));
    expect(r.file?.blocks).toHaveLength(1);
    expect(inner.calls).toBe(1);
  });

  it('keeps its size bound by deleting the oldest entries, and marks itself ignored by git', async () => {
    const home = tmpTree({});
    const dir = path.join(home, 'cache');
    const keyFile = path.join(home, 'key');
    const first = await ParseCache.open({ dir, keyFile, minFileBytes: 0 }, counting());
    for (let i = 0; i < 6; i++) await first.cache!.parse(`m${i}.tf`, bytes(TF));
    await first.cache!.close();
    const names = entriesOf(dir);
    expect(names).toHaveLength(6);
    const size = statSync(path.join(dir, 'v1', names[0]!)).size;
    // Age them: the entry of m0.tf oldest.
    const old = Date.now() / 1000 - 1000;
    names.forEach((n, i) => utimesSync(path.join(dir, 'v1', n), old + i, old + i));
    const bounded = await ParseCache.open({ dir, keyFile, maxBytes: size * 5, minFileBytes: 0 }, counting());
    await bounded.cache!.parse('new.tf', bytes(TF));
    await bounded.cache!.close();
    const left = entriesOf(dir);
    expect(left.length).toBeLessThanOrEqual(4);
    expect(left).not.toContain(names[0]);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toMatch(/^\*$/m);
  });

  it('leaves no temporary file behind and writes entries readable by a concurrent scan', async () => {
    const home = tmpTree({});
    const [a, b] = [await open(home), await open(home)];
    await Promise.all([a.cache.parse('main.tf', bytes(TF)), b.cache.parse('main.tf', bytes(TF))]);
    await Promise.all([a.cache.close(), b.cache.close()]);
    expect(readdirSync(path.join(a.dir, 'v1')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const c = await open(home);
    await c.cache.parse('main.tf', bytes(TF));
    expect(c.inner.calls).toBe(0);
  });
});
