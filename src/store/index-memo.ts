/**
 * The history index for readers that ask often (the web UI's pages, the API's pipeline list): parsed once and reused
 * while history.json is the same file (inode, size and mtime unchanged; it is replaced by rename on every change).
 * The data is shared: callers must not change it.
 */
import { stat } from 'node:fs/promises';
import type { HistoryStore } from './history.js';
import type { IndexData } from './index-file.js';

export class IndexMemo {
  private key = '';
  private data: Promise<IndexData> | undefined;

  constructor(private readonly store: HistoryStore) {}

  async get(): Promise<IndexData> {
    let key: string;
    try {
      const info = await stat(this.store.layout.index, { bigint: true });
      key = `${info.ino}:${info.size}:${info.mtimeNs}`;
    } catch {
      key = '';
    }
    if (key === '' || key !== this.key || this.data === undefined) {
      this.key = key;
      this.data = this.store.index();
      this.data.catch(() => (this.data = undefined));
    }
    return this.data;
  }
}
