// "5 minutes ago" for the versions in the tree: the age matters more than the clock time.

const UNITS: [limitSeconds: number, unitSeconds: number, name: string][] = [
  [60 * 60, 60, 'minute'],
  [24 * 60 * 60, 60 * 60, 'hour'],
  [30 * 24 * 60 * 60, 24 * 60 * 60, 'day'],
  [365 * 24 * 60 * 60, 30 * 24 * 60 * 60, 'month'],
  [Number.POSITIVE_INFINITY, 365 * 24 * 60 * 60, 'year'],
];

export function relativeTime(iso: string, now: Date): string {
  const seconds = Math.round((now.getTime() - new Date(iso).getTime()) / 1000);
  // A clock a little ahead of the service's still reads as "just now".
  if (seconds < 45) return 'just now';
  for (const [limit, unit, name] of UNITS) {
    if (seconds < limit) {
      const count = Math.max(1, Math.round(seconds / unit));
      return `${count} ${name}${count === 1 ? '' : 's'} ago`;
    }
  }
  return new Date(iso).toISOString().slice(0, 10);
}
