// 복지시설: list with filters (/facilities) and one facility (/facilities/:id).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { formatNumber, label, pageWindow, useVocabulary, type Facility, type FacilityPage, type ServiceSummary } from '../catalog';
import { ErrorSummary, Field, problemToErrors, type FormError } from '../forms';
import { distanceLabel, PointMap } from '../components/map';
import { centroid, geocode, metres, myDong, setMyDong, useDongShapes } from '../geo';
import { FacilityDisclosures } from './disclosures';
import { Loading, Page, PageNumber } from '../page';
import { Link, navigate, useSearch } from '../router';
import { placeName, t, tKey, useAppState } from '../store';

// near: the id of the dong whose centre the list is sorted from (found from what the resident typed).
interface FacState { type: string; dong: string; q: string; page: number; near: string }

function parse(p: URLSearchParams): FacState {
  const page = Number(p.get('page') || '1');
  return { type: p.get('type') || '', dong: p.get('dong') || '', q: p.get('q') || '', page: Number.isInteger(page) && page > 0 ? page : 1, near: /^\d+$/.test(p.get('near') || '') ? p.get('near')! : '' };
}
function query(s: FacState, nearAt?: string): string {
  const p = new URLSearchParams();
  if (s.type) p.set('type', s.type);
  if (s.dong) p.set('dong', s.dong);
  if (s.q.trim()) p.set('q', s.q.trim());
  if (nearAt) p.set('near', nearAt);
  else if (s.near) p.set('near', s.near);
  if (s.page > 1) p.set('page', String(s.page));
  const str = p.toString();
  return str ? '?' + str : '';
}

function telHref(phone: string) { return `tel:${phone.replace(/[^0-9+]/g, '')}`; }

// 가까운 시설 찾기: what the resident types becomes a dong (geo.ts geocode), the list is sorted from
// its centre; that dong can be kept as 내 동네 on this device.
function NearForm({ state, mine, onMine }: { state: FacState; mine: string; onMine: (id: string) => void }) {
  const shapes = useDongShapes();
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [saved, setSaved] = useState('');
  const name = (id: string) => { const f = shapes?.find((x) => String(x.properties.dong_id) === id); return f ? placeName(f.properties) : ''; };
  function submit(e: Event) {
    e.preventDefault();
    setSaved('');
    if (!text.trim()) { setError(t('near.required')); return; }
    const hit = shapes ? geocode(text, shapes, (f) => placeName(f.properties)) : null;
    if (!hit) { setError(t('near.notFound')); return; }
    setError('');
    navigate('/facilities' + query({ ...state, page: 1, near: hit.dongId }));
  }
  return (
    <section class="panel near-form" aria-labelledby="near-title">
      <h2 id="near-title" class="panel-title">{t('near.title')}</h2>
      <p class="section-lead">{t('near.lead')}</p>
      <form noValidate onSubmit={submit} role="search" aria-label={t('near.title')}>
        <Field id="near-q" label={t('near.q')} hint={t('near.q.hint')} error={error || undefined} required={false}>
          {(a) => (
            <div class="search-row">
              <input class="krds-input" type="search" autoComplete="street-address" value={text} maxLength={100} {...a}
                onInput={(e) => setText((e.target as HTMLInputElement).value)} />
              <button type="submit" class="krds-btn primary large">{t('near.submit')}</button>
            </div>
          )}
        </Field>
      </form>
      {state.near && name(state.near) && (
        <div class="near-now">
          <p role="status">{t('near.from', { place: name(state.near) })}</p>
          <div class="button-row">
            {mine !== state.near && (
              <button type="button" class="krds-btn secondary medium" onClick={() => { onMine(state.near); setSaved(t('near.mineSaved', { dong: name(state.near) })); }}>{t('near.mine')}</button>
            )}
            <Link href={'/facilities' + query({ ...state, page: 1, near: '' })} class="krds-btn tertiary medium">{t('near.clear')}</Link>
          </div>
        </div>
      )}
      <p class={`status-message${saved ? ' is-visible' : ''}`} role="status">{saved}</p>
      {mine && name(mine) && (
        <p class="near-mine" data-field="my-dong">{t('near.mineIs', { dong: name(mine) })}{' '}
          <button type="button" class="krds-btn text small" onClick={() => { onMine(''); setSaved(''); }}>{t('near.mineForget')}</button></p>
      )}
    </section>
  );
}

