// 복지 현황 지도 (/map): dong boundaries as SVG, a choropleth of one indicator and year with a
// legend of its class breaks, facility points by type, a selected dong's figures, and a table of
// the same numbers for screen readers and anyone who prefers one.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import {
  formatValue, indicatorName, unitLabel, type DongCollection, type Indicator, type Series, type Statistics,
} from '../atlas';
import { label as termLabel, useVocabulary, type Facility, type FacilityPage } from '../catalog';
import { DongMap, Swatch, type DongShade } from '../components/dongmap';
import { myDong } from '../geo';
import { SectionTabs } from '../components/pager';
import { ErrorSummary, Field, problemToErrors, type FormError } from '../forms';
import { Loading, Page } from '../page';
import { Link, navigate, useSearch } from '../router';
import { placeName, t, useAppState } from '../store';

export function AtlasTabs({ current }: { current: string }) {
  return <SectionTabs label={t('atlas.tabs')} current={current}
    tabs={[{ href: '/map', label: t('nav.map') }, { href: '/statistics', label: t('nav.statistics') }]} />;
}

let indicatorsCache: Indicator[] | null = null;
export function useIndicators(): { list: Indicator[] | null; errors: FormError[] } {
  const [list, setList] = useState<Indicator[] | null>(indicatorsCache);
  const [errors, setErrors] = useState<FormError[]>([]);
  useEffect(() => {
    if (list) return;
    api<{ items: Indicator[] }>('GET', '/api/v1/statistics/indicators')
      .then((r) => { indicatorsCache = r.items || []; setList(indicatorsCache); })
      .catch((e) => { setList([]); setErrors(problemToErrors(e, [])); });
  }, []);
  return { list, errors };
}
export function refreshIndicators() { indicatorsCache = null; }

export function statIndicator(s: Statistics | null, list: Indicator[] | null): Indicator | null {
  if (!s) return null;
  if (typeof s.indicator === 'object' && s.indicator) return s.indicator;
  return list?.find((i) => i.code === s.indicator) || null;
}

// Indicator and year pickers; they apply at once (the content below updates, focus stays).
export function StatControls({ idPrefix, indicators, indicator, year, years, onChange, children }: {
  idPrefix: string; indicators: Indicator[]; indicator: string; year: number | null; years: number[];
  onChange: (indicator: string, year: number | null) => void; children?: any;
}) {
  return (
    <form class="panel stat-controls no-print" aria-label={t('stats.controls')} onSubmit={(e) => e.preventDefault()}>
      <div class="filter-grid">
        <Field id={`${idPrefix}-indicator`} label={t('stats.indicator')}>
          {(a) => (
            <select class="krds-form-select" value={indicator} {...a}
              onChange={(e) => onChange((e.target as HTMLSelectElement).value, null)}>
              {indicators.map((i) => <option key={i.code} value={i.code}>{indicatorName(i)}</option>)}
            </select>
          )}
        </Field>
        <Field id={`${idPrefix}-year`} label={t('stats.year')}>
          {(a) => (
            <select class="krds-form-select" value={year ? String(year) : ''} {...a}
              onChange={(e) => onChange(indicator, Number((e.target as HTMLSelectElement).value) || null)}>
              {[...years].reverse().map((y) => <option key={y} value={String(y)}>{t('stats.yearN', { y })}</option>)}
            </select>
          )}
        </Field>
        {children}
      </div>
    </form>
  );
}

