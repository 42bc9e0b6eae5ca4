// The last responses per connection, bounded, so opening what the tree already fetched doesn't GET again.
// No vscode here: unit-tested in plain Node.
import type { Fetched } from '../api';

export interface ResponseKey {
  connectionId: string;
  href: string;
  representation: string;
}

const keyOf = (k: ResponseKey) => `${k.connectionId}\n${k.representation}\n${k.href}`;

/** Least recently used first out, bounded by entry count and by total body size. */
export class ResponseCache {
  private readonly entries = new Map<string, Fetched>();
  private bytes = 0;

  constructor(
    private readonly maxEntries = 200,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  get(key: ResponseKey): Fetched | undefined {
    const k = keyOf(key);
    const hit = this.entries.get(k);
    if (hit) {
      this.entries.delete(k);
      this.entries.set(k, hit);
    }
    return hit;
  }

  set(key: ResponseKey, fetched: Fetched): void {
    this.delete(key);
    if (fetched.raw.body.length > this.maxBytes) return;
    this.entries.set(keyOf(key), fetched);
    this.bytes += fetched.raw.body.length;
    for (const [k, old] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= old.raw.body.length;
    }
  }

  delete(key: ResponseKey): void {
    const k = keyOf(key);
    const old = this.entries.get(k);
    if (old) {
      this.entries.delete(k);
      this.bytes -= old.raw.body.length;
    }
  }

  /** Forget everything of one connection (logoff, changed definition), or everything. */
  clear(connectionId?: string): void {
    for (const [k, v] of this.entries) {
      if (connectionId === undefined || k.startsWith(`${connectionId}\n`)) {
        this.entries.delete(k);
        this.bytes -= v.raw.body.length;
      }
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
