// The district drawn from its dong boundaries (GeoJSON, lon/lat) as SVG: no tile server.
// A choropleth shades each dong by its class; every class also has its own hatching and every
// dong carries its name and value, so colour is never the only cue. Dongs are buttons (Tab,
// Enter/Space) that select the dong; facility points sit on top and are decoration only (the
// page lists them).
import type { DongFeature } from '../atlas';
import { area, centroid, fittingLabels, labelEm, pathOf, project, rings, useWidth } from '../geo';
import { placeName, t } from '../store';

export interface DongShade { value: string; cls: number | null }
export interface MapDot { id: string; lat: number; lon: number; name: string }

// Kept for callers that place dots: inside the drawn box.
export function projection(features: DongFeature[], width = 720) {
  const p = project(features, width, [], 16, 640);
  const xs = features.flatMap((f) => rings(f).flat());
  const minLon = Math.min(...xs.map((c) => c[0])), maxLon = Math.max(...xs.map((c) => c[0]));
  const minLat = Math.min(...xs.map((c) => c[1])), maxLat = Math.max(...xs.map((c) => c[1]));
  return { ...p, inside: (lat: number, lon: number) => lat >= minLat && lat <= maxLat && lon >= minLon && lon <= maxLon };
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

export function DongMap({ features, shades, selected, onSelect, dots, label, captionId, myDong }: {
  features: DongFeature[]; shades: Map<string, DongShade>; selected: string | null;
  onSelect: (dongId: string) => void; dots: MapDot[]; label: string; captionId: string; myDong?: string;
}) {
  const [ref, width] = useWidth<HTMLDivElement>();
  if (!features.length) return null;
  return <div ref={ref} class="dong-map-box">{width > 0 && <DongMapSvg {...{ features, shades, selected, onSelect, dots, label, captionId, myDong, width }} />}</div>;
}

function DongMapSvg({ features, shades, selected, onSelect, dots, label, captionId, myDong, width }: {
  features: DongFeature[]; shades: Map<string, DongShade>; selected: string | null;
  onSelect: (dongId: string) => void; dots: MapDot[]; label: string; captionId: string; myDong?: string; width: number;
}) {
  const pr = projection(features, width);
  const { x, y, inside, w: W, h: H } = pr;
  const em = labelEm(1.4);
  // Name and value on two lines; the largest dongs first, a label that would cover another is left off.
  const shown = fittingLabels([...features].sort((a, b) => area(b) - area(a)).map((f) => {
    const [lon, lat] = centroid(f);
    const id = String(f.properties.dong_id);
    const name = placeName(f.properties), value = shades.get(id)?.value ?? '–';
    return { id, x: x(lon), y: y(lat), text: name.length > value.length ? name : value, lines: 2 };
  }), pr, em);
  const ordered = [...features].sort((a, b) => (String(a.properties.dong_id) === selected ? 1 : 0) - (String(b.properties.dong_id) === selected ? 1 : 0));
  return (
    <svg class="dong-map" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="group" aria-label={label} aria-describedby={captionId}>
      <ClassPatterns prefix="dm" />
      <rect class="map-bg" x="0" y="0" width={W} height={H} />
      {ordered.map((f) => {
        const id = String(f.properties.dong_id);
        const sh = shades.get(id);
        const cls = sh ? sh.cls : null;
        const d = pathOf(f, pr);
        const name = placeName(f.properties);
        const sel = selected === id;
        const act = (e: Event) => { e.preventDefault(); onSelect(id); };
        return (
          <g key={id} class={`dong${sel ? ' is-selected' : ''}${id === myDong ? ' is-mine' : ''}`} data-dong={id} role="button" tabindex={0}
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
        {features.filter((f) => shown.has(String(f.properties.dong_id))).map((f) => {
          const id = String(f.properties.dong_id);
          const [lon, lat] = centroid(f);
          const sh = shades.get(id);
          return (
            <text key={id} class="dong-label" x={x(lon).toFixed(1)} y={y(lat).toFixed(1)} text-anchor="middle">
              <tspan x={x(lon).toFixed(1)} dy="-0.15em">{placeName(f.properties)}</tspan>
              <tspan x={x(lon).toFixed(1)} dy="1.25em" class="dong-value">{sh ? sh.value : '–'}</tspan>
            </text>
          );
        })}
      </g>
    </svg>
  );
}
