/**
 * Times as people read them: "in 5 min", "3 h ago", with the exact instant (and zone) in a `<time>` element's
 * datetime and title. Relative words are computed by the server at render time; the client refreshes them.
 */
import type { FC } from 'hono/jsx';

export function relative(instant: Date, now: Date): string {
  const ms = instant.getTime() - now.getTime();
  const future = ms > 0;
  const abs = Math.abs(ms);
  let words: string;
  if (abs < 45_000) return future ? 'in a moment' : 'just now';
  if (abs < 3600_000) words = `${Math.round(abs / 60_000)} min`;
  else if (abs < 48 * 3600_000) words = `${Math.round(abs / 3600_000)} h`;
  else words = `${Math.round(abs / 86_400_000)} d`;
  return future ? `in ${words}` : `${words} ago`;
}

/** `iso` is an ISO 8601 instant (with its offset); `now` the render time. */
export const Time: FC<{ iso: string | null | undefined; now: Date; empty?: string }> = (props) => {
  if (props.iso === null || props.iso === undefined) return <span class="muted">{props.empty ?? '—'}</span>;
  const instant = new Date(props.iso);
  if (Number.isNaN(instant.getTime())) return <span>{props.iso}</span>;
  return (
    <time datetime={instant.toISOString()} title={props.iso}>
      {relative(instant, props.now)}
    </time>
  );
};
