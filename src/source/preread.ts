/** How many bytes of files read ahead are kept at most, for a scan; beyond it a file is read again when needed. */
export const PREREAD_BUDGET = 64 * 1024 * 1024;

/**
 * The bytes of files one stage of a scan has already read (discovery reads every Terraform file to find the modules it
 * calls), kept for the one later stage that needs them again (the module loader), so that each file is read once.
 * Bytes are taken, not looked up: once taken they are let go, so what is held shrinks as the scan goes on; and no
 * more than a budget of bytes is held at once.
 */
export class PrereadFiles {
  private readonly kept = new Map<string, Buffer>();
  private held = 0;

  constructor(readonly budget: number = PREREAD_BUDGET) {}

  /** Keeps the bytes read from `abs` (an absolute path as the reader will ask for it), when the budget allows. */
  keep(abs: string, bytes: Buffer): boolean {
    const before = this.kept.get(abs);
    if (before) this.held -= before.length;
    this.kept.delete(abs);
    if (this.held + bytes.length > this.budget) return false;
    this.kept.set(abs, bytes);
    this.held += bytes.length;
    return true;
  }

  /** The bytes kept for `abs`, once; undefined when none are (never read, over the budget, or taken already). */
  take(abs: string): Buffer | undefined {
    const bytes = this.kept.get(abs);
    if (!bytes) return undefined;
    this.kept.delete(abs);
    this.held -= bytes.length;
    return bytes;
  }

  /** Bytes held now. */
  get bytesHeld(): number {
    return this.held;
  }
}
