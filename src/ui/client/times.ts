/** Keeps "in 5 min" / "3 h ago" true while a page stays open (the browser's clock; nothing is fetched). */
function relative(instant: Date, now: Date): string {
  const ms = instant.getTime() - now.getTime();
  const abs = Math.abs(ms);
  if (abs < 45_000) return ms > 0 ? 'in a moment' : 'just now';
  const words = abs < 3600_000 ? `${Math.round(abs / 60_000)} min` : abs < 48 * 3600_000 ? `${Math.round(abs / 3600_000)} h` : `${Math.round(abs / 86_400_000)} d`;
  return ms > 0 ? `in ${words}` : `${words} ago`;
}

export function refreshTimes(): void {
  const now = new Date();
  for (const element of document.querySelectorAll<HTMLTimeElement>('time[datetime]')) {
    const instant = new Date(element.dateTime);
    if (!Number.isNaN(instant.getTime()) && !element.hasAttribute('data-absolute')) element.textContent = relative(instant, now);
  }
}

export function initTimes(): void {
  window.setInterval(refreshTimes, 30_000);
}
