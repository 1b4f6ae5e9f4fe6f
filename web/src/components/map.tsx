// A small map without a tile server: facility points drawn on an SVG, numbered like the list next
// to it, with a north arrow and a scale bar. The list, not the picture, carries the information.
import { t } from '../store';

export interface MapPoint { id: string; name: string; lat: number; lon: number; n?: number }

const W = 640, H = 380, PAD = 36;

function niceMetres(m: number): number {
  const steps = [50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000];
  let best = steps[0];
  for (const s of steps) if (s <= m) best = s;
  return best;
}

export function PointMap({ points, title }: { points: MapPoint[]; title: string }) {
  const pts = points.filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon) && (p.lat !== 0 || p.lon !== 0));
  if (!pts.length) return null;
  let minLat = Math.min(...pts.map((p) => p.lat)), maxLat = Math.max(...pts.map((p) => p.lat));
  let minLon = Math.min(...pts.map((p) => p.lon)), maxLon = Math.max(...pts.map((p) => p.lon));
  const lat0 = (minLat + maxLat) / 2;
  const k = Math.cos((lat0 * Math.PI) / 180);
  // At least ~1.5 km across so a single point sits in a sensible frame.
  const minSpan = 0.014;
  if (maxLat - minLat < minSpan) { const c = (minLat + maxLat) / 2; minLat = c - minSpan / 2; maxLat = c + minSpan / 2; }
  if ((maxLon - minLon) * k < minSpan) { const c = (minLon + maxLon) / 2; minLon = c - minSpan / k / 2; maxLon = c + minSpan / k / 2; }
  const spanX = (maxLon - minLon) * k, spanY = maxLat - minLat;
  const scale = Math.min((W - 2 * PAD) / spanX, (H - 2 * PAD) / spanY); // px per degree of latitude
  const offX = (W - spanX * scale) / 2, offY = (H - spanY * scale) / 2;
  const x = (lon: number) => offX + (lon - minLon) * k * scale;
  const y = (lat: number) => offY + (maxLat - lat) * scale;
  const metresPerPx = 111320 / scale;
  const bar = niceMetres(metresPerPx * 140);
  const barPx = bar / metresPerPx;
  const barLabel = bar >= 1000 ? `${bar / 1000} km` : `${bar} m`;
  const grid = [];
  for (let gx = 40; gx < W; gx += 80) grid.push(<line key={`x${gx}`} x1={gx} y1={0} x2={gx} y2={H} />);
  for (let gy = 40; gy < H; gy += 80) grid.push(<line key={`y${gy}`} x1={0} y1={gy} x2={W} y2={gy} />);
  return (
    <figure class="point-map">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} preserveAspectRatio="xMidYMid meet">
        <rect class="map-bg" x="0" y="0" width={W} height={H} />
        <g class="map-grid">{grid}</g>
        <g class="map-north" transform={`translate(${W - 34} 18)`}>
          <path d="M10 0 L18 22 L10 17 L2 22 Z" />
          <text x="10" y="38" text-anchor="middle">{t('map.north')}</text>
        </g>
        <g class="map-scale" transform={`translate(16 ${H - 18})`}>
          <path d={`M0 -6 V0 H${barPx} V-6`} />
          <text x={barPx + 8} y="0">{barLabel}</text>
        </g>
        {pts.map((p, i) => (
          <g key={p.id} class="map-point" transform={`translate(${x(p.lon).toFixed(1)} ${y(p.lat).toFixed(1)})`}>
            <circle r="13" />
            <text y="5" text-anchor="middle">{p.n ?? i + 1}</text>
          </g>
        ))}
      </svg>
      <figcaption class="map-caption">{t('map.caption')}</figcaption>
    </figure>
  );
}
