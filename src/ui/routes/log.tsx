/**
 * The Log view (`/runs/<id>/tasks/<task>/<attempt>`): one attempt's output. It opens on the last 256 KiB (one
 * positioned read, however large the log), with "load earlier" (`?end=<offset>`, or fetched in place as JSON by the
 * page script with `&fragment=1`); while the attempt runs, the page follows the `log:` topic from the byte after
 * what it shows. `/raw` downloads the file as it is. Every byte is escaped (log-html.ts) before it reaches the page.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { raw } from 'hono/html';
import { FlowError } from '../../errors.js';
import { StatusBadge } from '../components/status.js';
import type { RegisterRoutes, UiContext, UiRequest } from '../context.js';
import { page } from '../layout.js';
import { plainStyle, renderLog } from '../log/log-html.js';
import { readLogWindow, type LogWindow } from '../log/log-range.js';
import { findAttempt, logSource, logTopic, type FoundAttempt } from '../log/log-topic.js';
import { notFoundPage } from '../pages/not-found.js';
import { attemptStatus } from '../run/gantt.js';
import { liveRunsOf } from '../run/live-runs.js';
import { logHref, runHref, taskHref } from './paths.js';

export const register: RegisterRoutes = (app, ui) => {
  const live = liveRunsOf(ui);
  ui.topics.register(logSource(ui.deps.api, (ref) => ui.runs.find(ref), (run) => live.overlay(run)));

  app.get('/runs/:id/tasks/:task/:attempt', async (c) => {
    const found = await attemptOrNotFound(c, ui);
    if (found instanceof Response) return found;
    const endText = c.req.query('end');
    const end = endText !== undefined && /^\d{1,15}$/.test(endText) ? Number(endText) : undefined;
    const kept = await keptElsewhere(ui, found);
    const window = kept === undefined ? await readLogWindow(found.attempt.log, end) : keptWindow(kept);
    const running = found.attempt.ended_at === null && found.run.status === 'running';
    const live = end === undefined && running && kept === undefined;
    const { html, consumed } = renderLog(window.bytes, plainStyle(), !live);
    const next = window.start + consumed;
    if (c.req.query('fragment') !== undefined) return c.json({ start: window.start, end: next, html });
    const { run, task, attempt } = found;
    const title = `${task.id} #${attempt.attempt} · ${run.pipeline}`;
    const self = logHref(run.id, task.id, attempt.attempt);
    return page(
      c,
      ui,
      { title, nav: 'pipelines', topics: live ? [logTopic(run.id, task.id, attempt.attempt)] : [] },
      <>
        <h1>
          <a href={taskHref(run.id, task.id)}>{task.id}</a> <span class="muted">attempt {attempt.attempt}</span>{' '}
          <StatusBadge status={attemptStatus(task, attempt, attempt.attempt === task.attempts.at(-1)?.attempt, running)} />
        </h1>
        <p class="muted">
          Run <a href={runHref(run.id)}>{run.id}</a> of {run.pipeline} · {window.size} bytes · <a href={`${self}/raw`}>download raw</a>
          {task.attempts.length > 1 && (
            <>
              {' '}
              · attempts:{' '}
              {task.attempts.map((other) => (
                <>
                  {' '}
                  {other.attempt === attempt.attempt ? <strong>{other.attempt}</strong> : <a href={logHref(run.id, task.id, other.attempt)}>{other.attempt}</a>}
                </>
              ))}
            </>
          )}
        </p>
        {window.start > 0 && (
          <p>
            <a id="log-earlier" href={`${self}?end=${window.start}`}>
              Load earlier
            </a>
          </p>
        )}
        <pre class="log log-view" id="log" data-next={String(next)} data-topic={live ? logTopic(run.id, task.id, attempt.attempt) : undefined} tabindex={0}>
          {raw(html)}
        </pre>
        {end !== undefined && window.end < window.size && (
          <p>
            <a href={self}>Go to the end</a>
          </p>
        )}
        {kept !== undefined && (
          <p class="muted small" id="log-kept">
            This attempt ran on another host: this is its output as the cluster's history keeps it, the last {ui.runs.keptLogLimit} only.
          </p>
        )}
        <p class="muted small" id="log-state">
          {live ? 'Running: new output appears as it is written.' : window.size === 0 ? 'This attempt wrote nothing.' : ''}
        </p>
      </>,
    );
  });

  app.get('/runs/:id/tasks/:task/:attempt/raw', async (c) => {
    const found = await attemptOrNotFound(c, ui);
    if (found instanceof Response) return found;
    const kept = await keptElsewhere(ui, found);
    const file = found.attempt.log;
    const name = `${found.run.pipeline}-${found.task.id}.${found.attempt.attempt}.log`;
    // An attachment in plain text (with nosniff from the guard): a browser saves it, never renders it as a page.
    c.header('content-type', 'text/plain; charset=utf-8');
    c.header('content-disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9_.-]/g, '_')}"`);
    if (kept !== undefined) return c.body(kept);
    const size = await stat(file).then((info) => info.size, () => 0);
    if (size === 0) return c.body('');
    // Only the bytes there when asked: a log still being written is not followed into.
    return c.body(Readable.toWeb(createReadStream(file, { start: 0, end: size - 1 })) as ReadableStream);
  });
};

async function attemptOrNotFound(c: UiRequest, ui: UiContext): Promise<FoundAttempt | Response> {
  const id = c.req.param('id') ?? '';
  const task = c.req.param('task') ?? '';
  const attempt = c.req.param('attempt') ?? '';
  try {
    if (!/^\d{1,9}$/.test(attempt)) throw new FlowError('E_NOT_FOUND', `"${attempt}" is not an attempt number`);
    return await findAttempt((ref) => ui.runs.find(ref), id, task, Number(attempt), (run) => liveRunsOf(ui).overlay(run));
  } catch (error) {
    if (!(error instanceof FlowError)) throw error;
    const runKnown = error.code === 'E_TASK_NOT_FOUND' || error.code === 'E_NOT_FOUND';
    return await notFoundPage(c, ui, {
      message: `${error.message}.`,
      back: runKnown ? { href: runHref(id), label: 'Back to the run' } : { href: '/', label: 'All pipelines' },
    });
  }
}

/**
 * In cluster mode, the output of an attempt whose log file is not on this host (it ran for another scheduler host):
 * the tail the cluster's history keeps. Undefined where the file is here, or with no such reader.
 */
async function keptElsewhere(ui: UiContext, found: FoundAttempt): Promise<string | undefined> {
  if (ui.runs.keptLog === undefined) return undefined;
  const here = await stat(found.attempt.log).then(() => true, () => false);
  return here ? undefined : await ui.runs.keptLog(found.run, found.task.id, found.attempt.attempt);
}

function keptWindow(text: string): LogWindow {
  const bytes = Buffer.from(text, 'utf8');
  return { start: 0, end: bytes.length, size: bytes.length, bytes };
}
