// 복지 통계 (/statistics): district totals as cards, a bar chart per dong and a line chart over
// the years (each with a table of the same numbers), and the CSV upload for officials.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, apiText, ApiError } from '../api';
import { formatValue, indicatorName, isOfficial, type Indicator, type Series, type Statistics } from '../atlas';
import { ChartCanvas } from '../components/chart';
import { ErrorSummary, Field, problemToErrors, type FormError } from '../forms';
import { Loading, Page } from '../page';
import { navigate, useSearch } from '../router';
import { getState, placeName, t, tKey, useAppState } from '../store';
import { AtlasTabs, refreshIndicators, StatControls, StatTable, statIndicator, useIndicators } from './map';

interface Card { ind: Indicator; latest: { year: number; value: number } | null; prev: { year: number; value: number } | null }

function change(card: Card): string {
  const { latest, prev, ind } = card;
  if (!latest || !prev) return '';
  const d = latest.value - prev.value;
  const unit = ind.unit === '%' ? '%p' : ind.unit;
  const abs = formatValue(Math.abs(d), unit === '%p' ? '' : ind.unit) + (unit === '%p' ? (getState().lang === 'ko' ? '%p' : ' pp') : '');
  if (Math.abs(d) < 1e-9) return t('stats.change.same', { year: prev.year });
  return t(d > 0 ? 'stats.change.up' : 'stats.change.down', { year: prev.year, d: abs });
}

function Cards({ indicators, reload }: { indicators: Indicator[]; reload: number }) {
  const [cards, setCards] = useState<Card[] | null>(null);
  useEffect(() => {
    Promise.all(indicators.map((ind) => api<Series>('GET', `/api/v1/statistics/series?indicator=${encodeURIComponent(ind.code)}`)
      .then((s): Card => {
        const items = s.items || [];
        const at = (i: number) => (items[i] ? { year: items[i].year, value: items[i].value } : null);
        return { ind, latest: at(items.length - 1), prev: at(items.length - 2) };
      })
      .catch((): Card => ({ ind, latest: null, prev: null })))).then(setCards);
  }, [indicators, reload]);
  if (!cards) return <Loading />;
  return (
    <ul class="stat-cards">
      {cards.map((c) => (
        <li key={c.ind.code} class="stat-card">
          <h3 class="stat-card-title">{indicatorName(c.ind)}</h3>
          <p class="stat-card-value">{c.latest ? formatValue(c.latest.value, c.ind.unit) : t('stats.noData')}</p>
          {c.latest && <p class="stat-card-year">{t('stats.districtYear', { year: c.latest.year })}</p>}
          {c.prev && <p class="stat-card-change">{change(c)}</p>}
        </li>
      ))}
    </ul>
  );
}

