// 소식: welfare news (/news, /news/:id; officials post, edit and delete) and the jobs list
// (/jobs, with a search box).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { formatDay, isOfficial, type Job, type NewsItem, type Paged } from '../atlas';
import { formatNumber, isUrl } from '../catalog';
import { Pager, SectionTabs } from '../components/pager';
import { ErrorSummary, Field, problemToErrors, requiredMessage, type FormError } from '../forms';
import { Loading, Page } from '../page';
import { Link, navigate, useSearch } from '../router';
import { t, useAppState } from '../store';

function NewsTabs({ current }: { current: string }) {
  return <SectionTabs label={t('news.tabs')} current={current}
    tabs={[{ href: '/news', label: t('nav.news') }, { href: '/jobs', label: t('nav.jobs') }]} />;
}

function pageOf(p: URLSearchParams): number {
  const n = Number(p.get('page') || '1');
  return Number.isInteger(n) && n > 0 ? n : 1;
}

function Paragraphs({ text }: { text: string }) {
  return <>{text.split(/\n{2,}/).map((para, i) => <p key={i} class="prose">{para.split('\n').map((l, j) => <>{j > 0 && <br />}{l}</>)}</p>)}</>;
}

function NewsForm({ item, onSaved, onCancel }: { item?: NewsItem; onSaved: (n: NewsItem) => void; onCancel?: () => void }) {
  const [title, setTitle] = useState(item?.title || '');
  const [body, setBody] = useState(item?.body || '');
  const [errors, setErrors] = useState<FormError[]>([]);
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    const errs: FormError[] = [];
    if (!title.trim()) errs.push({ field: 'title', message: requiredMessage('title') });
    if (!body.trim()) errs.push({ field: 'body', message: requiredMessage('body') });
    if (errs.length) { setErrors(errs); return; }
    setBusy(true);
    try {
      const n = item
        ? await api<NewsItem>('PUT', `/api/v1/news/${encodeURIComponent(String(item.id))}`, { title: title.trim(), body })
        : await api<NewsItem>('POST', '/api/v1/news', { title: title.trim(), body });
      setErrors([]); onSaved(n);
    } catch (ex) {
      setErrors(problemToErrors(ex, ['title', 'body'], { 403: t('news.forbidden') }));
    } finally { setBusy(false); }
  }
  const err = (f: string) => errors.filter((x) => x.field === f).map((x) => x.message).join(' ') || undefined;
  return (
    <form class="panel news-form" noValidate onSubmit={submit} aria-labelledby="news-form-title">
      <h2 class="panel-title" id="news-form-title">{item ? t('news.edit') : t('news.post')}</h2>
      <ErrorSummary errors={errors} idPrefix="news" />
      <Field id="news-title" label={t('news.titleLabel')} error={err('title')}>
        {(a) => <input class="krds-input" maxLength={200} value={title} {...a} onInput={(e) => setTitle((e.target as HTMLInputElement).value)} />}
      </Field>
      <Field id="news-body" label={t('news.bodyLabel')} hint={t('news.bodyHint')} error={err('body')}>
        {(a) => <textarea class="krds-input textarea" rows={8} maxLength={20000} value={body} {...a} onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)} />}
      </Field>
      <div class="button-row">
        <button type="submit" class="krds-btn primary large btn-block-mobile" disabled={busy}>{busy ? t('form.submitting') : t(item ? 'news.save' : 'news.publish')}</button>
        {onCancel && <button type="button" class="krds-btn tertiary large btn-block-mobile" onClick={onCancel}>{t('disc.cancel')}</button>}
      </div>
    </form>
  );
}

