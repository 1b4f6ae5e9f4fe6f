// 복지서비스: search with facets (/services) and one service (/services/:id).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import {
  ageRange, explainNotes, FACETS, formatDate, formatNumber, hasFilters, isUrl, label, pageWindow,
  parseSearch, searchQuery, useVocabulary, type FacetName, type SearchResult, type SearchState, type ServiceDetail,
  type ServiceSummary, type Term, type Facility, type FacilityPage,
} from '../catalog';
import { problemToErrors, ErrorSummary, type FormError } from '../forms';
import { Icon } from '../components/icons';
import { PointMap } from '../components/map';
import { Loading, Page, PageNumber } from '../page';
import { Link, navigate, useSearch } from '../router';
import { getState, placeName, t, useAppState, type Dong } from '../store';
import type { Key } from '../i18n';
import { EligibilityCallout } from './eligibility';
import { loadReferenceData } from '../eligibility';
import '../styles/service.css';
import { applyFor, OnlineApplyWay, type ServiceApply } from '../features/applications';
import { firstSentence, loadMyDong, onlinePortals, programAmount, saveMyDong, type Amount } from '../service-apply';

export { SearchBox, SUGGESTED } from '../components/search-box';
import { SearchBox, SUGGESTED } from '../components/search-box';

function ProviderBadge({ level }: { level: Term }) {
  return <span class={`krds-badge provider-badge provider-${level.code}`}>{label(level)}</span>;
}

// How a result was matched (the API's "why") is for tuning search, not for residents: not shown.
function ResultItem({ s }: { s: ServiceSummary }) {
  return (
    <li class="result-item">
      <div class="result-head">
        <ProviderBadge level={s.provider_level} />
        {s.life_stages.length > 0 && <span class="result-stages">{s.life_stages.map(label).join(' · ')}</span>}
      </div>
      <h3 class="result-title" lang="ko"><Link href={`/services/${encodeURIComponent(s.id)}`}>{s.name}</Link></h3>
      <p class="result-desc" lang="ko">{s.description}</p>
      {s.topics.length > 0 && (
        <p class="result-topics"><span class="sr-only">{t('services.topics')}: </span>
          {s.topics.map((tp) => <span key={tp.code} class="topic-tag">{label(tp)}</span>)}
        </p>
      )}
    </li>
  );
}

function FacetGroup({ name, options, selected, onToggle }: {
  name: FacetName; options: Term[]; selected: string[]; onToggle: (name: FacetName, code: string, on: boolean) => void;
}) {
  const [more, setMore] = useState(false);
  const LIMIT = 8;
  const shown = more ? options : options.filter((o, i) => i < LIMIT || selected.includes(o.code));
  if (!options.length) return null;
  return (
    <fieldset class="facet-group">
      <legend>{t(`facet.${name}` as Key)}</legend>
      <p class="facet-title" aria-hidden="true">{t(`facet.${name}` as Key)}</p>
      <div class="facet-options">
        {shown.map((o) => {
          const id = `facet-${name}-${o.code}`;
          const on = selected.includes(o.code);
          return (
            <div class="krds-form-check facet-check" key={o.code}>
              <input type="checkbox" id={id} name={name} value={o.code} checked={on}
                onChange={(e) => onToggle(name, o.code, (e.target as HTMLInputElement).checked)} />
              <label for={id}>
                <span class="facet-label">{label(o)}</span>
                <span class="facet-count">{formatNumber(o.count ?? 0)}<span class="sr-only">{t('services.countSuffix')}</span></span>
              </label>
            </div>
          );
        })}
      </div>
      {options.length > shown.length || more ? (
        <button type="button" class="krds-btn text small facet-more" aria-expanded={more} onClick={() => setMore(!more)}>
          {more ? t('facet.less') : t('facet.more', { n: options.length - shown.length })}
        </button>
      ) : null}
    </fieldset>
  );
}

