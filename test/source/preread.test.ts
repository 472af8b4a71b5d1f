import { describe, expect, it } from 'vitest';
import { PrereadFiles } from '../../src/source/preread.js';

describe('PrereadFiles', () => {
  it('gives each file kept once, and lets it go when taken', () => {
    const store = new PrereadFiles(100);
    expect(store.keep('/t/a.tf', Buffer.from('a = 1\n'))).toBe(true);
    expect(store.bytesHeld).toBe(6);
    expect(store.take('/t/a.tf')?.toString()).toBe('a = 1\n');
    expect(store.take('/t/a.tf')).toBeUndefined();
    expect(store.take('/t/never.tf')).toBeUndefined();
    expect(store.bytesHeld).toBe(0);
  });

  it('holds no more than its budget: a file past it is not kept, and room taken back is used again', () => {
    const store = new PrereadFiles(10);
    expect(store.keep('/t/a.tf', Buffer.alloc(6))).toBe(true);
    expect(store.keep('/t/b.tf', Buffer.alloc(6))).toBe(false);
    expect(store.take('/t/b.tf')).toBeUndefined();
    // Keeping a file again replaces its bytes and their count.
    expect(store.keep('/t/a.tf', Buffer.alloc(4))).toBe(true);
    expect(store.bytesHeld).toBe(4);
    store.take('/t/a.tf');
    expect(store.keep('/t/b.tf', Buffer.alloc(10))).toBe(true);
    expect(store.bytesHeld).toBe(10);
  });
});
