/**
 * The web UI app in-process (Hono's `app.request`), over a real history store in a temporary FLOW_HOME. The API's
 * deps are a small control of our own: pipelines given by the test, pause kept in memory, triggers recorded, events
 * through a real EventHub (`hub.publish` plays the executor). For the real daemon behind the UI, see
 * test/helpers/browser.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiDeps, PauseView, PipelineView, StopResult } from '../../src/api/deps.js';
import { EventHub } from '../../src/api/event-hub.js';
import { FlowError } from '../../src/errors.js';
import { HistoryStore } from '../../src/store/history.js';
import { createUiApp, type UiOptions } from '../../src/ui/app.js';
import { signSession, SESSION_COOKIE } from '../../src/ui/security/session.js';

export const HOST = '127.0.0.1:8484';
export const ORIGIN = `http://${HOST}`;
export const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuvwxyz';

export function pipelineView(name: string, extra: Partial<PipelineView> = {}): PipelineView {
  return {
    name,
    file: `/pipelines/${name}.flow.yaml`,
    description: null,
    schedule: '*/5 * * * *',
    timezone: 'UTC',
    next: ['2030-01-01T00:05:00+00:00'],
    paused: false,
    paused_at: null,
    tasks: ['a'],
    params: {},
    error: null,
    active_runs: 0,
    last_run: null,
    ...extra,
  };
}

export class TestControl implements ApiDeps {
  readonly hub = new EventHub();
  readonly calls: string[] = [];

  constructor(
    readonly store: HistoryStore,
    readonly views: PipelineView[],
  ) {}

  pipelines(): Promise<PipelineView[]> {
    return Promise.resolve(this.views);
  }

  pipeline(name: string): Promise<PipelineView> {
    const view = this.views.find((item) => item.name === name);
    if (view === undefined) return Promise.reject(new FlowError('E_PIPELINE_NOT_FOUND', `the daemon has no pipeline "${name}"`));
    return Promise.resolve(view);
  }

  async trigger(name: string, body: { params?: Record<string, string> | undefined }): Promise<{ run_id: string; pipeline: string }> {
    await this.pipeline(name);
    this.calls.push(`trigger ${name} ${JSON.stringify(body.params ?? {})}`);
    return { run_id: '20300101T000000.000Z-abcdef', pipeline: name };
  }

  async pause(name: string): Promise<PauseView> {
    const view = await this.pipeline(name);
    view.paused = true;
    this.calls.push(`pause ${name}`);
    return { pipeline: name, paused: true, paused_at: null, catchup: [] };
  }

  async unpause(name: string): Promise<PauseView> {
    const view = await this.pipeline(name);
    view.paused = false;
    this.calls.push(`unpause ${name}`);
    return { pipeline: name, paused: false, paused_at: null, catchup: [] };
  }

  stop(): Promise<StopResult> {
    return Promise.reject(new FlowError('E_RUN_NOT_FOUND', 'no such run'));
  }

  retry(): Promise<{ run_id: string; pipeline: string; tasks: string[] }> {
    return Promise.reject(new FlowError('E_RUN_NOT_FOUND', 'no such run'));
  }

  subscribe(listener: Parameters<ApiDeps['subscribe']>[0]): () => void {
    return this.hub.subscribe(listener);
  }
}

export interface UiHarness {
  home: string;
  control: TestControl;
  app: ReturnType<typeof createUiApp>;
  /** A request as a browser on the listen address sends it; `auth` picks how it authenticates. */
  request(path: string, init?: RequestInit & { auth?: 'cookie' | 'bearer' | 'none'; noOrigin?: boolean }): Promise<Response>;
  cookie: string;
  close(): void;
}

export async function uiHarness(views: PipelineView[] = [pipelineView('etl')], options: Partial<UiOptions> & { actionsBlocked?: string } = {}): Promise<UiHarness> {
  const home = mkdtempSync(join(tmpdir(), 'flow-ui-'));
  const store = await HistoryStore.open(home);
  const control = new TestControl(store, views);
  const blocked = options.actionsBlocked;
  const app = createUiApp(
    { api: control, home, loadErrors: () => Promise.resolve([]), ...(blocked === undefined ? {} : { actionsBlocked: () => Promise.resolve(blocked) }) },
    { token: TOKEN, listen: { host: '127.0.0.1', port: 8484 }, heartbeatMs: 50, ...options },
  );
  const cookie = `${SESSION_COOKIE}=${signSession(TOKEN, Date.now() + 3600_000)}`;
  return {
    home,
    control,
    app,
    cookie,
    request(path, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('host')) headers.set('host', HOST);
      const auth = init.auth ?? 'cookie';
      if (auth === 'cookie' && !headers.has('cookie')) headers.set('cookie', cookie);
      if (auth === 'bearer') headers.set('authorization', `Bearer ${TOKEN}`);
      const method = (init.method ?? 'GET').toUpperCase();
      if (method !== 'GET' && method !== 'HEAD' && !headers.has('origin') && auth === 'cookie' && init.noOrigin !== true) headers.set('origin', ORIGIN);
      return Promise.resolve(app.app.request(`http://${HOST}${path}`, { ...init, headers }));
    },
    close() {
      app.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Reads an SSE body until `until` is true of what came so far, or `timeoutMs` passes (then fails naming `what`). */
export async function readStream(response: Response, what: string, until: (text: string) => boolean, timeoutMs = 20_000): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (!until(text)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got:\n${text}`);
      const chunk = await Promise.race([reader.read(), new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), left))]);
      if (chunk === 'late') continue;
      if (chunk.done) throw new Error(`the stream ended while waiting for ${what}; got:\n${text}`);
      text += decoder.decode(chunk.value, { stream: true });
    }
    return text;
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