export function NewsList() {
  const s = useAppState();
  const p = useSearch();
  const page = pageOf(p);
  const [res, setRes] = useState<Paged<NewsItem> | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [writing, setWriting] = useState(false);
  useEffect(() => {
    api<Paged<NewsItem>>('GET', `/api/v1/news?page=${page}`).then((r) => { setRes(r); setErrors([]); })
      .catch((e) => { setRes(null); setErrors(problemToErrors(e, [])); });
  }, [page]);
  const pages = res ? Math.max(1, Math.ceil(res.total / Math.max(1, res.page_size))) : 1;
  return (
    <Page title={t('news.title')} lead={t('news.lead')} wide crumbs={[{ label: t('nav.newsMenu') }, { label: t('news.title') }]}>
      <NewsTabs current="/news" />
      {s.session === 'user' && isOfficial(s.me) && (
        writing ? <NewsForm onSaved={(n) => navigate(`/news/${encodeURIComponent(String(n.id))}`)} onCancel={() => setWriting(false)} />
          : <div class="button-row no-print news-actions"><button type="button" class="krds-btn secondary medium" onClick={() => setWriting(true)}>{t('news.post')}</button></div>
      )}
      <ErrorSummary errors={errors} idPrefix="news-list" />
      {!res && !errors.length && <Loading />}
      {res && (
        <>
          <p class="results-total" role="status">{t('services.total.pre')}<strong>{formatNumber(res.total)}</strong>{t('news.total.post', { n: res.total })}</p>
          {res.items.length === 0 ? <p class="empty-state">{t('news.empty')}</p> : (
            <ul class="result-list news-list">
              {res.items.map((n) => (
                <li key={n.id} class="result-item">
                  <h2 class="result-title"><Link href={`/news/${encodeURIComponent(String(n.id))}`}>{n.title}</Link></h2>
                  <p class="result-why"><time dateTime={n.published_at}>{formatDay(n.published_at)}</time></p>
                  <p class="result-desc" lang="ko">{n.body.split('\n')[0]}</p>
                </li>
              ))}
            </ul>
          )}
          <Pager page={res.page} pages={pages} href={(n) => '/news' + (n > 1 ? `?page=${n}` : '')} label={t('news.pagination')} />
        </>
      )}
    </Page>
  );
}

export function NewsArticle({ id }: { id: string }) {
  const s = useAppState();
  const [n, setN] = useState<NewsItem | null>(null);
  const [error, setError] = useState<'notfound' | FormError[] | null>(null);
  const [editing, setEditing] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const [delErrors, setDelErrors] = useState<FormError[]>([]);
  useEffect(() => {
    api<NewsItem>('GET', `/api/v1/news/${encodeURIComponent(id)}`).then(setN)
      .catch((e) => setError(e instanceof ApiError && e.status === 404 ? 'notfound' : problemToErrors(e, [])));
  }, [id]);
  if (error === 'notfound') return <Page title={t('news.notFound')}><p>{t('news.notFound.text')}</p><div class="button-row"><Link class="krds-btn primary large" href="/news">{t('news.back')}</Link></div></Page>;
  if (error) return <Page title={t('error.title')}><ErrorSummary errors={error} idPrefix="news" /></Page>;
  if (!n) return <Page title={t('news.title')}><Loading /></Page>;
  const official = s.session === 'user' && isOfficial(s.me);
  async function remove() {
    try { await api('DELETE', `/api/v1/news/${encodeURIComponent(String(n!.id))}`); navigate('/news'); }
    catch (e) { setDelErrors(problemToErrors(e, [])); }
  }
  return (
    <Page title={n.title} wide crumbs={[{ href: '/news', label: t('news.title') }, { label: n.title }]}>
      <p class="service-meta"><time dateTime={n.published_at}>{t('news.published', { date: formatDay(n.published_at) })}</time></p>
      {editing ? <NewsForm item={n} onSaved={(x) => { setN(x); setEditing(false); }} onCancel={() => setEditing(false)} /> : (
        <article class="news-body" lang="ko"><Paragraphs text={n.body} /></article>
      )}
      {official && !editing && (
        <div class="panel no-print">
          <ErrorSummary errors={delErrors} idPrefix="news-del" />
          <div class="button-row">
            <button type="button" class="krds-btn secondary medium" onClick={() => setEditing(true)}>{t('news.edit')}</button>
            {!confirm ? <button type="button" class="krds-btn tertiary medium" onClick={() => setConfirm(true)}>{t('news.delete')}</button> : (
              <>
                <span class="page-status" role="status">{t('news.delete.confirm')}</span>
                <button type="button" class="krds-btn primary medium" onClick={remove}>{t('news.delete.yes')}</button>
                <button type="button" class="krds-btn tertiary medium" onClick={() => setConfirm(false)}>{t('disc.cancel')}</button>
              </>
            )}
          </div>
        </div>
      )}
      <div class="button-row no-print"><Link href="/news" class="krds-btn tertiary large">{t('news.back')}</Link></div>
    </Page>
  );
}

