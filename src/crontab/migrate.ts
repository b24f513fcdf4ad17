/**
 * `--replace` and `--undo`: moving jobs out of the user's crontab and back, through crontab(1), so that a job never
 * runs under both cron and flow. Replacing comments the lines out first and writes the pipelines after; undoing
 * removes the pipelines first and restores the crontab after. Either way the moment in between has the job in
 * neither, never in both, and a failure part-way puts back what was there.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { FlowError } from '../errors.js';
import { latestBackup, markUndone, saveBackup, sha256, type Backup } from './backups.js';
import { installUserCrontab, readUserCrontab, type Env } from './commands.js';
import { commentOutLines } from './comment-out.js';
import type { ImportPlan } from './plan.js';
import { removeWritten, writePipelines, type WriteResult } from './write.js';

export interface ReplaceResult extends WriteResult {
  /** Lines commented out in the crontab. */
  moved: number[];
  backup: Backup | undefined;
}

/**
 * `original` is the crontab the plan was made from (`crontab -l`). Lines whose pipeline is in the way of another
 * file, and lines that were refused, stay active.
 */
export async function replaceUserCrontab(original: Buffer, plan: ImportPlan, world: { home: string; env: Env; now: Date }): Promise<ReplaceResult> {
  const moving = plan.pipelines.filter((pipeline) => pipeline.state !== 'conflict');
  const conflicts = plan.pipelines.filter((pipeline) => pipeline.state === 'conflict');
  if (moving.length === 0) return { written: [], identical: [], conflicts, moved: [], backup: undefined };

  if (!(await readUserCrontab(world.env)).equals(original)) {
    throw new FlowError('E_USAGE', 'your crontab changed while flow was reading it; nothing was changed', { hint: 'run the import again' });
  }
  const installed = commentOutLines(original, new Map(moving.map((pipeline) => [pipeline.job.line, pipeline.name])));
  const backup = await saveBackup(
    world.home,
    original,
    {
      version: 1,
      created: world.now.toISOString(),
      installed: sha256(installed),
      moved: moving.map((pipeline) => ({ line: pipeline.job.line, pipeline: pipeline.name, file: pipeline.file, sha256: sha256(pipeline.text), text: pipeline.text })),
    },
    world.now,
  );
  await installUserCrontab(installed, world.env);

  let result: WriteResult | undefined;
  try {
    result = await writePipelines({ ...plan, pipelines: moving });
    if (result.conflicts.length > 0) throw new FlowError('E_USAGE', `${result.conflicts.map((pipeline) => pipeline.file).join(', ')} appeared while flow was writing; your crontab is as it was`);
  } catch (error) {
    if (result !== undefined) await removeWritten(result.written);
    try {
      await installUserCrontab(original, world.env);
    } catch (restoring) {
      throw new FlowError('E_USAGE', `writing the pipelines failed (${(error as Error).message}), and so did putting your crontab back: ${(restoring as Error).message}`, {
        cause: error,
        hint: `run \`flow import-crontab --undo\` to restore it from ${backup.crontabFile}`,
      });
    }
    await markUndone(backup, world.now);
    throw error;
  }
  return { ...result, conflicts, moved: moving.map((pipeline) => pipeline.job.line), backup };
}

export interface UndoResult {
  backup: Backup;
  /** Pipeline files removed. */
  removed: string[];
}

/** Restores the crontab the latest `--replace` backed up, and removes the pipelines it wrote. */
export async function undoReplace(world: { home: string; env: Env; now: Date }): Promise<UndoResult> {
  const latest = await latestBackup(world.home);
  if (latest === undefined) {
    throw new FlowError('E_NOT_FOUND', 'there is no crontab backup to restore', { hint: '`flow import-crontab --replace` takes one before it changes your crontab' });
  }
  const { backup, crontab } = latest;
  const current = await readUserCrontab(world.env);
  if (sha256(current) !== backup.manifest.installed) {
    throw new FlowError('E_USAGE', 'your crontab changed since the import; restoring the backup would lose those changes', {
      hint: `compare it with ${backup.crontabFile} and restore by hand if you wish: crontab ${backup.crontabFile}`,
    });
  }
  const present: { file: string; text: string }[] = [];
  for (const moved of backup.manifest.moved) {
    const text = await readFile(moved.file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    if (sha256(text) !== moved.sha256) {
      throw new FlowError('E_USAGE', `${moved.file} changed since the import; nothing was restored`, {
        hint: 'move it out of the pipelines directory (the job would run under both cron and flow), then run --undo again',
      });
    }
    present.push({ file: moved.file, text });
  }
  await Promise.all(present.map(({ file }) => rm(file, { force: true })));
  try {
    await installUserCrontab(crontab, world.env);
  } catch (error) {
    await Promise.all(present.map(({ file, text }) => writeFile(file, text)));
    throw error;
  }
  await markUndone(backup, world.now);
  return { backup, removed: present.map(({ file }) => file) };
}
