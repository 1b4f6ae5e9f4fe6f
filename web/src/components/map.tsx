// The facility map without a tile server (issue 16): the district's real neighbourhoods drawn from
// their boundaries, "내 동네" shaded, facility points numbered like the list next to it, the place
// the resident typed, a north arrow and a scale bar. Drawn at the map's real width so the labels
// (in rem) grow with the text size; a label that would cover another is left off (the list names
// everything). The list, not the picture, carries the information.
import { distanceText, fittingLabels, labelEm, pathOf, project, centroid, area, useDongShapes, useWidth } from '../geo';
import { getState, placeName, t } from '../store';

export interface MapPoint { id: string; name: string; lat: number; lon: number; n?: number }

function niceMetres(m: number): number {
  const steps = [50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000];
  let best = steps[0];
  for (const s of steps) if (s <= m) best = s;
  return best;
}

export function PointMap({ points, title, myDong, origin }: {
  points: MapPoint[]; title: string; myDong?: string; origin?: { lat: number; lon: number; label: string } | null;
}) {
  const shapes = useDongShapes();
  const [ref, width] = useWidth<HTMLDivElement>();
  const pts = points.filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon) && (p.lat !== 0 || p.lon !== 0));
  if (!pts.length) return null;
  const features = shapes ?? [];
  const extra = [...pts, ...(origin ? [origin] : [])];
  const p = width > 0 ? project(features, width, features.length ? [] : extra, 14, Math.max(240, Math.round(width * 1.1))) : null;
  const em = p ? labelEm(1.3) : 13;
  const mine = myDong ? features.find((f) => String(f.properties.dong_id) === myDong) : undefined;
  const labelled = p ? fittingLabels(
    [...features].sort((a, b) => (String(b.properties.dong_id) === myDong ? 1 : 0) - (String(a.properties.dong_id) === myDong ? 1 : 0) || area(b) - area(a))
      .map((f) => { const [lon, lat] = centroid(f); return { id: String(f.properties.dong_id), x: p.x(lon), y: p.y(lat), text: placeName(f.properties) }; }),
    p, em) : new Set<string>();
  let scale = null;
  if (p) {
    const bar = niceMetres(p.metresPerPx * Math.min(120, p.w / 3));
    scale = { px: bar / p.metresPerPx, label: bar >= 1000 ? `${bar / 1000} km` : `${bar} m` };
  }
  return (
    <figure class="point-map">
      <div ref={ref} class="point-map-box">
        {p && (
          <svg width={p.w} height={p.h} viewBox={`0 0 ${p.w} ${p.h}`} role="img" aria-label={title}>
            <rect class="map-bg" x="0" y="0" width={p.w} height={p.h} />
            <g class="map-dongs">
              {features.map((f) => {
                const id = String(f.properties.dong_id);
                return <path key={id} class={`map-dong${id === myDong ? ' is-mine' : ''}`} d={pathOf(f, p)} />;
              })}
            </g>
            <g class="map-dong-labels">
              {features.filter((f) => labelled.has(String(f.properties.dong_id))).map((f) => {
                const [lon, lat] = centroid(f);
                const id = String(f.properties.dong_id);
                return <text key={id} class={`map-dong-label${id === myDong ? ' is-mine' : ''}`} x={p.x(lon).toFixed(1)} y={p.y(lat).toFixed(1)} text-anchor="middle" dominant-baseline="middle">{placeName(f.properties)}</text>;
              })}
            </g>
            {origin && (
              <g class="map-origin" transform={`translate(${p.x(origin.lon).toFixed(1)} ${p.y(origin.lat).toFixed(1)})`}>
                <path d="M0 0 L-9 -20 A10 10 0 1 1 9 -20 Z" />
                <circle cy="-21" r="4" class="map-origin-hole" />
              </g>
            )}
            {pts.map((q, i) => (
              <g key={q.id} class="map-point" transform={`translate(${p.x(q.lon).toFixed(1)} ${p.y(q.lat).toFixed(1)})`}>
                <circle r={Math.max(11, em * 0.75)} />
                <text text-anchor="middle" dominant-baseline="central">{q.n ?? i + 1}</text>
              </g>
            ))}
            <g class="map-north" transform={`translate(${p.w - 30} 10)`}>
              <path d="M10 0 L18 22 L10 17 L2 22 Z" />
              <text x="10" y={22 + em} text-anchor="middle">{t('map.north')}</text>
            </g>
            {scale && (
              <g class="map-scale" transform={`translate(12 ${p.h - 12})`}>
                <path d={`M0 -6 V0 H${scale.px.toFixed(1)} V-6`} />
                <text x={scale.px + 6} y="0">{scale.label}</text>
              </g>
            )}
          </svg>
        )}
      </div>
      <figcaption class="map-caption">
        {features.length ? t('map.caption.dongs') : t('map.caption')}
        {mine && <> {t('map.mine.caption', { dong: placeName(mine.properties) })}</>}
        {origin && <> {t('map.origin.caption', { place: origin.label })}</>}
      </figcaption>
    </figure>
  );
}

// "가까운 순" badge text for a card.
export function distanceLabel(m: number): string { return distanceText(m, getState().lang === 'ko'); }
