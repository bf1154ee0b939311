import { formatRate } from '../format';
import { sparklinePoints, type RateSeries } from './rate-series';

const WIDTH = 64;
const HEIGHT = 20;
/** One slot per snapshot (1/s) of the last minute: the line grows from the right, never stretches. */
const SLOTS = 60;

/** Inline SVG sparkline of the last minute's rate. Fixed size, so rows never shift as it fills. */
export function Sparkline({ series }: { series: RateSeries }) {
  const points = sparklinePoints(series.values, WIDTH, HEIGHT, SLOTS, 1.5);
  const label = series.values.length > 1 ? `Rate over the last minute, peak ${formatRate(series.max)}/s` : 'Rate history: waiting for snapshots';
  return (
    <svg className="sparkline" width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} data-testid="rate-sparkline" data-points={series.values.length}>
      <title>{label}</title>
      <line className="sparkline-base" x1={0} x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} />
      {series.values.length > 1 && <polyline className="sparkline-line" points={points} />}
    </svg>
  );
}