export function JobsPage() {
  useAppState();
  const p = useSearch();
  const q = p.get('q') || '';
  const page = pageOf(p);
  const [form, setForm] = useState(q);
  const [res, setRes] = useState<Paged<Job> | null>(null);
  const [busy, setBusy] = useState(true);
  const [errors, setErrors] = useState<FormError[]>([]);
  const resultsRef = useRef<HTMLHeadingElement>(null);
  const href = (query: string, pg: number) => {
    const sp = new URLSearchParams();
    if (query.trim()) sp.set('q', query.trim());
    if (pg > 1) sp.set('page', String(pg));
    const str = sp.toString();
    return '/jobs' + (str ? '?' + str : '');
  };
  useEffect(() => { setForm(q); }, [q]);
  useEffect(() => {
    setBusy(true);
    const sp = new URLSearchParams({ page: String(page) });
    if (q) sp.set('q', q);
    api<Paged<Job>>('GET', `/api/v1/jobs?${sp}`).then((r) => { setRes(r); setErrors([]); })
      .catch((e) => { setRes(null); setErrors(problemToErrors(e, ['q'])); })
      .finally(() => setBusy(false));
  }, [q, page]);
  const pages = res ? Math.max(1, Math.ceil(res.total / Math.max(1, res.page_size))) : 1;
  return (
    <Page title={t('jobs.title')} lead={t('jobs.lead')} wide crumbs={[{ label: t('nav.newsMenu') }, { label: t('jobs.title') }]}>
      <NewsTabs current="/jobs" />
      <form class="service-search jobs-search" role="search" aria-label={t('jobs.search')} noValidate
        onSubmit={(e) => { e.preventDefault(); navigate(href(form, 1)); }}>
        <label class="service-search-label" for="jobs-q">{t('jobs.search')}</label>
        <p class="service-search-hint" id="jobs-q-hint">{t('jobs.search.hint')}</p>
        <div class="search-row">
          <input id="jobs-q" class="krds-input" type="search" name="q" maxLength={200} value={form} aria-describedby="jobs-q-hint"
            onInput={(e) => setForm((e.target as HTMLInputElement).value)} />
          <button type="submit" class="krds-btn primary large search-btn">{t('services.search.submit')}</button>
        </div>
      </form>
      <ErrorSummary errors={errors} idPrefix="jobs" />
      <h2 class="results-title" ref={resultsRef} tabIndex={-1}>{q ? t('jobs.resultsFor', { q }) : t('jobs.results')}</h2>
      <p class="results-total" role="status" aria-live="polite">
        {busy && !res ? t('loading') : res ? <>{t('services.total.pre')}<strong>{formatNumber(res.total)}</strong>{t('jobs.total.post', { n: res.total })}</> : ''}
      </p>
      {res && res.total === 0 && <div class="empty-state"><h3 class="empty-title">{t('jobs.empty')}</h3><p>{t('jobs.empty.text')}</p></div>}
      {res && res.items.length > 0 && (
        <ul class={`result-list jobs-list${busy ? ' is-busy' : ''}`}>
          {res.items.map((j) => (
            <li key={j.id} class="result-item job-item">
              <h3 class="result-title">{j.url && isUrl(j.url) ? <a href={j.url} target="_blank" rel="noopener noreferrer">{j.title}<span class="sr-only"> {t('link.newWindow')}</span></a> : <span lang="ko">{j.title}</span>}</h3>
              <p class="job-employer" lang="ko">{j.employer}</p>
              <dl class="place-info">
                {j.place && <div><dt>{t('jobs.place')}</dt><dd lang="ko">{j.place}</dd></div>}
                {j.wage && <div><dt>{t('jobs.wage')}</dt><dd lang="ko">{j.wage}</dd></div>}
                {j.period && <div><dt>{t('jobs.period')}</dt><dd lang="ko">{j.period}</dd></div>}
                {j.contact && <div><dt>{t('jobs.contact')}</dt><dd lang="ko">{j.contact}</dd></div>}
                {j.valid_until && <div><dt>{t('jobs.until')}</dt><dd><time dateTime={j.valid_until}>{formatDay(j.valid_until)}</time></dd></div>}
              </dl>
              {j.description && <p class="result-desc" lang="ko">{j.description}</p>}
            </li>
          ))}
        </ul>
      )}
      {res && <Pager page={res.page} pages={pages} href={(n) => href(q, n)} label={t('jobs.pagination')}
        onGo={(n) => { navigate(href(q, n)); setTimeout(() => resultsRef.current?.focus(), 50); }} />}
    </Page>
  );
}
