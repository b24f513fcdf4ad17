/** A run's or task's status as a coloured badge, and a strip of recent runs' statuses (oldest left). */
import type { FC } from 'hono/jsx';

/** Statuses the stylesheet colours (`.s-<status>`); anything else is shown grey. */
export const KNOWN_STATUSES = ['success', 'failed', 'running', 'pending', 'queued', 'skipped', 'cancelled', 'interrupted', 'upstream_failed', 'timed_out'] as const;

export function statusClass(status: string): string {
  return `s-${(KNOWN_STATUSES as readonly string[]).includes(status) ? status : 'other'}`;
}

export const StatusBadge: FC<{ status: string }> = (props) => <span class={`badge ${statusClass(props.status)}`}>{props.status.replace('_', ' ')}</span>;

export interface StripItem {
  status: string;
  title: string;
  href?: string | undefined;
}

export const StatusStrip: FC<{ items: StripItem[]; size?: number }> = (props) => {
  const size = props.size ?? 10;
  const blanks = Math.max(0, size - props.items.length);
  return (
    <span class="strip" aria-label={`last ${props.items.length} runs`}>
      {Array.from({ length: blanks }, () => (
        <span class="cell empty"></span>
      ))}
      {props.items.map((item) =>
        item.href === undefined ? (
          <span class={`cell ${statusClass(item.status)}`} title={item.title}></span>
        ) : (
          <a class={`cell ${statusClass(item.status)}`} title={item.title} href={item.href}></a>
        ),
      )}
    </span>
  );
};