// Facet options in a stable order: life stages as in the vocabulary, the rest by count. Selected
// codes stay listed even when the other filters leave them with no services.
function facetOptions(name: FacetName, res: SearchResult | null, vocab: ReturnType<typeof useVocabulary>, selected: string[]): Term[] {
  const fromRes = res?.facets?.[name] || [];
  const vocabList = vocab ? (name === 'provider' ? vocab.provider_level : vocab[name]) : [];
  const byCode = new Map(fromRes.map((o) => [o.code, o]));
  let out: Term[];
  if (name === 'life_stage' || name === 'provider') {
    out = vocabList.length ? vocabList.filter((v) => byCode.has(v.code) || selected.includes(v.code)).map((v) => ({ ...v, count: byCode.get(v.code)?.count ?? 0 })) : fromRes;
  } else {
    out = [...fromRes];
  }
  for (const code of selected) {
    if (!out.some((o) => o.code === code)) {
      const v = vocabList.find((x) => x.code === code);
      out.push({ code, ko: v?.ko || code, en: v?.en || code, count: 0 });
    }
  }
  return out;
}

export function Services() {
  useAppState();
  const params = useSearch();
  const state = parseSearch(params);
  const key = searchQuery(state);
  const vocab = useVocabulary();
  const [res, setRes] = useState<SearchResult | null>(null);
  const [busy, setBusy] = useState(true);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const resultsRef = useRef<HTMLHeadingElement>(null);
  const seq = useRef(0);

  useEffect(() => {
    const n = ++seq.current;
    setBusy(true);
    const p = new URLSearchParams(key.slice(1));
    if (state.page > 1) p.set('page', String(state.page));
    api<SearchResult>('GET', `/api/v1/services${p.toString() ? '?' + p : ''}`)
      .then((r) => { if (n === seq.current) { setRes(r); setErrors([]); } })
      .catch((e) => {
        if (n !== seq.current) return;
        setRes(null);
        setErrors(e instanceof ApiError && e.status === 422 ? [{ field: null, message: t('services.badFilter') }] : problemToErrors(e, []));
      })
      .finally(() => { if (n === seq.current) setBusy(false); });
  }, [key]);

  function go(next: SearchState, opts: { keepScroll?: boolean } = {}) {
    navigate('/services' + searchQuery(next), opts);
  }
  function toggle(name: FacetName, code: string, on: boolean) {
    const list = on ? [...state[name], code] : state[name].filter((c) => c !== code);
    go({ ...state, [name]: list, page: 1 }, { keepScroll: true });
  }
  function clearFilters() {
    go({ ...state, life_stage: [], situation: [], topic: [], provider: [], page: 1 }, { keepScroll: true });
  }
  function toPage(page: number) {
    go({ ...state, page });
    setTimeout(() => resultsRef.current?.focus(), 50);
  }

  const title = state.q ? t('services.titleFor', { q: state.q }) : t('services.results');
  const pages = res ? Math.max(1, Math.ceil(res.total / Math.max(1, res.page_size))) : 1;
  const notes = explainNotes(res?.query?.notes);
  const selectedCount = FACETS.reduce((n, f) => n + state[f].length, 0);
  const chips = FACETS.flatMap((f) => state[f].map((code) => {
    const opt = facetOptions(f, res, vocab, state[f]).find((o) => o.code === code);
    return { f, code, text: opt ? label(opt) : code };
  }));

  return (
    <Page title={t('services.title')} wide crumbs={[{ label: t('services.title') }]}>
      <SearchBox id="services-q" initial={state.q} onSearch={(q) => go({ ...state, q, page: 1 })} />
      <EligibilityCallout compact />
      <ErrorSummary errors={errors} idPrefix="services" />
      <div class="catalog-layout">
        <aside class="filter-panel" aria-labelledby="filter-title">
          <h2 class="filter-heading" id="filter-title">{t('facet.title')}</h2>
          <button type="button" class="krds-btn secondary large filter-toggle" aria-expanded={filtersOpen} aria-controls="filter-body"
            onClick={() => setFiltersOpen(!filtersOpen)}>
            <Icon name="filter" class="btn-icon" />
            <span>{t('facet.title')}</span>
            {selectedCount > 0 && <span class="filter-count">{t('facet.selected', { n: selectedCount })}</span>}
          </button>
          <div id="filter-body" class={`filter-body${filtersOpen ? ' is-open' : ''}`}>
            {FACETS.map((f) => (
              <FacetGroup key={f} name={f} options={facetOptions(f, res, vocab, state[f])} selected={state[f]} onToggle={toggle} />
            ))}
            {hasFilters(state) && (
              <button type="button" class="krds-btn tertiary medium clear-filters" onClick={clearFilters}>{t('facet.clear')}</button>
            )}
            {res && (
              <button type="button" class="krds-btn primary large show-results" onClick={() => {
                setFiltersOpen(false);
                setTimeout(() => { resultsRef.current?.focus(); resultsRef.current?.scrollIntoView({ block: 'start' }); }, 0);
              }}>{t('facet.showResults', { n: formatNumber(res.total) })}</button>
            )}
          </div>
        </aside>
        <section class="results" aria-labelledby="results-title">
          <h2 class="results-title" id="results-title" ref={resultsRef} tabIndex={-1}>{title}</h2>
          <p class="results-total" role="status" aria-live="polite" aria-atomic="true">
            {busy && !res ? t('loading') : res ? (
              <>{t('services.total.pre')}<strong>{formatNumber(res.total)}</strong>{t('services.total.post', { n: res.total })}{res.total > 0 && pages > 1 ? ` · ${t('services.pageOf', { page: res.page, pages })}` : ''}</>
            ) : ''}
          </p>
          {notes.length > 0 && (
            <div class="query-notes">
              {notes.map((n) => <p key={n}>{n}</p>)}
            </div>
          )}
          {chips.length > 0 && (
            <div class="active-filters">
              <span class="active-filters-label">{t('facet.active')}</span>
              <ul>
                {chips.map((c) => (
                  <li key={c.f + c.code}>
                    <button type="button" class="filter-chip" onClick={() => toggle(c.f, c.code, false)}
                      aria-label={t('facet.remove', { name: c.text })}>
                      {c.text}<span class="chip-x" aria-hidden="true">×</span>
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )}
          {res && res.total === 0 && <EmptyState state={state} onClear={clearFilters} />}
          {res && res.items.length > 0 && (
            <ul class={`result-list${busy ? ' is-busy' : ''}`} aria-busy={busy ? 'true' : undefined}>
              {res.items.map((s) => <ResultItem key={s.id} s={s} />)}
            </ul>
          )}
          {!res && busy && <Loading />}
          {res && pages > 1 && (
            <nav class="krds-pagination result-pages" aria-label={t('services.pagination')}>
              {res.page > 1 ? (
                <Link class="page-navi prev" href={'/services' + searchQuery({ ...state, page: res.page - 1 })}
                  onClick={(e: MouseEvent) => { e.preventDefault(); toPage(res.page - 1); }}>{t('admin.prev')}</Link>
              ) : <span class="page-navi prev disabled" aria-hidden="true">{t('admin.prev')}</span>}
              <div class="page-links">
                {pageWindow(res.page, pages).map((p, i) => p === null ? <span key={`d${i}`} class="page-link link-dot" aria-hidden="true">…</span> : (
                  <Link key={p} class={`page-link${p === res.page ? ' active' : ''}`} href={'/services' + searchQuery({ ...state, page: p })}
                    aria-current={p === res.page ? 'page' : undefined}
                    onClick={(e: MouseEvent) => { e.preventDefault(); toPage(p); }}><PageNumber n={p} /></Link>
                ))}
              </div>
              {res.page < pages ? (
                <Link class="page-navi next" href={'/services' + searchQuery({ ...state, page: res.page + 1 })}
                  onClick={(e: MouseEvent) => { e.preventDefault(); toPage(res.page + 1); }}>{t('admin.next')}</Link>
              ) : <span class="page-navi next disabled" aria-hidden="true">{t('admin.next')}</span>}
            </nav>
          )}
        </section>
      </div>
    </Page>
  );
}

function EmptyState({ state, onClear }: { state: SearchState; onClear: () => void }) {
  return (
    <div class="empty-state">
      <h3 class="empty-title">{t('services.empty.title')}</h3>
      <ul class="empty-tips">
        <li>{t('services.empty.spelling')}</li>
        <li>{t('services.empty.fewer')}</li>
        {hasFilters(state) && (
          <li>{t('services.empty.filters')} <button type="button" class="krds-btn secondary small" onClick={onClear}>{t('facet.clear')}</button></li>
        )}
        <li>{t('services.empty.call')}</li>
      </ul>
      <p class="empty-try">{t('services.empty.try')}</p>
      <ul class="krds-tag-wrap suggest-list">
        {SUGGESTED.map((q) => (
          <li key={q}><Link href={`/services?q=${encodeURIComponent(q)}`} class="krds-btn-tag link suggest-tag">{q}</Link></li>
        ))}
      </ul>
    </div>
  );
}

// ---- one service ---------------------------------------------------------------------------

function docName(d: string | { document?: string; name?: string }): string {
  return typeof d === 'string' ? d : d.document || d.name || '';
}

// The service page: at a glance (who, what, how much, "can I get it?"), then the ways to apply
// (online on the official portal the application text names, at my dong's centre, by phone, with a
// caseworker) with what to bring, then the places, only my dong's when there are many.
export function ServicePage({ id }: { id: string }) {
  const app = useAppState();
  const [svc, setSvc] = useState<ServiceDetail | null>(null);
  const [error, setError] = useState<'notfound' | FormError[] | null>(null);
  const [checkable, setCheckable] = useState(false);
  const [amount, setAmount] = useState<Amount | null>(null);
  const [myDong, setMyDong] = useState(loadMyDong);
  const [showAll, setShowAll] = useState(false);
  const [online, setOnline] = useState<ServiceApply | null>(null);
  useEffect(() => {
    api<ServiceDetail>('GET', `/api/v1/services/${encodeURIComponent(id)}`)
      .then((s) => {
        setSvc(s);
        applyFor(s.name, s.program_code).then(setOnline, () => setOnline(null));
        const code = s.program_code || '';
        if (!code) return;
        loadReferenceData().then((r) => setCheckable(r.programs.some((p) => p.program === code))).catch(() => setCheckable(false));
        programAmount(code).then(setAmount).catch(() => setAmount(null));
      })
      .catch((e) => setError(e instanceof ApiError && (e.status === 404 || e.status === 422) ? 'notfound' : problemToErrors(e, [])));
  }, [id]);

  if (error === 'notfound') {
    return (
      <Page title={t('service.notFound')}>
        <p>{t('service.notFound.text')}</p>
        <div class="button-row"><Link href="/services" class="krds-btn primary large">{t('nav.services')}</Link></div>
      </Page>
    );
  }
  if (error) return <Page title={t('error.title')}><ErrorSummary errors={error} idPrefix="service" /></Page>;
  if (!svc) return <Page title={t('services.title')}><Loading /></Page>;

  const ko = app.lang === 'ko';
  const ages = ageRange(svc.minimum_age, svc.maximum_age);
  const docs = (svc.required_documents || svc.documents || []).map(docName).filter(Boolean);
  const allPlaces = svc.facilities || [];
  const dongs = (app.districts || []).flatMap((d) => d.dongs);
  // Many places (a centre in every dong): only my dong's, unless the reader asks for all.
  const many = allPlaces.length > 3 && dongs.length > 0;
  const mine = myDong ? allPlaces.filter((f) => String(f.dong_id ?? '') === myDong) : [];
  const facilities = !many || showAll ? allPlaces : mine;
  const points = facilities.filter((f) => typeof f.latitude === 'number' && typeof f.longitude === 'number')
    .map((f, i) => ({ id: f.id, name: f.name, lat: f.latitude!, lon: f.longitude!, n: i + 1 }));
  const source = (svc.source || '').trim();
  const national = svc.provider_level.code === 'national';
  const channels = svc.channels.map((c) => c.code);
  const portals = channels.includes('online') || /온라인|누리집|홈페이지/.test(svc.application_process || '')
    ? onlinePortals(svc.application_process) : [];
  const ownSite = isUrl(svc.url) && !isUrl(source) ? svc.url : isUrl(svc.url) && svc.url !== source ? svc.url : '';
  const applyText = svc.application_process || '';
  // The dong centre only when the text sends people there; other offices (세무서, 공단 지사) are in the text.
  const visitCentre = /행정복지센터|주민센터|읍·면·동|동 주민/.test(applyText);
  const visitElsewhere = !visitCentre && channels.includes('visit');
  const ownPhone = /국번\s?없이\s?(\d{3,4})/.exec(applyText)?.[1] || '';
  const phone = channels.includes('phone') || national;
  const altShown = svc.alternate_name && (!ko || /[가-힣]/.test(svc.alternate_name));
  const who = firstSentence(svc.eligibility_description);
  const what = firstSentence(svc.description);
  const checkHref = `/eligibility?program=${encodeURIComponent(svc.program_code || '')}`;

  return (
    <Page title={svc.name} wide crumbs={[{ href: '/services', label: t('services.title') }, { label: svc.name }]}>
      <div class="service-meta">
        <ProviderBadge level={svc.provider_level} />
        {altShown && <span class="service-alt" lang={/[가-힣]/.test(svc.alternate_name!) ? undefined : 'en'}>{svc.alternate_name}</span>}
        {svc.status !== 'active' && <span class="krds-badge outline-danger">{t('service.inactive')}</span>}
      </div>

      <section class="service-summary" aria-labelledby="service-summary-title">
        <h2 class="sr-only" id="service-summary-title">{t('service.summary.title')}</h2>
        <dl class="summary-list">
          {who && <div><dt>{t('service.summary.who')}</dt><dd lang="ko">{who}</dd></div>}
          <div><dt>{t('service.summary.what')}</dt><dd>
            {amount ? (
              <>
                <strong class="summary-amount">{t('service.summary.amount', { label: ko ? amount.label_ko : amount.label_en, amount: formatAmount(amount) })}</strong>
                <span class="summary-amount-note"> ({t('service.summary.amountYear', { year: amount.from.slice(0, 4) })}{amount.estimate ? ` · ${t('service.amount.estimate')}` : ''})</span>
                <span class="summary-amount-source">{t('service.source')}: {amount.source}</span>
              </>
            ) : <span lang="ko">{what}</span>}
            {checkable && !amount && <span class="summary-amount-note">{t('service.summary.amountVaries')}</span>}
          </dd></div>
        </dl>
        <div class="summary-actions no-print">
          {checkable && <Link href={checkHref} class="krds-btn primary large summary-check">{t('service.check')}</Link>}
          {online && online.forms.length > 0 && <Link href={`/apply/${online.forms[0].code}`} class="krds-btn primary large summary-apply">{t('service.applyOnline')}</Link>}
          <a href="#service-apply" class={`krds-btn ${checkable ? 'secondary' : 'primary'} large`} onClick={(e) => {
            e.preventDefault();
            const el = document.getElementById('service-apply');
            if (el) { el.focus(); el.scrollIntoView({ block: 'start' }); }
          }}>{t('service.howToApply')}</a>
        </div>
        {checkable && <p class="summary-hint">{t('service.check.hint')}</p>}
      </section>

      <div class="service-sections">
        <section class="service-section apply-section" aria-labelledby="service-apply">
          <h2 class="section-title" id="service-apply" tabIndex={-1}>{t('service.howToApply')}</h2>
          {svc.application_process && <p class="prose" lang="ko">{svc.application_process}</p>}
          <ul class="apply-ways">
            {online && <OnlineApplyWay apply={online} />}
            {(portals.length > 0 || ownSite) && (
              <li class="apply-way">
                <h3 class="apply-way-title">{t('service.way.online')}</h3>
                <ul class="apply-links">
                  {portals.map((p) => (
                    <li key={p.url}><a class="text-link" href={p.url} rel="noopener noreferrer" target="_blank">{t('service.way.online.link', { site: p.name })}<span class="sr-only"> {t('link.newWindow')}</span></a></li>
                  ))}
                  {ownSite && portals.length === 0 && (
                    <li><a class="text-link" href={ownSite} rel="noopener noreferrer" target="_blank">{t('service.way.online.own')}<span class="sr-only"> {t('link.newWindow')}</span></a></li>
                  )}
                </ul>
              </li>
            )}
            {visitElsewhere && (
              <li class="apply-way">
                <h3 class="apply-way-title">{t('service.way.visitOther')}</h3>
                <p>{t('service.way.visitOther.text')}</p>
              </li>
            )}
            {visitCentre && (
              <li class="apply-way">
                <h3 class="apply-way-title">{t('service.way.visit')}</h3>
                <p>{t('service.way.visit.text')}</p>
                <DongPicker dongs={dongs} value={myDong} onChange={(v) => { saveMyDong(v); setMyDong(v); setShowAll(false); }} id="apply-dong" />
                {myDong && <MyCentre dongId={myDong} />}
              </li>
            )}
            {phone && (
              <li class="apply-way">
                <h3 class="apply-way-title">{t('service.way.phone')}</h3>
                {ownPhone && <p><a class="text-link" href={`tel:${ownPhone}`}>{t('service.way.phone.own', { n: ownPhone })}</a></p>}
                <p>{national ? <a class="text-link" href="tel:129">{t('service.way.phone.129')}</a> : t('service.way.phone.place')}</p>
              </li>
            )}
            <li class="apply-way">
              <h3 class="apply-way-title">{t('service.way.help')}</h3>
              <p>{t('service.way.help.text')}</p>
              <p class="apply-law">{t('service.way.help.law')}</p>
            </li>
          </ul>
          <h3 class="apply-docs-title">{t('service.docs.title')}</h3>
          <ul class="doc-list">
            {docs.length > 0 ? docs.map((d) => <li key={d}>{d}</li>) : <li>{t('service.docs.id')}</li>}
          </ul>
          {docs.length === 0 && <p class="muted">{t('service.docs.more')}</p>}
          <dl class="info-list">
            {svc.application_period && <div><dt>{t('service.period')}</dt><dd>{svc.application_period}</dd></div>}
            {svc.email && <div><dt>{t('service.email')}</dt><dd><a class="text-link" href={`mailto:${svc.email}`}>{svc.email}</a></dd></div>}
          </dl>
        </section>

        <section class="service-section" aria-labelledby="service-who">
          <h2 class="section-title" id="service-who">{t('service.who')}</h2>
          {svc.eligibility_description && <p class="prose" lang="ko">{svc.eligibility_description}</p>}
          <dl class="info-list">
            {ages && <div><dt>{t('service.ages')}</dt><dd>{ages}</dd></div>}
            {svc.life_stages.length > 0 && <div><dt>{t('facet.life_stage')}</dt><dd>{svc.life_stages.map(label).join(', ')}</dd></div>}
            {svc.situations.length > 0 && <div><dt>{t('facet.situation')}</dt><dd>{svc.situations.map(label).join(', ')}</dd></div>}
          </dl>
        </section>

        <section class="service-section" aria-labelledby="service-what">
          <h2 class="section-title" id="service-what">{t('service.what')}</h2>
          <p class="prose" lang="ko">{svc.description}</p>
          <dl class="info-list">
            {svc.fees_description && <div><dt>{t('service.fees')}</dt><dd>{svc.fees_description}</dd></div>}
            {svc.topics.length > 0 && <div><dt>{t('facet.topic')}</dt><dd>{svc.topics.map(label).join(', ')}</dd></div>}
          </dl>
        </section>

        {svc.organization && (
          <section class="service-section" aria-labelledby="service-org">
            <h2 class="section-title" id="service-org">{t('service.provider')}</h2>
            <dl class="info-list">
              <div><dt>{t('service.organization')}</dt><dd>{svc.organization.name}</dd></div>
              <div><dt>{t('facet.provider')}</dt><dd>{label(svc.provider_level)}</dd></div>
              {isUrl(svc.organization.website) && <div><dt>{t('service.website')}</dt><dd><a class="text-link" href={svc.organization.website} rel="noopener noreferrer" target="_blank">{hostOf(svc.organization.website!)}<span class="sr-only"> {t('link.newWindow')}</span></a></dd></div>}
            </dl>
          </section>
        )}

        <section class="service-section" aria-labelledby="service-where">
          <h2 class="section-title" id="service-where">{t('service.where')}</h2>
          {allPlaces.length === 0 ? (
            <p class="muted">{t('service.where.none')}</p>
          ) : (
            <>
              {many && (
                <div class="where-filter">
                  <DongPicker dongs={dongs} value={myDong} onChange={(v) => { saveMyDong(v); setMyDong(v); setShowAll(false); }} id="where-dong" />
                  {!myDong && !showAll && <p class="muted">{t('service.myDong.hint')}</p>}
                  {myDong && !showAll && mine.length === 0 && <p class="muted">{t('service.myDong.none')}</p>}
                  <button type="button" class="krds-btn tertiary medium" onClick={() => setShowAll(!showAll)}>
                    {showAll ? t('service.myDong.fewer') : t('service.myDong.all', { n: allPlaces.length })}
                  </button>
                </div>
              )}
              {facilities.length > 0 && (
                <div class="where-layout">
                  <ol class="place-list">
                    {facilities.map((f, i) => (
                      <li key={f.id} class="place-item">
                        <span class="place-n" aria-hidden="true">{i + 1}</span>
                        <div>
                          <h3 class="place-name"><Link href={`/facilities/${encodeURIComponent(f.id)}`}>{f.name}</Link></h3>
                          {f.type && <p class="place-type">{label(f.type as Term)}</p>}
                          <dl class="place-info">
                            {f.address && <div><dt>{t('facility.address')}</dt><dd>{f.address}</dd></div>}
                            {f.phone && <div><dt>{t('facility.phone')}</dt><dd><a href={`tel:${f.phone.replace(/[^0-9+]/g, '')}`}>{f.phone}</a></dd></div>}
                            {f.hours && <div><dt>{t('facility.hours')}</dt><dd>{f.hours}</dd></div>}
                          </dl>
                        </div>
                      </li>
                    ))}
                  </ol>
                  <PointMap points={points} title={t('map.titleN', { n: points.length })} myDong={myDong} />
                </div>
              )}
            </>
          )}
        </section>

        <section class="service-section source-section" aria-labelledby="service-source">
          <h2 class="section-title" id="service-source">{t('service.source.title')}</h2>
          <dl class="info-list">
            {svc.last_verified && <div><dt>{t('service.verified')}</dt><dd>{formatDate(svc.last_verified)}</dd></div>}
            {source && <div><dt>{t('service.source')}</dt><dd>{isUrl(source)
              ? <a class="text-link" href={source} rel="noopener noreferrer" target="_blank">{t('service.source.link', { host: hostOf(source) })}<span class="sr-only"> {t('link.newWindow')}</span></a>
              : source === 'demo' ? t('service.source.demo') : source}</dd></div>}
          </dl>
        </section>
      </div>
      <div class="button-row no-print">
        <button type="button" class="krds-btn tertiary large" onClick={() => window.print()}>
          <Icon name="print" class="btn-icon" />{t('service.print')}
        </button>
        <Link href="/services" class="krds-btn tertiary large">{t('service.back')}</Link>
      </div>
    </Page>
  );
}

function hostOf(url: string): string {
  try { return new URL(url).hostname.replace(/^www\./, ''); } catch { return url; }
}

function formatAmount(a: Amount): string {
  const n = formatNumber(a.value);
  const ko = getState().lang === 'ko';
  if (a.unit === 'KRW/month') return ko ? `월 ${n}원` : `KRW ${n} a month`;
  if (a.unit === 'KRW/year') return ko ? `연 ${n}원` : `KRW ${n} a year`;
  return ko ? `${n}원` : `KRW ${n}`;
}

function DongPicker({ dongs, value, onChange, id }: { dongs: Dong[]; value: string; onChange: (v: string) => void; id: string }) {
  if (dongs.length === 0) return null;
  return (
    <div class="krds-form-group dong-picker">
      <label class="form-label" for={id}>{t('service.myDong')}</label>
      <select id={id} class="krds-form-select" value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        <option value="">{t('service.myDong.choose')}</option>
        {dongs.map((d) => <option key={d.id} value={String(d.id)}>{placeName(d)}</option>)}
      </select>
    </div>
  );
}

// The community service centre (행정복지센터) of the chosen dong: name, address, phone, hours.
function MyCentre({ dongId }: { dongId: string }) {
  const [centre, setCentre] = useState<Facility | null>(null);
  useEffect(() => {
    let live = true;
    setCentre(null);
    api<FacilityPage>('GET', `/api/v1/facilities?type=admin_welfare_center&dong=${encodeURIComponent(dongId)}`)
      .then((r) => { if (live) setCentre(r.items[0] || null); })
      .catch(() => { if (live) setCentre(null); });
    return () => { live = false; };
  }, [dongId]);
  if (!centre) return null;
  return (
    <div class="my-centre">
      <p class="my-centre-name"><Link href={`/facilities/${encodeURIComponent(centre.id)}`}>{centre.name}</Link></p>
      <dl class="place-info">
        {centre.address && <div><dt>{t('facility.address')}</dt><dd>{centre.address}</dd></div>}
        {centre.phone && <div><dt>{t('facility.phone')}</dt><dd><a href={`tel:${centre.phone.replace(/[^0-9+]/g, '')}`}>{centre.phone}</a></dd></div>}
        {centre.hours && <div><dt>{t('facility.hours')}</dt><dd>{centre.hours}</dd></div>}
      </dl>
    </div>
  );
}