function UploadForm({ onDone }: { onDone: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  async function submit(e: Event) {
    e.preventDefault();
    setDone(null);
    if (!file) { setErrors([{ field: 'file', message: t('upload.required') }]); return; }
    if (file.size > 1024 * 1024) { setErrors([{ field: 'file', message: t('upload.tooBig') }]); return; }
    setBusy(true);
    try {
      const text = await file.text();
      const r = await apiText<{ rows: number; inserted: number; replaced: number; unchanged: number; indicators: string[]; years: number[] }>(
        'POST', '/api/v1/statistics/upload', text, 'text/csv');
      setErrors([]);
      setDone(t('upload.done', { rows: r.rows, inserted: r.inserted, replaced: r.replaced, unchanged: r.unchanged }));
      if (input.current) input.current.value = '';
      setFile(null);
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.problem.errors?.length) {
        setErrors(err.problem.errors.map((fe) => {
          const m = /^line (\d+)(?::\s*(.+))?$/.exec(fe.field);
          const col = m ? (m[2] || '') : fe.field;
          const known = tKey(`code.${fe.code}`, { field: col });
          const text = known ?? (fe.message || fe.code);
          const detail = known && fe.message ? ` — ${fe.message}` : '';
          if (m) return { field: 'file', message: t(col ? 'upload.lineError' : 'upload.lineErrorNoCol', { line: m[1], col, msg: text }) + detail };
          return { field: 'file', message: text + detail };
        }));
      } else {
        setErrors(problemToErrors(err, [], { 413: t('upload.tooBig'), 415: t('upload.notCsv'), 403: t('upload.forbidden') }));
      }
    } finally { setBusy(false); }
  }
  return (
    <section class="panel upload-panel" aria-labelledby="upload-title">
      <h2 class="panel-title" id="upload-title">{t('upload.title')}</h2>
      <p class="section-lead">{t('upload.lead')}</p>
      <pre class="csv-sample" aria-label={t('upload.sample')}>indicator,dong,year,value{'\n'}aged_65_share,은행동,2025,24.1{'\n'}livelihood_recipients,전체,2025,"18,413"</pre>
      <ErrorSummary errors={errors} idPrefix="upload" />
      <p class={`status-message${done ? ' is-visible' : ''}`} role="status">{done}</p>
      <form onSubmit={submit} noValidate>
        <Field id="upload-file" label={t('upload.file')} hint={t('upload.file.hint')} error={errors.length ? t('upload.fileHasErrors', { n: errors.length }) : undefined}>
          {(a) => <input ref={input} class="krds-input file-input" type="file" accept=".csv,text/csv" {...a}
            onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] || null)} />}
        </Field>
        <button type="submit" class="krds-btn primary large btn-block-mobile" disabled={busy} aria-busy={busy ? 'true' : undefined}>
          {busy ? t('form.submitting') : t('upload.submit')}</button>
      </form>
    </section>
  );
}