function useDongs() {
  const s = useAppState();
  return (s.districts || []).flatMap((d) => d.dongs.map((dong) => ({ ...dong, district: d })));
}

export function Facilities() {
  useAppState();
  const state = parse(useSearch());
  const key = query(state);
  const vocab = useVocabulary();
  const dongs = useDongs();
  const [form, setForm] = useState(state);
  const [res, setRes] = useState<FacilityPage | null>(null);
  const [busy, setBusy] = useState(true);
  const [errors, setErrors] = useState<FormError[]>([]);
  const resultsRef = useRef<HTMLHeadingElement>(null);
  const seq = useRef(0);
  const shapes = useDongShapes();
  const [mine, setMine] = useState(myDong());
  // The centre the list is sorted from: the named dong's centroid (API near=lat,lon,radius).
  const nearDong = state.near && shapes ? shapes.find((f) => String(f.properties.dong_id) === state.near) : undefined;
  const origin = nearDong ? (() => { const [lon, lat] = centroid(nearDong); return { lat, lon, label: placeName(nearDong.properties) }; })() : null;
  const apiKey = state.near ? (origin ? query(state, `${origin.lat.toFixed(5)},${origin.lon.toFixed(5)},8000`) : null) : key;

  useEffect(() => { setForm(state); }, [key]);
  useEffect(() => {
    if (apiKey === null) { if (shapes) setRes(null); return; }
    const n = ++seq.current;
    setBusy(true);
    api<FacilityPage>('GET', `/api/v1/facilities${apiKey}`)
      .then((r) => { if (n === seq.current) { setRes(r); setErrors([]); } })
      .catch((e) => { if (n === seq.current) { setRes(null); setErrors(problemToErrors(e, [])); } })
      .finally(() => { if (n === seq.current) setBusy(false); });
  }, [apiKey]);

  function toPage(page: number) {
    navigate('/facilities' + query({ ...state, page }));
    setTimeout(() => resultsRef.current?.focus(), 50);
  }

  const pages = res ? Math.max(1, Math.ceil(res.total / Math.max(1, res.page_size))) : 1;
  const first = res ? (res.page - 1) * res.page_size : 0;
  const points = (res?.items || []).filter((f) => typeof f.latitude === 'number' && typeof f.longitude === 'number')
    .map((f) => ({ id: f.id, name: f.name, lat: f.latitude!, lon: f.longitude!, n: first + res!.items.indexOf(f) + 1 }));
  const types = vocab?.facility_type || [];

  return (
    <Page title={t('facilities.title')} lead={t('facilities.lead')} wide crumbs={[{ label: t('facilities.title') }]}>
      <NearForm state={state} mine={mine} onMine={(id) => { setMyDong(id); setMine(id); }} />
      <form class="panel facility-filters" role="search" aria-label={t('facilities.filters')} noValidate
        onSubmit={(e) => { e.preventDefault(); navigate('/facilities' + query({ ...form, page: 1 })); }}>
        <h2 class="panel-title">{t('facilities.filters')}</h2>
        <div class="filter-grid">
          <Field id="fac-type" label={t('facilities.type')} required={false}>
            {(a) => (
              <select class="krds-form-select" name="type" value={form.type} {...a}
                onChange={(e) => setForm({ ...form, type: (e.target as HTMLSelectElement).value })}>
                <option value="">{t('facilities.all')}</option>
                {types.map((ty) => <option key={ty.code} value={ty.code}>{label(ty)}</option>)}
              </select>
            )}
          </Field>
          <Field id="fac-dong" label={t('facilities.dong')} required={false}>
            {(a) => (
              <select class="krds-form-select" name="dong" value={form.dong} {...a}
                onChange={(e) => setForm({ ...form, dong: (e.target as HTMLSelectElement).value })}>
                <option value="">{t('facilities.all')}</option>
                {dongs.map((d) => <option key={d.id} value={String(d.id)}>{placeName(d)}</option>)}
              </select>
            )}
          </Field>
          <Field id="fac-q" label={t('facilities.q')} hint={t('facilities.q.hint')} required={false}>
            {(a) => (
              <input class="krds-input" type="search" name="q" value={form.q} maxLength={200} {...a}
                onInput={(e) => setForm({ ...form, q: (e.target as HTMLInputElement).value })} />
            )}
          </Field>
        </div>
        <div class="button-row filter-actions">
          <button type="submit" class="krds-btn primary large btn-block-mobile">{t('facilities.submit')}</button>
          {(state.type || state.dong || state.q) && (
            <Link href="/facilities" class="krds-btn tertiary large btn-block-mobile">{t('facet.clear')}</Link>
          )}
        </div>
      </form>
      <ErrorSummary errors={errors} idPrefix="facilities" />
      <section aria-labelledby="fac-results-title">
        <h2 class="results-title" id="fac-results-title" ref={resultsRef} tabIndex={-1}>{t('facilities.results')}</h2>
        <p class="results-total" role="status" aria-live="polite" aria-atomic="true">
          {busy && !res ? t('loading') : res ? (
            <>{t('services.total.pre')}<strong>{formatNumber(res.total)}</strong>{t('facilities.total.post', { n: res.total })}{pages > 1 ? ` · ${t('services.pageOf', { page: res.page, pages })}` : ''}</>
          ) : ''}
        </p>
        {res && res.total === 0 && (
          <div class="empty-state"><h3 class="empty-title">{t('facilities.empty')}</h3><p>{t('facilities.empty.text')}</p></div>
        )}
        {!res && busy && <Loading />}
        {res && res.items.length > 0 && (
          <div class="facility-layout">
            <ol class={`place-list facility-list${busy ? ' is-busy' : ''}`} start={first + 1}>
              {res.items.map((f, i) => (
                <li key={f.id} class="place-item">
                  <span class="place-n" aria-hidden="true">{first + i + 1}</span>
                  <div>
                    <p class="place-type"><span class="krds-badge bg-light-secondary facility-badge">{label(f.type)}</span></p>
                    <h3 class="place-name"><Link href={`/facilities/${encodeURIComponent(f.id)}`}>{f.name}</Link></h3>
                    {origin && typeof f.latitude === 'number' && typeof f.longitude === 'number' && (
                      <p class="place-distance" data-field="distance">{t('near.distance', { place: origin.label, d: distanceLabel(metres(origin, { lat: f.latitude, lon: f.longitude! })) })}</p>
                    )}
                    <dl class="place-info">
                      {f.address && <div><dt>{t('facility.address')}</dt><dd>{f.address}</dd></div>}
                      {f.phone && <div><dt>{t('facility.phone')}</dt><dd><a href={telHref(f.phone)}>{f.phone}</a></dd></div>}
                      {f.hours && <div><dt>{t('facility.hours')}</dt><dd>{f.hours}</dd></div>}
                    </dl>
                  </div>
                </li>
              ))}
            </ol>
            <div class="facility-map">
              <PointMap points={points} title={t('map.titleN', { n: points.length })} myDong={mine} origin={origin} />
            </div>
          </div>
        )}
        {res && pages > 1 && (
          <nav class="krds-pagination result-pages" aria-label={t('facilities.pagination')}>
            {res.page > 1 ? (
              <Link class="page-navi prev" href={'/facilities' + query({ ...state, page: res.page - 1 })}
                onClick={(e: MouseEvent) => { e.preventDefault(); toPage(res.page - 1); }}>{t('admin.prev')}</Link>
            ) : <span class="page-navi prev disabled" aria-hidden="true">{t('admin.prev')}</span>}
            <div class="page-links">
              {pageWindow(res.page, pages).map((p, i) => p === null ? <span key={`d${i}`} class="page-link link-dot" aria-hidden="true">…</span> : (
                <Link key={p} class={`page-link${p === res.page ? ' active' : ''}`} href={'/facilities' + query({ ...state, page: p })}
                  aria-current={p === res.page ? 'page' : undefined}
                  onClick={(e: MouseEvent) => { e.preventDefault(); toPage(p); }}><PageNumber n={p} /></Link>
              ))}
            </div>
            {res.page < pages ? (
              <Link class="page-navi next" href={'/facilities' + query({ ...state, page: res.page + 1 })}
                onClick={(e: MouseEvent) => { e.preventDefault(); toPage(res.page + 1); }}>{t('admin.next')}</Link>
            ) : <span class="page-navi next disabled" aria-hidden="true">{t('admin.next')}</span>}
          </nav>
        )}
      </section>
    </Page>
  );
}

