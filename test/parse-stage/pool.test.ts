import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTerraformFile } from '../../src/parsers/terraform/parse/file.js';
import { defaultWorkerScript, ParsePool } from '../../src/parsers/terraform/parse/pool.js';
import { BUILT_WORKER } from './built-worker.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const misbehaving = path.join(here, 'misbehaving-worker.mjs');
const built = BUILT_WORKER;
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const TF = (i: number) => `resource "aws_subnet" "s${i}" {\n  cidr_block = cidrsubnet("10.0.0.0/16", 8, ${i})\n  tags = { Name = "\${var.name}-${i}" }\n}\n`;

describe.skipIf(built === undefined)('parse worker pool', () => {
  it('gives what in-process parsing gives, file for file, errors included', async () => {
    const files = [
      ['fixtures/loader/ok.tf', 'resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }\n'],
      ['broken.tf', 'resource "aws_vpc" "v" {\n  cidr_block = \n'],
      ['bad-expr.tf', 'locals {\n  x = "${1 +}"\n}\n'],
      ['x.tf.json', '{"resource": {"aws_vpc": {"v": {"cidr_block": "${var.c}"}}}}'],
      ...Array.from({ length: 12 }, (_, i) => [`m${i}.tf`, TF(i)]),
    ] as const;
    const pool = new ParsePool({ size: 2, script: built! });
    try {
      const pooled = await Promise.all(files.map(([rel, text]) => pool.parse(rel, bytes(text))));
      for (const [i, [rel, text]] of files.entries()) {
        expect(JSON.stringify(pooled[i]), rel).toBe(JSON.stringify(await parseTerraformFile(rel, bytes(text))));
      }
      expect(pooled[1]!.diagnostics[0]?.code).toBe('tf-parse-error');
    } finally {
      await pool.close();
    }
  });

  it('turns a worker that dies into a diagnostic on its file, replaces it and parses the rest', async () => {
    const pool = new ParsePool({ size: 2, script: misbehaving });
    try {
      const names = ['a.tf', 'crash.tf', 'b.tf', 'c.tf', 'crash.tf', 'd.tf'];
      const results = await Promise.all(names.map((n, i) => pool.parse(n, bytes(TF(i)))));
      results.forEach((r, i) => {
        if (names[i] === 'crash.tf') {
          expect(r.file).toBeUndefined();
          expect(r.diagnostics).toEqual([
            expect.objectContaining({ severity: 'error', code: 'tf-parse-worker-failed', file: 'crash.tf', message: expect.stringContaining('code 7') }),
          ]);
        } else {
          expect(r.diagnostics).toEqual([]);
          expect(r.file?.blocks[0]?.labels).toEqual(['aws_subnet', `s${i}`]);
        }
      });
    } finally {
      await pool.close();
    }
  });

  it('gives up on a file past the time limit and goes on', async () => {
    const pool = new ParsePool({ size: 1, script: misbehaving, taskTimeLimitMs: 1500 });
    try {
      const [hung, next] = await Promise.all([pool.parse('hang.tf', bytes(TF(1))), pool.parse('next.tf', bytes(TF(2)))]);
      expect(hung.diagnostics[0]).toMatchObject({ code: 'tf-parse-worker-failed', file: 'hang.tf', message: expect.stringContaining('did not finish') });
      expect(next.file?.blocks).toHaveLength(1);
    } finally {
      await pool.close();
    }
  });

  it('parses in-process when the worker script cannot run', async () => {
    const missing = path.join(here, 'no-such-worker.mjs');
    expect(existsSync(missing)).toBe(false);
    const pool = new ParsePool({ size: 2, script: missing });
    try {
      const r = await Promise.all([pool.parse('a.tf', bytes(TF(1))), pool.parse('b.tf', bytes(TF(2)))]);
      expect(r.map((x) => x.diagnostics)).toEqual([[], []]);
      expect(r[1]!.file?.blocks[0]?.labels).toEqual(['aws_subnet', 's2']);
    } finally {
      await pool.close();
    }
  });
});

it('runs the compiled worker (npm run build writes it); from source there is none beside the pool', () => {
  expect(built, 'dist/src/parsers/terraform/parse/worker.js is missing: run npm run build').toBeDefined();
  expect(readFileSync(built!, 'utf8')).toContain('parseTerraformFile');
  expect(defaultWorkerScript()).toBeUndefined();
});