export function StatisticsPage() {
  const app = useAppState();
  const p = useSearch();
  const { list: indicators, errors: indErrors } = useIndicators();
  const [stats, setStats] = useState<Statistics | null>(null);
  const [series, setSeries] = useState<Series | null>(null);
  const [dongSeries, setDongSeries] = useState<Series | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [reload, setReload] = useState(0);
  const indicator = p.get('indicator') || indicators?.[0]?.code || '';
  const yearQ = Number(p.get('year')) || null;
  const dong = p.get('dong') || '';
  const go = (patch: Record<string, string | null>) => {
    const q = new URLSearchParams(p);
    for (const [k, v] of Object.entries(patch)) { if (v) q.set(k, v); else q.delete(k); }
    const s = q.toString();
    navigate('/statistics' + (s ? '?' + s : ''), { replace: true, keepScroll: true });
  };

  useEffect(() => {
    if (!indicator) return;
    const q = new URLSearchParams({ indicator });
    if (yearQ) q.set('year', String(yearQ));
    api<Statistics>('GET', `/api/v1/statistics?${q}`).then(setStats).catch((e) => { setStats(null); setErrors(problemToErrors(e, [])); });
    api<Series>('GET', `/api/v1/statistics/series?indicator=${encodeURIComponent(indicator)}`).then(setSeries).catch(() => setSeries(null));
  }, [indicator, yearQ, reload]);
  useEffect(() => {
    setDongSeries(null);
    if (!indicator || !dong) return;
    api<Series>('GET', `/api/v1/statistics/series?indicator=${encodeURIComponent(indicator)}&dong=${encodeURIComponent(dong)}`)
      .then(setDongSeries).catch(() => setDongSeries(null));
  }, [indicator, dong, reload]);

  const ind = statIndicator(stats, indicators);
  const unit = stats?.unit ?? ind?.unit ?? '';
  const fmt = (v: number) => formatValue(v, unit);
  const dongs = stats?.dongs || [];
  const dongRow = dongs.find((d) => String(d.dong_id) === dong);
  const years = Array.from(new Set([...(series?.items || []).map((x) => x.year), ...(dongSeries?.items || []).map((x) => x.year)])).sort();
  const at = (s: Series | null, y: number) => s?.items.find((x) => x.year === y)?.value ?? null;
  const name = indicatorName(ind);
  const lineSeries = [{ label: t('stats.district'), data: years.map((y) => at(series, y)) }];
  if (dongRow && dongSeries) lineSeries.push({ label: placeName(dongRow), data: years.map((y) => at(dongSeries, y)), dashed: true } as any);

  return (
    <Page title={t('stats.title')} lead={t('stats.lead')} wide crumbs={[{ label: t('nav.atlas') }, { label: t('stats.title') }]}>
      <AtlasTabs current="/statistics" />
      <ErrorSummary errors={[...indErrors, ...errors]} idPrefix="stats" />
      {!indicators && <Loading />}
      {indicators && indicators.length > 0 && (
        <>
          <section class="home-section" aria-labelledby="cards-title">
            <h2 class="section-title" id="cards-title">{t('stats.cards')}</h2>
            <Cards indicators={indicators} reload={reload} />
          </section>
          <h2 class="section-title">{t('stats.detail')}</h2>
          <StatControls idPrefix="stats" indicators={indicators} indicator={indicator} year={stats?.year ?? yearQ}
            years={stats?.years || ind?.years || []} onChange={(i, y) => go({ indicator: i, year: y ? String(y) : null })}>
            <Field id="stats-dong" label={t('stats.compareDong')} required={false}>
              {(a) => (
                <select class="krds-form-select" value={dong} {...a} onChange={(e) => go({ dong: (e.target as HTMLSelectElement).value || null })}>
                  <option value="">{t('stats.compareNone')}</option>
                  {dongs.map((d) => <option key={d.dong_id} value={String(d.dong_id)}>{placeName(d)}</option>)}
                </select>
              )}
            </Field>
          </StatControls>
          {!stats && !errors.length && <Loading />}
          {stats && (
            <div class="chart-grid">
              <section class="chart-panel" aria-labelledby="bar-title">
                <h3 class="chart-title" id="bar-title">{t('stats.bar', { indicator: name, year: stats.year ?? '' })}</h3>
                <ChartCanvas kind="bar" horizontal labels={dongs.map((d) => placeName(d))} key={`bar-${app.lang}`}
                  series={[{ label: name, data: dongs.map((d) => d.value) }]} format={fmt} height={Math.max(28, dongs.length * 3.2)}
                  label={t('stats.bar.aria', { indicator: name, year: stats.year ?? '', n: dongs.length })} describedBy="bar-table" />
                <details class="chart-alt" open>
                  <summary>{t('stats.asTable')}</summary>
                  <div id="bar-table">
                    <StatTable stats={stats} ind={ind} unit={unit} selected={dong || null} caption={t('map.tableCaption', { indicator: name, year: stats.year ?? '' })} />
                  </div>
                </details>
              </section>
              <section class="chart-panel" aria-labelledby="line-title">
                <h3 class="chart-title" id="line-title">{t('stats.line', { indicator: name })}</h3>
                {years.length ? (
                  <>
                    <ChartCanvas kind="line" labels={years.map(String)} series={lineSeries} format={fmt} height={30}
                      label={t('stats.line.aria', { indicator: name, from: years[0], to: years[years.length - 1] })} describedBy="line-table" />
                    <details class="chart-alt" open>
                      <summary>{t('stats.asTable')}</summary>
                      <div class="krds-table-wrap" id="line-table">
                        <table class="tbl data stat-table">
                          <caption>{t('stats.line.caption', { indicator: name })}</caption>
                          <thead><tr><th scope="col">{t('stats.year')}</th>{lineSeries.map((s) => <th key={s.label} scope="col" class="num">{s.label}</th>)}</tr></thead>
                          <tbody>{years.map((y, i) => (
                            <tr key={y}><th scope="row">{t('stats.yearN', { y })}</th>{lineSeries.map((s) => <td key={s.label} class="num">{formatValue(s.data[i], unit)}</td>)}</tr>
                          ))}</tbody>
                        </table>
                      </div>
                    </details>
                  </>
                ) : <p class="muted">{t('stats.noSeries')}</p>}
              </section>
            </div>
          )}
        </>
      )}
      {indicators && indicators.length === 0 && !indErrors.length && <p class="notice-box">{t('stats.none')}</p>}
      {app.session === 'user' && isOfficial(app.me) && (
        <UploadForm onDone={() => { refreshIndicators(); setReload((n) => n + 1); }} />
      )}
    </Page>
  );
}