export function Legend({ stats, unit, id }: { stats: Statistics; unit: string; id?: string }) {
  const b = stats.breaks?.breaks || [];
  const classes = Math.max(0, b.length - 1);
  const count = (i: number) => stats.dongs.filter((d) => d.class === i).length;
  const missing = stats.dongs.filter((d) => d.value === null).length;
  return (
    <div class="map-legend" id={id}>
      <h2 class="legend-title">{t('map.legend')}</h2>
      <p class="legend-method">{t('map.method', { method: t(stats.breaks?.method === 'quantile' ? 'map.method.quantile' : 'map.method.other'), n: classes })}</p>
      <ul class="legend-list">
        {Array.from({ length: classes }, (_, i) => (
          <li key={i} class="legend-item">
            <Swatch cls={i} />
            <span><strong>{t('map.classN', { n: i + 1 })}</strong> {formatValue(b[i], unit)} ~ {formatValue(b[i + 1], unit)}
              <span class="legend-count"> · {t('map.dongCount', { n: count(i) })}</span></span>
          </li>
        ))}
        {missing > 0 && <li class="legend-item"><Swatch cls={null} /><span>{t('stats.noData')} · {t('map.dongCount', { n: missing })}</span></li>}
      </ul>
      <p class="legend-note">{t('map.legend.note')}</p>
    </div>
  );
}

// The same numbers as the map, as a table.
export function StatTable({ stats, ind, unit, selected, caption }: { stats: Statistics; ind: Indicator | null; unit: string; selected?: string | null; caption: string }) {
  const b = stats.breaks?.breaks || [];
  return (
    <div class="krds-table-wrap stat-table-wrap">
      <table class="tbl data stat-table">
        <caption>{caption}</caption>
        <thead>
          <tr><th scope="col">{t('stats.dong')}</th><th scope="col" class="num">{t('stats.value')}{unit ? ` (${unitLabel(unit)})` : ''}</th><th scope="col">{t('map.class')}</th></tr>
        </thead>
        <tbody>
          {stats.dongs.map((d) => (
            <tr key={d.dong_id} class={selected === String(d.dong_id) ? 'is-selected' : undefined}>
              <th scope="row">{placeName(d)}</th>
              <td class="num">{formatValue(d.value, unit)}</td>
              <td>{d.class === null ? '–' : `${t('map.classN', { n: d.class + 1 })} (${formatValue(b[d.class], unit)} ~ ${formatValue(b[d.class + 1], unit)})`}</td>
            </tr>
          ))}
        </tbody>
        {stats.district && (
          <tfoot>
            <tr><th scope="row">{t('stats.district')}</th><td class="num">{formatValue(stats.district.value, unit)}</td>
              <td>{stats.district.computed ? t('stats.computed') : ''}</td></tr>
          </tfoot>
        )}
      </table>
      {(stats.source || ind?.source) && <p class="table-source">{t('stats.source')}: {stats.source || ind?.source}</p>}
    </div>
  );
}

interface MapState { indicator: string; year: number | null; type: string; dong: string | null }
function parse(p: URLSearchParams): MapState {
  const y = Number(p.get('year'));
  return { indicator: p.get('indicator') || '', year: Number.isInteger(y) && y > 0 ? y : null, type: p.get('type') ?? 'admin_welfare_center', dong: p.get('dong') };
}
function query(s: MapState): string {
  const p = new URLSearchParams();
  if (s.indicator) p.set('indicator', s.indicator);
  if (s.year) p.set('year', String(s.year));
  if (s.type !== 'admin_welfare_center') p.set('type', s.type);
  if (s.dong) p.set('dong', s.dong);
  const q = p.toString();
  return q ? '?' + q : '';
}

const MAX_FACILITY_PAGES = 3;

