/**
 * Success rate and duration over a pipeline's latest runs: the rate as a sentence, the durations as a small bar
 * chart (oldest left, each bar coloured by its run's status, a link to the run).
 */
import type { Child } from 'hono/jsx';
import { formatDuration } from '../../util/duration.js';
import type { Trend } from './recent-runs.js';

const BAR = 8;
const GAP = 2;
const HEIGHT = 48;

export function TrendChart({ trend, runHref }: { trend: Trend; runHref: (id: string) => string }): Child {
  const points = [...trend.points].reverse();
  const longest = Math.max(1, ...points.map((point) => point.duration_ms ?? 0));
  const width = Math.max(BAR, points.length * (BAR + GAP));
  const rate = trend.ended === 0 ? null : Math.round((trend.succeeded / trend.ended) * 100);
  return (
    <figure class="trend">
      <figcaption>
        {rate === null
          ? 'No run has ended yet.'
          : `${rate}% of the last ${trend.ended} ended runs succeeded (${trend.succeeded} of ${trend.ended}); longest ${formatDuration(longest)}.`}
      </figcaption>
      <svg xmlns="http://www.w3.org/2000/svg" width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`} role="img" aria-label="duration of each run">
        {points.map((point, index) => {
          const height = point.duration_ms === null ? 2 : Math.max(2, Math.round((point.duration_ms / longest) * (HEIGHT - 2)));
          return (
            <a href={runHref(point.id)}>
              <rect class={`bar s-${point.status}`} x={index * (BAR + GAP)} y={HEIGHT - height} width={BAR} height={height}>
                <title>{`${point.id}: ${point.status}${point.duration_ms === null ? '' : `, ${formatDuration(point.duration_ms)}`}`}</title>
              </rect>
            </a>
          );
        })}
      </svg>
    </figure>
  );
}
