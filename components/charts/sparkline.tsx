import { formatRate } from '../format';
import { sparklineLeadIn, sparklinePoints, type RateSeries } from './rate-series';

const WIDTH = 64;
const HEIGHT = 20;
/** One slot per snapshot (1/s) of the last minute: the line grows from the right, never stretches. */
const SLOTS = 60;
const PAD = 1.5;

/**
 * Inline SVG sparkline of the last minute's rate. Fixed size, so rows never shift as it fills.
 * While the minute is not full, a faint dotted lead-in marks the time not seen yet, so a fresh
 * page shows a line from the first snapshot on instead of a lone spike.
 */
export function Sparkline({ series }: { series: RateSeries }) {
  const { values } = series;
  const points = sparklinePoints(values, WIDTH, HEIGHT, SLOTS, PAD);
  const leadIn = sparklineLeadIn(values, WIDTH, HEIGHT, SLOTS, PAD);
  const label =
    values.length === 0
      ? 'Rate history: waiting for snapshots'
      : values.length < SLOTS
        ? `Rate over the last ${values.length} s (the line fills the minute as snapshots arrive), peak ${formatRate(series.max)}/s`
        : `Rate over the last minute, peak ${formatRate(series.max)}/s`;
  const [x, y] = points.split(' ')[0]?.split(',').map(Number) ?? [];
  return (
    <svg className="sparkline" width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} data-testid="rate-sparkline" data-points={values.length}>
      <title>{label}</title>
      <line className="sparkline-base" x1={0} x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} />
      {leadIn && <line className="sparkline-lead" x1={leadIn.x1} x2={leadIn.x2} y1={leadIn.y} y2={leadIn.y} data-testid="sparkline-lead" />}
      {values.length > 1 && <polyline className="sparkline-line" points={points} />}
      {values.length === 1 && x !== undefined && y !== undefined && <circle className="sparkline-dot" cx={x} cy={y} r={1.5} />}
    </svg>
  );
}
