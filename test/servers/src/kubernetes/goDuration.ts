/**
 * Go's `time.Duration` text form, as Flux specs write intervals and timeouts
 * (`5m`, `1m30s`, `1.5h`, `500ms`) and as Flux messages print them (`5m0s`).
 */

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const PART = /(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;

/**
 * Milliseconds of a Go duration string, or `undefined` when it is not one
 * (Go's `time.ParseDuration` grammar, without a sign).
 */
export function parseGoDuration(text: string | undefined): number | undefined {
  if (!text) return undefined;
  if (text === '0') return 0;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text);
    if (!match) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2]];
  }
  return total;
}

/** Go's `Duration.String()` of a number of milliseconds: `5m0s`, `1h2m3.5s`, `250ms`. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${trimNumber(ms)}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  let text = '';
  if (hours > 0) text += `${hours}h`;
  if (hours > 0 || minutes > 0) text += `${minutes}m`;
  return `${text}${trimNumber(seconds)}s`;
}

function trimNumber(value: number): string {
  return String(Number(value.toFixed(9)));
}
