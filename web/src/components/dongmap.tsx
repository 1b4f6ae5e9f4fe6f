// The district drawn from its dong boundaries (GeoJSON, lon/lat) as SVG: no tile server.
// A choropleth shades each dong by its class; every class also has its own hatching and every
// dong carries its name and value, so colour is never the only cue. Dongs are buttons (Tab,
// Enter/Space) that select the dong; facility points sit on top and are decoration only (the
// page lists them).
import type { DongFeature } from '../atlas';
import { placeName, t } from '../store';

export interface DongShade { value: string; cls: number | null }
export interface MapDot { id: string; lat: number; lon: number; name: string }

const W = 720, H = 520, PAD = 24;

function rings(f: DongFeature): number[][][] {
  return f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat();
}

// Area-weighted centroid of the largest outer ring (good enough for a label).
function labelPoint(f: DongFeature): [number, number] {
  const outers = f.geometry.type === 'Polygon' ? [f.geometry.coordinates[0]] : f.geometry.coordinates.map((p) => p[0]);
  let best: [number, number] = [0, 0], bestA = -1;
  for (const r of outers) {
    let a = 0, cx = 0, cy = 0;
    for (let i = 0; i < r.length - 1; i++) {
      const [x0, y0] = r[i], [x1, y1] = r[i + 1];
      const c = x0 * y1 - x1 * y0;
      a += c; cx += (x0 + x1) * c; cy += (y0 + y1) * c;
    }
    if (Math.abs(a) > bestA && a !== 0) { bestA = Math.abs(a); best = [cx / (3 * a), cy / (3 * a)]; }
  }
  return best;
}

export function projection(features: DongFeature[]) {
  let minLon = Infinity, maxLon = -Infinity, minLat = Infinity, maxLat = -Infinity;
  for (const f of features) for (const r of rings(f)) for (const [lon, lat] of r) {
    minLon = Math.min(minLon, lon); maxLon = Math.max(maxLon, lon); minLat = Math.min(minLat, lat); maxLat = Math.max(maxLat, lat);
  }
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxLon - minLon) * k, 1e-6), spanY = Math.max(maxLat - minLat, 1e-6);
  const scale = Math.min((W - 2 * PAD) / spanX, (H - 2 * PAD) / spanY);
  const offX = (W - spanX * scale) / 2, offY = (H - spanY * scale) / 2;
  const x = (lon: number) => offX + (lon - minLon) * k * scale;
  const y = (lat: number) => offY + (maxLat - lat) * scale;
  return { x, y, inside: (lat: number, lon: number) => lat >= minLat && lat <= maxLat && lon >= minLon && lon <= maxLon };
}

function pathOf(f: DongFeature, x: (n: number) => number, y: (n: number) => number): string {
  return rings(f).map((r) => 'M' + r.map(([lon, lat]) => `${x(lon).toFixed(1)} ${y(lat).toFixed(1)}`).join('L') + 'Z').join('');
}

// Hatching per class: none, dots, diagonal lines, cross-hatch, dense diagonal.
export function ClassPatterns({ prefix }: { prefix: string }) {
  return (
    <defs>
      <pattern id={`${prefix}-p1`} width="8" height="8" patternUnits="userSpaceOnUse"><circle class="hatch-fill hatch-1" cx="4" cy="4" r="1.4" /></pattern>
      <pattern id={`${prefix}-p2`} width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line class="hatch hatch-2" x1="0" y1="0" x2="0" y2="8" /></pattern>
      <pattern id={`${prefix}-p3`} width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><path class="hatch hatch-3" d="M0 0V8M0 4H8" /></pattern>
      <pattern id={`${prefix}-p4`} width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><line class="hatch hatch-4" x1="0" y1="0" x2="0" y2="5" /></pattern>
      <pattern id={`${prefix}-nodata`} width="10" height="10" patternUnits="userSpaceOnUse"><path class="hatch hatch-none" d="M0 10L10 0" /></pattern>
    </defs>
  );
}

// A legend swatch: the same fill and hatching as the map.
export function Swatch({ cls }: { cls: number | null }) {
  return (
    <svg class="swatch" viewBox="0 0 32 20" aria-hidden="true" focusable="false">
      <ClassPatterns prefix="sw" />
      <rect class={cls === null ? 'choro-none' : `choro-${cls}`} x="0" y="0" width="32" height="20" />
      {cls !== null && cls > 0 && <rect x="0" y="0" width="32" height="20" fill={`url(#sw-p${cls})`} />}
      {cls === null && <rect x="0" y="0" width="32" height="20" fill="url(#sw-nodata)" />}
      <rect class="swatch-edge" x="0.5" y="0.5" width="31" height="19" />
    </svg>
  );
}

export function DongMap({ features, shades, selected, onSelect, dots, label, captionId }: {
  features: DongFeature[]; shades: Map<string, DongShade>; selected: string | null;
  onSelect: (dongId: string) => void; dots: MapDot[]; label: string; captionId: string;
}) {
  if (!features.length) return null;
  const { x, y, inside } = projection(features);
  const ordered = [...features].sort((a, b) => (String(a.properties.dong_id) === selected ? 1 : 0) - (String(b.properties.dong_id) === selected ? 1 : 0));
  return (
    <svg class="dong-map" viewBox={`0 0 ${W} ${H}`} role="group" aria-label={label} aria-describedby={captionId} preserveAspectRatio="xMidYMid meet">
      <ClassPatterns prefix="dm" />
      <rect class="map-bg" x="0" y="0" width={W} height={H} />
      {ordered.map((f) => {
        const id = String(f.properties.dong_id);
        const sh = shades.get(id);
        const cls = sh ? sh.cls : null;
        const d = pathOf(f, x, y);
        const name = placeName(f.properties);
        const sel = selected === id;
        const act = (e: Event) => { e.preventDefault(); onSelect(id); };
        return (
          <g key={id} class={`dong${sel ? ' is-selected' : ''}`} data-dong={id} role="button" tabindex={0}
            aria-pressed={sel ? 'true' : 'false'}
            aria-label={`${name}: ${sh ? sh.value : t('stats.noData')}${cls !== null ? ', ' + t('map.classN', { n: cls + 1 }) : ''}`}
            onClick={act} onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') act(e); }}>
            <path class={cls === null ? 'choro-none' : `choro-${cls}`} d={d} />
            {cls !== null && cls > 0 && <path class="hatch-layer" d={d} fill={`url(#dm-p${cls})`} />}
            {cls === null && <path class="hatch-layer" d={d} fill="url(#dm-nodata)" />}
            <path class="dong-edge" d={d} />
          </g>
        );
      })}
      <g class="map-dots" aria-hidden="true">
        {dots.filter((p) => inside(p.lat, p.lon)).map((p) => (
          <circle key={p.id} class="map-dot" cx={x(p.lon).toFixed(1)} cy={y(p.lat).toFixed(1)} r="5"><title>{p.name}</title></circle>
        ))}
      </g>
      <g class="dong-labels" aria-hidden="true">
        {features.map((f) => {
          const id = String(f.properties.dong_id);
          const [lon, lat] = labelPoint(f);
          const sh = shades.get(id);
          return (
            <text key={id} class="dong-label" x={x(lon).toFixed(1)} y={y(lat).toFixed(1)} text-anchor="middle">
              <tspan x={x(lon).toFixed(1)} dy="-0.2em">{placeName(f.properties)}</tspan>
              <tspan x={x(lon).toFixed(1)} dy="1.25em" class="dong-value">{sh ? sh.value : '–'}</tspan>
            </text>
          );
        })}
      </g>
    </svg>
  );
}
