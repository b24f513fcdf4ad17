/** The Daemon view (`/daemon`): pid, uptime, runs in flight, pipelines loaded, and the tail of daemon.log. */
import type { FC } from 'hono/jsx';
import { formatDuration } from '../../util/duration.js';
import { Time } from '../components/time.js';
import type { RegisterRoutes } from '../context.js';
import { daemonFacts, type DaemonFacts } from '../data/daemon.js';
import { page } from '../layout.js';

export const register: RegisterRoutes = (app, ui) => {
  app.get('/daemon', async (c) => {
    const facts = await daemonFacts(ui.deps.home);
    return page(c, ui, { title: 'Daemon', nav: 'daemon', topics: ['daemon'] }, <DaemonPage facts={facts} now={ui.now()} />);
  });
};

const DaemonPage: FC<{ facts: DaemonFacts; now: Date }> = ({ facts, now }) => {
  const status = facts.status;
  return (
    <>
      <h1>Daemon</h1>
      <section id="daemon" data-live="daemon">
        {facts.pid === null ? (
          <p class="notice">No daemon runs for this FLOW_HOME. Start one with <code>flow daemon</code>; until then nothing fires on schedule.</p>
        ) : (
          <dl class="facts">
            <dt>pid</dt>
            <dd>
              {facts.pid} on {facts.host}
            </dd>
            <dt>uptime</dt>
            <dd>{status === null ? 'starting' : formatDuration(now.getTime() - Date.parse(status.started_at))}</dd>
            <dt>pipelines loaded</dt>
            <dd>{status === null ? '—' : `${status.pipelines.length} from ${status.pipelines_dir}`}</dd>
            <dt>runs in flight</dt>
            <dd>{status === null ? '—' : status.runs_in_flight.length}</dd>
            {status?.stopping === true && (
              <>
                <dt>state</dt>
                <dd>stopping</dd>
              </>
            )}
          </dl>
        )}
        {status !== null && status.runs_in_flight.length > 0 && (
          <table class="list">
            <thead>
              <tr>
                <th>Pipeline</th>
                <th>Run</th>
                <th>Started</th>
              </tr>
            </thead>
            <tbody>
              {status.runs_in_flight.map((run) => (
                <tr>
                  <td data-label="Pipeline">
                    <a href={`/pipelines/${encodeURIComponent(run.pipeline)}`}>{run.pipeline}</a>
                  </td>
                  <td data-label="Run">{run.run_id === null ? <span class="muted">starting</span> : <a href={`/runs/${encodeURIComponent(run.run_id)}`}>{run.run_id}</a>}</td>
                  <td data-label="Started">
                    <Time iso={run.started_at} now={now} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h2>daemon.log</h2>
        <p class="muted small">The last {facts.log.length} lines of {facts.logFile}</p>
        <pre class="log">{facts.log.join('\n')}</pre>
      </section>
    </>
  );
};