export function MapPage() {
  useAppState();
  const st = parse(useSearch());
  const vocab = useVocabulary();
  const { list: indicators, errors: indErrors } = useIndicators();
  const [geo, setGeo] = useState<DongCollection | null>(null);
  const [stats, setStats] = useState<Statistics | null>(null);
  const [series, setSeries] = useState<Series | null>(null);
  const [facilities, setFacilities] = useState<{ items: Facility[]; total: number } | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const seq = useRef(0);
  const indicator = st.indicator || indicators?.[0]?.code || '';
  const go = (patch: Partial<MapState>) => navigate('/map' + query({ ...st, indicator, ...patch }), { replace: true, keepScroll: true });

  useEffect(() => {
    api<DongCollection>('GET', '/api/v1/map/dongs').then(setGeo)
      .catch((e) => { setGeo({ type: 'FeatureCollection', features: [] }); setErrors(problemToErrors(e, [])); });
  }, []);
  useEffect(() => {
    if (!indicator) return;
    const n = ++seq.current;
    const q = new URLSearchParams({ indicator });
    if (st.year) q.set('year', String(st.year));
    api<Statistics>('GET', `/api/v1/statistics?${q}`)
      .then((r) => { if (n === seq.current) setStats(r); })
      .catch((e) => { if (n === seq.current) { setStats(null); setErrors(problemToErrors(e, [])); } });
  }, [indicator, st.year]);
  useEffect(() => {
    setSeries(null);
    if (!indicator || !st.dong) return;
    api<Series>('GET', `/api/v1/statistics/series?indicator=${encodeURIComponent(indicator)}&dong=${encodeURIComponent(st.dong)}`)
      .then(setSeries).catch(() => setSeries(null));
  }, [indicator, st.dong]);
  useEffect(() => {
    setFacilities(null);
    if (st.type === 'none') return;
    let cancelled = false;
    (async () => {
      const items: Facility[] = [];
      let total = 0;
      for (let page = 1; page <= MAX_FACILITY_PAGES; page++) {
        const q = new URLSearchParams({ page: String(page) });
        if (st.type && st.type !== 'all') q.set('type', st.type);
        try {
          const r = await api<FacilityPage>('GET', `/api/v1/facilities?${q}`);
          items.push(...r.items); total = r.total;
          if (page * r.page_size >= r.total) break;
        } catch { break; }
      }
      if (!cancelled) setFacilities({ items, total });
    })();
    return () => { cancelled = true; };
  }, [st.type]);

  const ind = statIndicator(stats, indicators);
  const unit = stats?.unit ?? ind?.unit ?? '';
  const shades = new Map<string, DongShade>();
  for (const d of stats?.dongs || []) shades.set(String(d.dong_id), { value: formatValue(d.value, unit), cls: d.value === null ? null : d.class });
  const features = geo?.features || [];
  const sel = st.dong ? stats?.dongs.find((d) => String(d.dong_id) === st.dong || d.code === st.dong) : null;
  const selId = sel ? String(sel.dong_id) : null;
  const ranked = (stats?.dongs || []).filter((d) => d.value !== null).sort((a, b) => (b.value! - a.value!));
  const rank = sel ? ranked.findIndex((d) => d.dong_id === sel.dong_id) + 1 : 0;
  const dots = (facilities?.items || []).filter((f) => typeof f.latitude === 'number' && typeof f.longitude === 'number')
    .map((f) => ({ id: f.id, name: f.name, lat: f.latitude!, lon: f.longitude! }));
  const typeName = st.type === 'all' ? t('map.types.all') : termLabel(vocab?.facility_type.find((x) => x.code === st.type)) || st.type;
  const title = ind && stats?.year ? t('map.figure', { indicator: indicatorName(ind), year: stats.year }) : t('map.title');
  const allErrors = [...indErrors, ...errors];

  return (
    <Page title={t('map.title')} lead={t('map.lead')} wide crumbs={[{ label: t('nav.atlas') }, { label: t('map.title') }]}>
      <AtlasTabs current="/map" />
      <ErrorSummary errors={allErrors} idPrefix="map" />
      {indicators && indicators.length > 0 && (
        <StatControls idPrefix="map" indicators={indicators} indicator={indicator} year={stats?.year ?? st.year}
          years={stats?.years || ind?.years || []} onChange={(i, y) => go({ indicator: i, year: y })}>
          <Field id="map-type" label={t('map.facilities')}>
            {(a) => (
              <select class="krds-form-select" value={st.type} {...a} onChange={(e) => go({ type: (e.target as HTMLSelectElement).value })}>
                <option value="none">{t('map.types.none')}</option>
                <option value="all">{t('map.types.all')}</option>
                {(vocab?.facility_type || []).map((ty) => <option key={ty.code} value={ty.code}>{termLabel(ty)}</option>)}
              </select>
            )}
          </Field>
        </StatControls>
      )}
      {(!geo || (!stats && !allErrors.length)) && <Loading />}
      {geo && stats && (
        <>
          <div class="map-layout">
            <figure class="map-figure">
              <h2 class="map-figure-title" id="map-figure-title">{title}</h2>
              {features.length ? (
                <DongMap features={features} shades={shades} selected={selId} dots={dots} myDong={myDong()}
                  label={title} captionId="map-caption" onSelect={(id) => go({ dong: id === selId ? null : id })} />
              ) : <p class="notice-box">{t('map.noBoundaries')}</p>}
              <figcaption class="map-caption" id="map-caption">{t('map.caption.choro')}</figcaption>
            </figure>
            <div class="map-side">
              <Legend stats={stats} unit={unit} />
              {st.type !== 'none' && (
                <p class="map-dot-legend"><svg class="dot-swatch" viewBox="0 0 20 20" aria-hidden="true"><circle class="map-dot" cx="10" cy="10" r="6" /></svg>
                  {facilities ? t('map.dots', { type: typeName, n: facilities.items.length, total: facilities.total }) : t('loading')}</p>
              )}
              <section class="dong-panel" aria-labelledby="dong-panel-title" aria-live="polite">
                <h2 class="legend-title" id="dong-panel-title">{sel ? placeName(sel) : t('map.pick')}</h2>
                {!sel && <p class="muted">{t('map.pick.text')}</p>}
                {sel && (
                  <>
                    <p class="dong-figure">{formatValue(sel.value, unit)}</p>
                    <dl class="place-info dong-info">
                      <div><dt>{t('stats.indicator')}</dt><dd>{indicatorName(ind)} ({t('stats.yearN', { y: stats.year ?? '' })})</dd></div>
                      {sel.class !== null && <div><dt>{t('map.class')}</dt><dd>{t('map.classN', { n: sel.class + 1 })}</dd></div>}
                      {rank > 0 && <div><dt>{t('map.rank')}</dt><dd>{t('map.rankN', { n: rank, total: ranked.length })}</dd></div>}
                      {stats.district && <div><dt>{t('stats.district')}</dt><dd>{formatValue(stats.district.value, unit)}</dd></div>}
                      {sel.source && <div><dt>{t('stats.source')}</dt><dd>{sel.source}</dd></div>}
                    </dl>
                    {series && series.items.length > 0 && (
                      <table class="mini-table">
                        <caption>{t('map.series', { dong: placeName(sel) })}</caption>
                        <thead><tr><th scope="col">{t('stats.year')}</th><th scope="col" class="num">{t('stats.value')}</th></tr></thead>
                        <tbody>{series.items.map((p) => <tr key={p.year}><th scope="row">{p.year}</th><td class="num">{formatValue(p.value, unit)}</td></tr>)}</tbody>
                      </table>
                    )}
                    <p><Link class="text-link" href={`/facilities?dong=${encodeURIComponent(String(sel.dong_id))}`}>{t('map.dongFacilities', { dong: placeName(sel) })}</Link></p>
                  </>
                )}
              </section>
            </div>
          </div>
          <section class="service-section" aria-labelledby="map-table-title">
            <h2 class="section-title" id="map-table-title">{t('map.tableTitle')}</h2>
            <StatTable stats={stats} ind={ind} unit={unit} selected={selId} caption={t('map.tableCaption', { indicator: indicatorName(ind), year: stats.year ?? '' })} />
          </section>
          {facilities && facilities.items.length > 0 && (
            <details class="map-facilities">
              <summary>{t('map.facilityList', { type: typeName, n: facilities.items.length })}</summary>
              <ul class="map-facility-list">
                {facilities.items.map((f) => <li key={f.id}><Link class="text-link" href={`/facilities/${encodeURIComponent(f.id)}`}>{f.name}</Link> <span class="muted">{f.address}</span></li>)}
              </ul>
            </details>
          )}
        </>
      )}
    </Page>
  );
}
