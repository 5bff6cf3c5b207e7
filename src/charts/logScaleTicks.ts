// Ticks and labels for the chart's logarithmic size axis. Bytes tick at powers of two (64 KB,
// 128 KB, 256 KB — the sizes people recognise, in the binary units formatBytes uses), counts at
// round steps of powers of ten (100k, 300k, 1M, or 100k, 200k, 500k). Of the series from coarse to fine, the finest
// that puts at most MAX_TICKS ticks inside the domain wins; a domain too narrow for two ticks of
// any series gets its two ends and the geometric middle.

export type LogUnit = 'bytes' | 'count';

const MAX_TICKS = 7;

/** Mantissas per period (2 for bytes, 10 for counts), coarse to fine; `stride` skips periods. */
interface Series {
  period: number;
  mantissas: readonly number[];
  stride: number;
}

const SERIES: Record<LogUnit, readonly Series[]> = {
  bytes: [
    { period: 2, mantissas: [1], stride: 8 },
    { period: 2, mantissas: [1], stride: 4 },
    { period: 2, mantissas: [1], stride: 2 },
    { period: 2, mantissas: [1], stride: 1 },
    { period: 2, mantissas: [1, 1.5], stride: 1 },
    { period: 2, mantissas: [1, 1.25, 1.5, 1.75], stride: 1 },
  ],
  count: [
    { period: 10, mantissas: [1], stride: 3 },
    { period: 10, mantissas: [1], stride: 2 },
    { period: 10, mantissas: [1], stride: 1 },
    { period: 10, mantissas: [1, 3], stride: 1 },
    { period: 10, mantissas: [1, 2, 5], stride: 1 },
    { period: 10, mantissas: [1, 2, 3, 5], stride: 1 },
    { period: 10, mantissas: [1, 2, 3, 4, 5, 6, 7, 8, 9], stride: 1 },
  ],
};

function ticksOf(series: Series, min: number, max: number): number[] {
  const first = Math.floor(Math.log(min) / Math.log(series.period)) - 1;
  const last = Math.ceil(Math.log(max) / Math.log(series.period)) + 1;
  const ticks: number[] = [];
  for (let power = first; power <= last; power++) {
    // Strided series stay aligned to whole strides (2^0, 2^4, 2^8...) so ticks do not wander with the data.
    if (((power % series.stride) + series.stride) % series.stride !== 0) continue;
    for (const mantissa of series.mantissas) {
      const value = mantissa * series.period ** power;
      if (value >= min * (1 - 1e-12) && value <= max * (1 + 1e-12)) ticks.push(value);
    }
  }
  return ticks;
}

/** Ticks inside [min, max] (0 < min ≤ max), ascending: 2 to MAX_TICKS of them. */
export function logScaleTicks(min: number, max: number, unit: LogUnit): number[] {
  if (!(min > 0) || !(max >= min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  let finest: number[] = [];
  for (const series of SERIES[unit]) {
    const ticks = ticksOf(series, min, max);
    if (ticks.length > MAX_TICKS) break;
    finest = ticks;
  }
  return finest.length >= 2 ? finest : [min, Math.sqrt(min * max), max];
}

/** The domain around the data: a little room on both sides, the same on a log scale. */
export function logDomain(min: number, max: number): [number, number] {
  const lower = Math.max(min, Number.MIN_VALUE);
  const upper = Math.max(max, lower);
  // One point alone gets a factor of two either side, several get a fifth of the span's ratio.
  const margin = upper === lower ? 2 : Math.max(1.15, (upper / lower) ** 0.08);
  return [lower / margin, upper * margin];
}

/** At most three significant digits, trailing zeros dropped: 64, 1.5, 0.25, 100. */
function shortNumber(value: number): string {
  return String(Number(value.toPrecision(3)));
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];
const COUNT_UNITS: [number, string][] = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** A tick's label: 65536 bytes → "64 KB", 1.5 MiB → "1.5 MB", 200000 → "200k". */
export function formatLogTick(value: number, unit: LogUnit): string {
  if (unit === 'bytes') {
    let scaled = value;
    let index = 0;
    while (scaled >= 1024 && index < BYTE_UNITS.length - 1) {
      scaled /= 1024;
      index += 1;
    }
    return `${shortNumber(scaled)} ${BYTE_UNITS[index]}`;
  }
  const found = COUNT_UNITS.find(([size]) => value >= size);
  return found ? `${shortNumber(value / found[0])}${found[1]}` : shortNumber(value);
}
