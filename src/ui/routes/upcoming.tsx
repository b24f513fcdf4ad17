/**
 * The Upcoming view (`/upcoming`): every fire time of the next 24 hours across all pipelines, soonest first, each in
 * its pipeline's zone. A pipeline that fires every minute would list 1440 times: each pipeline shows at most
 * PER_PIPELINE, and the page at most TOTAL, saying how many more there are.
 */
import type { FC } from 'hono/jsx';
import type { PipelineView } from '../../api/deps.js';
import { fireTimesBetween, parseSchedule } from '../../schedule/index.js';
import { isoWithOffset } from '../../util/time.js';
import { Time } from '../components/time.js';
import type { RegisterRoutes } from '../context.js';
import { scheduleWords } from '../data/pipelines.js';
import { page } from '../layout.js';

const HORIZON_MS = 24 * 3600_000;
const PER_PIPELINE = 60;
const TOTAL = 1000;

interface Fire {
  at: Date;
  view: PipelineView;
  words: string | null;
}

export const register: RegisterRoutes = (app, ui) => {
  app.get('/upcoming', async (c) => {
    const now = ui.now();
    const until = new Date(now.getTime() + HORIZON_MS);
    const fires: Fire[] = [];
    let hidden = 0;
    for (const view of await ui.deps.api.pipelines()) {
      if (view.schedule === null) continue;
      let times: Date[];
      try {
        const schedule = parseSchedule(view.schedule);
        if (schedule.reboot) continue;
        times = fireTimesBetween(schedule, view.timezone, now, until, PER_PIPELINE + 1);
      } catch {
        continue;
      }
      if (times.length > PER_PIPELINE) {
        hidden += 1;
        times = times.slice(0, PER_PIPELINE);
      }
      const words = await scheduleWords(view.schedule);
      for (const at of times) fires.push({ at, view, words });
    }
    fires.sort((a, b) => a.at.getTime() - b.at.getTime() || a.view.name.localeCompare(b.view.name));
    const cut = Math.max(0, fires.length - TOTAL);
    return page(c, ui, { title: 'Upcoming', nav: 'upcoming', topics: ['pipelines'] }, <UpcomingPage fires={fires.slice(0, TOTAL)} cut={cut} hidden={hidden} now={now} />);
  });
};

const UpcomingPage: FC<{ fires: Fire[]; cut: number; hidden: number; now: Date }> = ({ fires, cut, hidden, now }) => (
  <>
    <h1>Upcoming</h1>
    <p class="muted">Fire times of the next 24 hours, in each pipeline's time zone.</p>
    <section id="upcoming" data-live="pipelines">
      {fires.length === 0 ? (
        <p class="muted">Nothing fires in the next 24 hours.</p>
      ) : (
        <table class="list">
          <thead>
            <tr>
              <th>When</th>
              <th>Pipeline</th>
              <th>Schedule</th>
            </tr>
          </thead>
          <tbody>
            {fires.map((fire) => (
              <tr class={fire.view.paused ? 'paused' : undefined}>
                <td data-label="When">
                  <span class="mono">{isoWithOffset(fire.at, fire.view.timezone).slice(0, 16).replace('T', ' ')}</span> <span class="muted small">{fire.view.timezone}</span>{' '}
                  <Time iso={fire.at.toISOString()} now={now} />
                </td>
                <td data-label="Pipeline">
                  <a href={`/pipelines/${encodeURIComponent(fire.view.name)}`}>{fire.view.name}</a>
                  {fire.view.paused && <span class="badge s-paused">paused: skipped</span>}
                </td>
                <td data-label="Schedule">{fire.words}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(cut > 0 || hidden > 0) && (
        <p class="muted">
          {cut > 0 && `${cut} more fire times not shown. `}
          {hidden > 0 && `${hidden} pipeline(s) fire more than ${PER_PIPELINE} times a day; only their first ${PER_PIPELINE} are listed.`}
        </p>
      )}
    </section>
  </>
);