export function FacilityPage({ id }: { id: string }) {
  const s = useAppState();
  const [f, setF] = useState<Facility | null>(null);
  const [error, setError] = useState<'notfound' | FormError[] | null>(null);
  useEffect(() => {
    api<Facility>('GET', `/api/v1/facilities/${encodeURIComponent(id)}`)
      .then(setF)
      .catch((e) => setError(e instanceof ApiError && (e.status === 404 || e.status === 422) ? 'notfound' : problemToErrors(e, [])));
  }, [id]);

  if (error === 'notfound') {
    return (
      <Page title={t('facility.notFound')}>
        <p>{t('service.notFound.text')}</p>
        <div class="button-row"><Link href="/facilities" class="krds-btn primary large">{t('nav.facilities')}</Link></div>
      </Page>
    );
  }
  if (error) return <Page title={t('error.title')}><ErrorSummary errors={error} idPrefix="facility" /></Page>;
  if (!f) return <Page title={t('facilities.title')}><Loading /></Page>;

  const dong = (s.districts || []).flatMap((d) => d.dongs).find((d) => String(d.id) === String(f.dong_id));
  const services: ServiceSummary[] = f.services || [];
  const hasPoint = typeof f.latitude === 'number' && typeof f.longitude === 'number';

  return (
    <Page title={f.name} wide crumbs={[{ href: '/facilities', label: t('facilities.title') }, { label: f.name }]}>
      <div class="service-meta"><span class="krds-badge bg-light-secondary facility-badge">{label(f.type)}</span>
        {dong && <span class="service-alt">{placeName(dong)}</span>}</div>
      {f.description && <p class="service-summary">{f.description}</p>}
      <div class="facility-detail">
        <section class="service-section" aria-labelledby="facility-info">
          <h2 class="section-title" id="facility-info">{t('facility.info')}</h2>
          <dl class="info-list">
            {f.address && <div><dt>{t('facility.address')}</dt><dd>{f.address}</dd></div>}
            {f.phone && <div><dt>{t('facility.phone')}</dt><dd><a class="text-link" href={telHref(f.phone)}>{f.phone}</a></dd></div>}
            {f.hours && <div><dt>{t('facility.hours')}</dt><dd>{f.hours}</dd></div>}
            {typeof f.capacity === 'number' && f.capacity > 0 && <div><dt>{t('facility.capacity')}</dt><dd>{t('facility.capacity.n', { n: formatNumber(f.capacity) })}</dd></div>}
            {dong && <div><dt>{t('facilities.dong')}</dt><dd>{placeName(dong)}</dd></div>}
          </dl>
        </section>
        {hasPoint && (
          <section class="service-section" aria-labelledby="facility-where">
            <h2 class="section-title" id="facility-where">{t('facility.where')}</h2>
            <PointMap points={[{ id: f.id, name: f.name, lat: f.latitude!, lon: f.longitude!, n: 1 }]} title={t('map.titleOne', { name: f.name })} myDong={myDong()} />
          </section>
        )}
      </div>
      <section class="service-section" aria-labelledby="facility-access">
        <h2 class="section-title" id="facility-access">{t('facility.accessibility')}</h2>
        {f.accessibility.length ? (
          <ul class="access-list">
            {f.accessibility.map((a) => <li key={a} class="access-item">{tKey(`access.${a}`) ?? a}</li>)}
          </ul>
        ) : <p class="muted">{t('facility.accessibility.none')}</p>}
      </section>
      <section class="service-section" aria-labelledby="facility-services">
        <h2 class="section-title" id="facility-services">{t('facility.services')}</h2>
        {services.length ? (
          <ul class="result-list compact">
            {services.map((sv) => (
              <li key={sv.id} class="result-item">
                <h3 class="result-title"><Link href={`/services/${encodeURIComponent(sv.id)}`}>{sv.name}</Link></h3>
                <p class="result-desc">{sv.description}</p>
              </li>
            ))}
          </ul>
        ) : <p class="muted">{t('facility.services.none')}</p>}
      </section>
      <FacilityDisclosures facilityId={f.id} />
      <div class="button-row no-print">
        <Link href="/facilities" class="krds-btn tertiary large">{t('facility.back')}</Link>
      </div>
    </Page>
  );
}
