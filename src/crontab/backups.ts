/**
 * Backups of the user's crontab taken by `--replace`, in $FLOW_HOME/crontab-backups: `<id>.crontab` holds the
 * crontab exactly as `crontab -l` printed it, `<id>.json` what the import changed (the crontab it installed, by
 * hash, and the pipeline files it put in charge of the moved lines, with their text), so `--undo` can check that
 * nothing changed since and put everything back.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FlowError } from '../errors.js';
import { ensurePrivateDir, ensurePrivateHome } from '../util/private-fs.js';
import { writeDurably } from '../store/durable-file.js';

export interface BackupManifest {
  version: 1;
  created: string;
  /** SHA-256 of the crontab `--replace` installed. */
  installed: string;
  /** The lines commented out, and the pipelines that run them now. */
  moved: { line: number; pipeline: string; file: string; sha256: string; text: string }[];
  /** Set by `--undo`: this backup has been restored. */
  undone?: string;
}

export interface Backup {
  id: string;
  /** The crontab as it was. */
  crontabFile: string;
  manifestFile: string;
  manifest: BackupManifest;
}

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

export function backupDir(home: string): string {
  return join(home, 'crontab-backups');
}

export async function saveBackup(home: string, crontab: Buffer, manifest: BackupManifest, now: Date): Promise<Backup> {
  const dir = backupDir(home);
  try {
    ensurePrivateHome(home);
    ensurePrivateDir(home, dir);
    const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    for (let n = 1; ; n++) {
      const id = n === 1 ? stamp : `${stamp}-${n}`;
      const crontabFile = join(dir, `${id}.crontab`);
      try {
        await writeFile(crontabFile, crontab, { flag: 'wx', mode: 0o600 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw error;
      }
      const manifestFile = join(dir, `${id}.json`);
      await writeDurably(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
      return { id, crontabFile, manifestFile, manifest };
    }
  } catch (error) {
    throw new FlowError('E_STORE', `cannot back up your crontab in ${dir}: ${(error as Error).message}`, { cause: error });
  }
}

/** The newest backup not yet restored, with its crontab's bytes. */
export async function latestBackup(home: string): Promise<{ backup: Backup; crontab: Buffer } | undefined> {
  const dir = backupDir(home);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new FlowError('E_STORE', `cannot read ${dir}: ${(error as Error).message}`, { cause: error });
  }
  // Ids are UTC timestamps, with -2, -3 for several in one second: their order is the order they were taken.
  const ids = names.filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -'.json'.length));
  ids.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  for (const id of ids.reverse()) {
    const manifestFile = join(dir, `${id}.json`);
    const crontabFile = join(dir, `${id}.crontab`);
    let manifest: BackupManifest;
    let crontab: Buffer;
    try {
      manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as BackupManifest;
      crontab = await readFile(crontabFile);
    } catch (error) {
      throw new FlowError('E_STORE', `cannot read the backup ${crontabFile}: ${(error as Error).message}`, { cause: error });
    }
    if (manifest.undone === undefined) return { backup: { id, crontabFile, manifestFile, manifest }, crontab };
  }
  return undefined;
}

function order(id: string): number {
  const [stamp = '', n = '1'] = id.split('-');
  const time = Date.parse(stamp.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  return (Number.isNaN(time) ? 0 : time) + Number(n) / 1000;
}

export async function markUndone(backup: Backup, now: Date): Promise<void> {
  await writeDurably(backup.manifestFile, `${JSON.stringify({ ...backup.manifest, undone: now.toISOString() }, null, 2)}\n`);
}
