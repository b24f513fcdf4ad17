/**
 * Changes made outside this process that open pages should show: `flow pause` from a terminal (paused.json), and the
 * daemon's own snapshot (daemon-status.json: pipelines loaded or broken, runs in flight). A watch on FLOW_HOME — both
 * files are replaced by rename — publishes `pipelines` when pauses or the loaded pipelines changed, and `daemon`
 * whenever the snapshot did; nothing reads the store in a loop.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readDaemonStatus } from '../../daemon/status-file.js';
import type { Broadcast } from '../broadcast.js';

const SETTLE_MS = 100;

export function watchHome(home: string, broadcast: Broadcast): () => void {
  let watcher: FSWatcher | undefined;
  let catalog = '';
  const timers = new Map<string, NodeJS.Timeout>();
  const later = (name: string, work: () => void | Promise<void>): void => {
    if (timers.has(name)) return;
    timers.set(
      name,
      setTimeout(() => {
        timers.delete(name);
        void Promise.resolve(work()).catch(() => undefined);
      }, SETTLE_MS),
    );
  };
  const onStatus = async (): Promise<void> => {
    broadcast.publish('daemon', { event: 'changed', data: null });
    const status = await readDaemonStatus(home);
    const fingerprint = JSON.stringify([status?.pipelines.map((pipeline) => [pipeline.name, pipeline.error]), status?.broken]);
    if (fingerprint !== catalog) {
      catalog = fingerprint;
      broadcast.publish('pipelines', { event: 'changed', data: null });
    }
  };
  try {
    watcher = watch(home, (_kind, name) => {
      const file = name === null ? '' : String(name);
      if (file === 'paused.json') later(file, () => broadcast.publish('pipelines', { event: 'changed', data: null }));
      else if (file === 'daemon-status.json') later(file, onStatus);
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    // FLOW_HOME cannot be watched: pages still follow the executor's events.
  }
  return () => {
    watcher?.close();
    for (const timer of timers.values()) clearTimeout(timer);
  };
}
