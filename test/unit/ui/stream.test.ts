import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../../src/api/event-hub.js';
import { setPaused } from '../../../src/control/paused.js';
import { FlowError } from '../../../src/errors.js';
import { decodeCursors, encodeCursors } from '../../../src/ui/topics.js';
import { readStream, uiHarness, type UiHarness } from '../../helpers/ui.js';

let ui: UiHarness;
afterEach(() => ui?.close());

function runEvent(kind: ApiEvent['kind'], runId: string, extra: Record<string, unknown> = {}): ApiEvent {
  return { kind, run_id: runId, pipeline: 'etl', at: '2030-01-01T00:00:00+00:00', ...extra };
}

/** The `data:` payloads of the stream's default (message) events, in order. */
function messages(text: string): { id: string; topic: string; event: string; data: unknown }[] {
  return text
    .split('\n\n')
    .filter((block) => /^data: /m.test(block) && !/^event: /m.test(block))
    .map((block) => ({ id: /^id: (.*)$/m.exec(block)?.[1] ?? '', ...(JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}') as { topic: string; event: string; data: unknown }) }));
}

describe('the event stream', () => {
  it('frames events by topic with ids carrying every topic cursor, and beats', async () => {
    ui = await uiHarness();
    const response = await ui.request('/ui/events?topic=pipelines&topic=run:r1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await readStream(response, 'two messages and a heartbeat', (so) => {
      if (so.includes('event: hello') && !so.includes('run-started')) {
        ui.control.hub.publish(runEvent('run-started', 'r1'));
        ui.control.hub.publish(runEvent('task-finished', 'r1', { task: 'a', status: 'success' }));
      }
      return messages(so).length >= 3 && so.includes('event: heartbeat');
    });
    expect(text).toMatch(/^event: hello\ndata: \{"topics":\["pipelines","run:r1"\]\}\nretry: 2000\n\n/);
    const got = messages(text);
    expect(got.map((message) => `${message.topic} ${message.event}`)).toEqual(['run:r1 run-started', 'pipelines run-started', 'run:r1 task-finished']);
    const last = decodeCursors(got[2]?.id);
    expect([...last.keys()].sort()).toEqual(['pipelines', 'run:r1']);
  });

  it('resumes from Last-Event-ID: nothing missed, nothing repeated', async () => {
    ui = await uiHarness();
    const first = await ui.request('/ui/events?topic=run:r1');
    const text = await readStream(first, 'the first event', (so) => {
      if (so.includes('event: hello') && !so.includes('run-started')) ui.control.hub.publish(runEvent('run-started', 'r1'));
      return messages(so).length >= 1;
    });
    const lastId = messages(text)[0]?.id ?? '';
    // Published while no stream is open: the reconnect must get exactly these.
    ui.control.hub.publish(runEvent('task-started', 'r1', { task: 'a' }));
    ui.control.hub.publish(runEvent('run-finished', 'r1', { status: 'success' }));
    const again = await ui.request('/ui/events?topic=run:r1', { headers: { 'last-event-id': lastId } });
    const resumed = messages(await readStream(again, 'the two missed events', (so) => messages(so).length >= 2));
    expect(resumed.map((message) => message.event)).toEqual(['task-started', 'run-finished']);
  });

  it('tells a client whose cursor it cannot resume to reload (reset), and names unknown topics', async () => {
    ui = await uiHarness();
    const response = await ui.request(`/ui/events?topic=pipelines&topic=nonsense&resume=${encodeURIComponent(encodeCursors(new Map([['pipelines', 'other.5']])))}`);
    const got = messages(await readStream(response, 'a reset and an error', (so) => messages(so).length >= 2));
    expect(got.map((message) => `${message.topic} ${message.event}`).sort()).toEqual(['nonsense error', 'pipelines reset']);
  });

  it('passes a registered source its resume cursor, and sends a FlowError as that topic\'s error', async () => {
    ui = await uiHarness();
    const seen: (string | undefined)[] = [];
    ui.app.ui.topics.register({
      prefix: 'probe:',
      open(topic, send, resume) {
        seen.push(resume);
        if (topic === 'probe:missing') throw new FlowError('E_NOT_FOUND', 'no such attempt');
        send({ event: 'append', data: { text: 'more' } }, String(Number(resume ?? '0') + 4));
        return () => undefined;
      },
    });
    const resume = encodeURIComponent(encodeCursors(new Map([['probe:r1/a/1', '100']])));
    const response = await ui.request(`/ui/events?topic=probe:r1/a/1&topic=probe:missing&resume=${resume}`);
    const got = messages(await readStream(response, 'the append and the error', (so) => messages(so).length >= 2));
    expect(seen).toEqual(['100', undefined]);
    const append = got.find((message) => message.event === 'append');
    expect(decodeCursors(append?.id).get('probe:r1/a/1')).toBe('104');
    expect(got.find((message) => message.topic === 'probe:missing')?.data).toEqual({ message: 'no such attempt' });
  });

  it('refuses a stream without topics', async () => {
    ui = await uiHarness();
    expect((await ui.request('/ui/events')).status).toBe(400);
  });
});

describe('changes made outside the UI', () => {
  it('a pause written to paused.json by another process reaches the pipelines topic', async () => {
    ui = await uiHarness();
    const response = await ui.request('/ui/events?topic=pipelines');
    let wrote = false;
    const got = await readStream(response, 'a pipelines change after paused.json was replaced', (so) => {
      if (so.includes('event: hello') && !wrote) {
        wrote = true;
        void setPaused(ui.home, 'etl', true);
      }
      return messages(so).some((message) => message.topic === 'pipelines' && message.event === 'changed');
    });
    expect(got).toContain('"topic":"pipelines"');
  });
});
