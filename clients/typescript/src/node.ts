/** Node.js-only parts (they use node:fs): import from 'herald-push/node'. */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { CursorStore } from './cursor-store.js';

/**
 * Broadcast cursors in a JSON file ({"appId": seq}), written whole (to a temporary file, then renamed) on
 * every change, so a device process started again asks only for the broadcasts it missed.
 */
export class FileCursorStore implements CursorStore {
  private cursors: Record<string, number> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  async load(appId: string): Promise<number | undefined> {
    if (this.cursors === undefined) {
      try {
        this.cursors = JSON.parse(await readFile(this.path, 'utf8')) as Record<string, number>;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
          throw new Error(`cannot read the cursor file ${this.path}: ${(e as Error).message}`);
        }
        this.cursors = {};
      }
    }
    return this.cursors[appId];
  }

  save(appId: string, broadcastSeq: number): Promise<void> {
    this.cursors = { ...(this.cursors ?? {}), [appId]: broadcastSeq };
    const snapshot = JSON.stringify(this.cursors);
    // One write at a time, in order, so an older snapshot never lands after a newer one.
    this.writing = this.writing.then(async () => {
      await writeFile(this.path + '.tmp', snapshot);
      await rename(this.path + '.tmp', this.path);
    });
    return this.writing;
  }
}
