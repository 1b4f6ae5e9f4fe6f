// The district's neighbourhoods for every map (issue 16): dong shapes from GET /api/v1/map/dongs
// (the demo district is drawn on Seoul 중랑구's 2013 boundaries, data/geo/NOTICE.md), a projection
// to the map's real width (one SVG unit = one CSS pixel, so labels in rem follow the text size),
// "내 동네" remembered on this device, and a small geocoder that turns what a resident types into a
// point: a dong's name (its centre) — no outside request, no tile server.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api';
import type { DongCollection, DongFeature } from './atlas';

let shapes: Promise<DongFeature[]> | null = null;
export function loadDongShapes(): Promise<DongFeature[]> {
  if (!shapes) shapes = api<DongCollection>('GET', '/api/v1/map/dongs').then((g) => g.features ?? []).catch((e) => { shapes = null; throw e; });
  return shapes;
}
export function useDongShapes(): DongFeature[] | null {
  const [f, setF] = useState<DongFeature[] | null>(null);
  useEffect(() => { loadDongShapes().then(setF).catch(() => setF([])); }, []);
  return f;
}

// The element's width in CSS pixels, followed as it changes (rotation, text size, layout).
export function useWidth<T extends Element>(): [preact.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [w, setW] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setW(Math.round(el.getBoundingClientRect().width));
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, w];
}

export function rings(f: DongFeature): number[][][] {
  return f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat();
}

// Area-weighted centroid of the largest outer ring, as [lon, lat].
export function centroid(f: DongFeature): [number, number] {
  const outers = f.geometry.type === 'Polygon' ? [f.geometry.coordinates[0]] : f.geometry.coordinates.map((p) => p[0]);
  let best: [number, number] = [0, 0], bestA = -1;
  for (const r of outers) {
    let a = 0, cx = 0, cy = 0;
    for (let i = 0; i < r.length - 1; i++) {
      const [x0, y0] = r[i], [x1, y1] = r[i + 1];
      const c = x0 * y1 - x1 * y0;
      a += c; cx += (x0 + x1) * c; cy += (y0 + y1) * c;
    }
    if (a !== 0 && Math.abs(a) > bestA) { bestA = Math.abs(a); best = [cx / (3 * a), cy / (3 * a)]; }
  }
  return best;
}
export function area(f: DongFeature): number {
  let s = 0;
  for (const r of rings(f)) for (let i = 0; i < r.length - 1; i++) s += r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1];
  return Math.abs(s / 2);
}

export interface Projection { w: number; h: number; x: (lon: number) => number; y: (lat: number) => number; metresPerPx: number }
// Fits the shapes (and any extra points) into `width` CSS px; the height follows the district's shape.
export function project(features: DongFeature[], width: number, extra: { lat: number; lon: number }[] = [], pad = 12, maxH = 560): Projection {
  let minLon = Infinity, maxLon = -Infinity, minLat = Infinity, maxLat = -Infinity;
  const add = (lon: number, lat: number) => { minLon = Math.min(minLon, lon); maxLon = Math.max(maxLon, lon); minLat = Math.min(minLat, lat); maxLat = Math.max(maxLat, lat); };
  for (const f of features) for (const r of rings(f)) for (const [lon, lat] of r) add(lon, lat);
  for (const p of extra) add(p.lon, p.lat);
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxLon - minLon) * k, 1e-6), spanY = Math.max(maxLat - minLat, 1e-6);
  const w = Math.max(200, width);
  const h = Math.min(maxH, Math.max(200, Math.round(((w - 2 * pad) * spanY) / spanX + 2 * pad)));
  const scale = Math.min((w - 2 * pad) / spanX, (h - 2 * pad) / spanY);
  const offX = (w - spanX * scale) / 2, offY = (h - spanY * scale) / 2;
  return { w, h, x: (lon) => offX + (lon - minLon) * k * scale, y: (lat) => offY + (maxLat - lat) * scale, metresPerPx: 111320 / scale };
}
export function pathOf(f: DongFeature, p: Projection): string {
  return rings(f).map((r) => 'M' + r.map(([lon, lat]) => `${p.x(lon).toFixed(1)} ${p.y(lat).toFixed(1)}`).join('L') + 'Z').join('');
}

// Labels that fit: largest dongs first, each kept only if its box (estimated from the root font
// size: Korean glyphs are about 1 em wide) overlaps no kept one and stays inside the map.
export function fittingLabels(items: { id: string; x: number; y: number; text: string; lines?: number }[], p: Projection, em: number): Set<string> {
  const kept: { x0: number; y0: number; x1: number; y1: number }[] = [];
  const out = new Set<string>();
  for (const it of items) {
    const w = Math.max(2, it.text.length) * em * 0.95, h = em * 1.25 * (it.lines ?? 1);
    const box = { x0: it.x - w / 2 - 2, y0: it.y - h / 2 - 2, x1: it.x + w / 2 + 2, y1: it.y + h / 2 + 2 };
    if (box.x0 < 0 || box.x1 > p.w || box.y0 < 0 || box.y1 > p.h) continue;
    if (kept.some((k) => box.x0 < k.x1 && box.x1 > k.x0 && box.y0 < k.y1 && box.y1 > k.y0)) continue;
    kept.push(box);
    out.add(it.id);
  }
  return out;
}
// The label size in CSS px (the root font size follows the text-size setting).
export function labelEm(rem = 1.4): number {
  const root = parseFloat(getComputedStyle(document.documentElement).fontSize) || 10;
  return root * rem;
}

// ---- 내 동네 (this device only): the same choice the service pages keep (service-apply.ts) ----------
export { loadMyDong as myDong, saveMyDong as setMyDong } from './service-apply';

// ---- where the resident typed ---------------------------------------------------------------------
export interface Place { lat: number; lon: number; dongId: string; dongName: string; how: 'dong' }
// Finds the dong named in the text ("은행동", "한빛구 은행동 느티로 12", "은행") and answers its
// centre. The longest matching name wins ("가람1동" before "가람동").
export function geocode(text: string, features: DongFeature[], name: (f: DongFeature) => string): Place | null {
  const q = text.replace(/\s+/g, '');
  if (q.length < 2) return null;
  let best: DongFeature | null = null, bestLen = 0;
  for (const f of features) {
    const full = f.properties.name_ko.replace(/\s+/g, '');
    const stem = full.replace(/동$/, '');
    const en = (f.properties.name_en || '').toLowerCase().replace(/[\s-]+/g, '');
    const ql = q.toLowerCase().replace(/-/g, '');
    const hit = q.includes(full) ? full.length : (stem.length >= 2 && q.includes(stem)) ? stem.length : (en && ql.includes(en.replace(/dong$/, ''))) ? en.length : 0;
    if (hit > bestLen) { best = f; bestLen = hit; }
  }
  if (!best) return null;
  const [lon, lat] = centroid(best);
  return { lat, lon, dongId: String(best.properties.dong_id), dongName: name(best), how: 'dong' };
}

// Metres between two points (haversine).
export function metres(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const R = 6371008.8, r = Math.PI / 180;
  const dLat = (b.lat - a.lat) * r, dLon = (b.lon - a.lon) * r;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(s));
}
export function distanceText(m: number, ko: boolean): string {
  if (m < 1000) return `${Math.max(10, Math.round(m / 10) * 10)} m`;
  return `${(m / 1000).toFixed(1)} km`;
}
