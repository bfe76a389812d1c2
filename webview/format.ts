// How numbers, money and times read in the panel. Pure, so the same words appear in every view.
import type { ModelInfo } from '../contract/index.ts';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function tokens(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : integer.format(n);
}

/** Dollars with enough digits that a cheap run does not read as free. */
export function usd(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'unpriced';
  if (value === 0) return '$0';
  const abs = Math.abs(value);
  const digits = abs >= 1 ? 2 : Math.min(8, Math.max(2, 1 - Math.floor(Math.log10(abs)) + 2));
  const text = abs.toFixed(digits).replace(/\.0+$/, '').replace(/(\.\d*?[1-9])0+$/, '$1');
  return `${value < 0 ? '−' : ''}$${text}`;
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

export function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

const perMillion = (n: number) => usd(n);

/** "$2.5 in · $0.25 cached · $15 out per 1M tokens", or why there is no price. */
export function priceLine(model: ModelInfo | undefined): string {
  if (!model) return 'Unknown model: runs will not be priced';
  if (model.inputPerMTok === null || model.outputPerMTok === null) return 'No price in the service’s table: runs will not be priced';
  const cached = model.cachedInputPerMTok === null ? '' : ` · ${perMillion(model.cachedInputPerMTok)} cached`;
  return `${perMillion(model.inputPerMTok)} in${cached} · ${perMillion(model.outputPerMTok)} out per 1M tokens`;
}
