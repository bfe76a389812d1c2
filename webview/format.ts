// How numbers, money and times read in the panel. Pure, so the same words appear in every view.
import type { ModelInfo } from '../contract/index.ts';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function tokens(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : integer.format(n);
}

/**
 * Dollars as a reader compares them: two decimals from one cent up ("$12.50", "$0.10"); below a
 * cent up to four significant digits, so a cheap run does not read as free ("$0.001039", "$0.00745").
 */
export function usd(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'unpriced';
  if (value === 0) return '$0';
  const abs = Math.abs(value);
  const text = (abs >= 0.01 ? cents : fourDigits).format(abs);
  return `${value < 0 ? '−' : ''}$${text}`;
}
const cents = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const fourDigits = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });

/** "1 run", "2 runs", "0 runs": a count with its noun agreeing. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${integer.format(n)} ${n === 1 ? singular : plural}`;
}

/** A signed difference, "+120" / "−$0.0012", for the compare view. */
export function signed(delta: number, format: (n: number) => string): string {
  if (delta === 0) return '±0';
  return delta > 0 ? `+${format(delta)}` : `−${format(-delta)}`;
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A full date and time, for headings and tooltips. */
export function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/**
 * A short time for a table cell, kept on one line: "14:05" today, "Nov 27 14:05" earlier in the
 * year, "Nov 27, 2025" before that. The full time is the cell's tooltip (`when`).
 */
export function whenShort(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const time = date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });
  if (date.toDateString() === now.toDateString()) return time;
  if (date.getFullYear() === now.getFullYear()) return `${date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${time}`;
  return date.toLocaleDateString(undefined, { month: 'short', day: 'numeric', year: 'numeric' });
}

const perMillion = (n: number) => usd(n);

/** "$2.5 in · $0.25 cached · $15 out per 1M tokens", or why there is no price. */
export function priceLine(model: ModelInfo | undefined): string {
  if (!model) return 'Unknown model: runs will not be priced';
  if (model.inputPerMTok === null || model.outputPerMTok === null) return 'No price in the service’s table: runs will not be priced';
  const cached = model.cachedInputPerMTok === null ? '' : ` · ${perMillion(model.cachedInputPerMTok)} cached`;
  return `${perMillion(model.inputPerMTok)} in${cached} · ${perMillion(model.outputPerMTok)} out per 1M tokens`;
}
