/**
 * Where the SDK keeps each app's broadcast cursor (the highest broadcast seq received), so that a device
 * started again asks only for the broadcasts it missed. The server keeps its own copy and uses the larger.
 */
export interface CursorStore {
  load(appId: string): number | undefined | Promise<number | undefined>;
  save(appId: string, broadcastSeq: number): void | Promise<void>;
}

/** Cursors for the life of the process (the default). */
export class MemoryCursorStore implements CursorStore {
  private readonly cursors = new Map<string, number>();

  load(appId: string): number | undefined {
    return this.cursors.get(appId);
  }

  save(appId: string, broadcastSeq: number): void {
    this.cursors.set(appId, broadcastSeq);
  }
}

interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Cursors in the browser's localStorage (or any Storage), one key per device and app. */
export class LocalStorageCursorStore implements CursorStore {
  private readonly storage: StorageLike;

  constructor(private readonly deviceId: string, storage?: StorageLike) {
    const found = storage ?? (globalThis as { localStorage?: StorageLike }).localStorage;
    if (!found) {
      throw new Error('no localStorage here: pass a Storage, or use MemoryCursorStore (FileCursorStore in Node.js)');
    }
    this.storage = found;
  }

  private key(appId: string): string {
    return `herald-push:cursor:${this.deviceId}:${appId}`;
  }

  load(appId: string): number | undefined {
    const text = this.storage.getItem(this.key(appId));
    const value = text === null ? NaN : Number(text);
    return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  }

  save(appId: string, broadcastSeq: number): void {
    this.storage.setItem(this.key(appId), String(broadcastSeq));
  }
}
