import { createHash } from 'node:crypto';

/** One part of a scan split across CI jobs (`--shard K/N`): 1 ≤ index ≤ count. */
export interface Shard {
  index: number;
  count: number;
}

/** Shards a scan can be split into at most: a CI matrix larger than this is a typo. */
export const MAX_SHARDS = 1024;

/** Reads `K/N` (both whole numbers, 1 ≤ K ≤ N ≤ 1024); a string says what is wrong. */
export function parseShard(text: string): Shard | string {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) return `--shard expects K/N (this job's part and the number of parts, such as 1/4), got "${text}"`;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) return `--shard: the number of parts must be between 1 and ${MAX_SHARDS}, got ${count}`;
  if (index < 1 || index > count) return `--shard: the part must be between 1 and ${count}, got ${index}`;
  return { index, count };
}

/**
 * The part (1-based) a unit of the scan falls in: a root module by its directory, a template, plan or cloud assembly by
 * its file, always as the path relative to the scan root with forward slashes. SHA-256 of that path, so the split is
 * the same on every machine and whatever order the files were found in, and a unit keeps its part when others are
 * added or removed.
 */
export function shardOf(key: string, count: number): number {
  if (count <= 1) return 1;
  return (createHash('sha256').update(key, 'utf8').digest().readUInt32BE(0) % count) + 1;
}

/** Whether a unit belongs to this shard (every unit does when there is no shard). */
export function inShard(key: string, shard: Shard | undefined): boolean {
  return shard === undefined || shardOf(key, shard.count) === shard.index;
}
