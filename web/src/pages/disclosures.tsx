// 재정 공시: a facility's budgets and settlements (the "재정 공시" section of a facility page),
// one disclosure (/disclosures/:id) with tables by category, donations and how they were used,
// a chart, CSV/XLSX downloads, and for managers and officials the draft form and the review
// actions (submit, approve, return with a reason).
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import {
  CATEGORIES, categoryName, formatDay, isFacilityStaff, isOfficial, percent, won, wonShort,
  type CategoryAmount, type Disclosure, type DisclosureLine, type DisclosureSummary, type DonationLine,
} from '../atlas';
import { ChartCanvas } from '../components/chart';
import { euro } from '../catalog';
import { ErrorSummary, Field, problemToErrors, type FormError } from '../forms';
import { Loading, Page } from '../page';
import { Link, navigate } from '../router';
import { getState, t, tKey, useAppState } from '../store';
import type { Key } from '../i18n';

function kindName(kind: string) { return tKey(`disc.kind.${kind}`) ?? kind; }
function statusName(s: string) { return tKey(`disc.status.${s}`) ?? s; }
function StatusBadge({ status }: { status: string }) {
  return <span class={`status-badge status-${status}`}>{statusName(status)}</span>;
}
export function disclosureTitle(d: { fiscal_year: number; kind: string }) {
  return t('disc.titleYK', { year: d.fiscal_year, kind: kindName(d.kind) });
}

// ---- the administrator's review queue (on /admin) ---------------------------------------------------
interface QueueItem { id: string; fiscal_year: number; kind: string; facility: { id: string; name: string }; submitted_at: string | null; own_submission: boolean; expenditure_total: number }
export function DisclosureReviewQueue() {
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    api<{ items: QueueItem[] }>('GET', '/api/v1/disclosures?status=submitted')
      .then((r) => setItems(r.items ?? [])).catch(() => setFailed(true));
  }, []);
  return (
    <section class="panel disc-queue" aria-labelledby="disc-queue-title" data-field="disclosure-queue">
      <h2 id="disc-queue-title" class="panel-title">{t('disc.queue.title')}</h2>
      {failed ? <p role="status">{t('disc.unavailable')}</p> : !items ? <Loading /> : items.length === 0 ? <p>{t('disc.queue.empty')}</p> : (
        <>
          <p>{t('disc.queue.count', { n: items.length })}</p>
          <ul class="disc-list">
            {items.map((d) => (
              <li key={d.id} class="disc-item" data-disclosure={d.id}>
                <Link class="disc-link" href={`/disclosures/${encodeURIComponent(d.id)}`}>{d.facility.name} · {disclosureTitle(d)}</Link>
                <span class="disc-meta">
                  {d.submitted_at && t('disc.queue.submitted', { day: formatDay(d.submitted_at) })}
                  {d.own_submission && <> · {t('disc.queue.own')}</>}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

// ---- on the facility page ----------------------------------------------------------------------
export function FacilityDisclosures({ facilityId }: { facilityId: string }) {
  const s = useAppState();
  const [items, setItems] = useState<DisclosureSummary[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    api<{ items: DisclosureSummary[] }>('GET', `/api/v1/facilities/${encodeURIComponent(facilityId)}/disclosures`)
      .then((r) => setItems(r.items || [])).catch(() => { setItems([]); setFailed(true); });
  }, [facilityId, s.session]);
  const staff = isFacilityStaff(s.me);
  const years = Array.from(new Set((items || []).map((d) => d.fiscal_year))).sort((a, b) => b - a);
  return (
    <section class="service-section" aria-labelledby="facility-disclosures">
      <h2 class="section-title" id="facility-disclosures">{t('disc.section')}</h2>
      <p class="section-lead">{t('disc.section.lead')}</p>
      {!items && <Loading />}
      {items && !items.length && <p class="muted">{failed ? t('disc.unavailable') : t('disc.none')}</p>}
      {years.map((y) => (
        <div key={y} class="disc-year">
          <h3 class="disc-year-title">{t('disc.fiscalYear', { year: y })}</h3>
          <ul class="disc-list">
            {items!.filter((d) => d.fiscal_year === y).map((d) => (
              <li key={d.id} class="disc-item">
                <Link class="disc-link" href={`/disclosures/${encodeURIComponent(d.id)}`}>{disclosureTitle(d)}</Link>
                {d.status !== 'approved' && <StatusBadge status={d.status} />}
                <span class="disc-sum">{t('disc.revenue')} {wonShort(d.revenue_total)} · {t('disc.expenditure')} {wonShort(d.expenditure_total)}</span>
              </li>
            ))}
          </ul>
        </div>
      ))}
      {s.session === 'user' && staff && (
        <div class="button-row no-print">
          <Link class="krds-btn secondary medium" href={`/facilities/${encodeURIComponent(facilityId)}/disclosures/new`}>{t('disc.new')}</Link>
        </div>
      )}
    </section>
  );
}

// ---- one disclosure ------------------------------------------------------------------------------
function CategoryTable({ id, caption, rows, total }: { id: string; caption: string; rows: CategoryAmount[]; total: number }) {
  return (
    <div class="krds-table-wrap" id={id}>
      <table class="tbl data money-table">
        <caption>{caption}</caption>
        <thead><tr><th scope="col">{t('disc.category')}</th><th scope="col" class="num">{t('disc.amount')}</th><th scope="col" class="num">{t('disc.share')}</th></tr></thead>
        <tbody>{rows.map((r) => (
          <tr key={r.category}><th scope="row">{categoryName(r.category)}</th><td class="num">{won(r.amount)}</td><td class="num">{percent(r.amount, total)}</td></tr>
        ))}</tbody>
        <tfoot><tr><th scope="row">{t('disc.total')}</th><td class="num">{won(total)}</td><td class="num">{total ? '100%' : '–'}</td></tr></tfoot>
      </table>
    </div>
  );
}

function LinesTable({ caption, lines }: { caption: string; lines: DisclosureLine[] }) {
  return (
    <div class="krds-table-wrap">
      <table class="tbl data money-table">
        <caption>{caption}</caption>
        <thead><tr><th scope="col">{t('disc.category')}</th><th scope="col">{t('disc.item')}</th><th scope="col" class="num">{t('disc.amount')}</th></tr></thead>
        <tbody>{lines.map((l, i) => (
          <tr key={i}><td>{categoryName(l.category)}</td><td>{l.item}</td><td class="num">{won(l.amount)}</td></tr>
        ))}</tbody>
      </table>
    </div>
  );
}

function SideSection({ d, side }: { d: Disclosure; side: 'revenue' | 'expenditure' }) {
  const rows = (d.totals[side] || []).filter((r) => r.amount > 0);
  const total = side === 'revenue' ? d.totals.revenue_total : d.totals.expenditure_total;
  const name = t(side === 'revenue' ? 'disc.revenue' : 'disc.expenditure');
  const lines = d.lines.filter((l) => l.side === side);
  return (
    <section class="chart-panel" aria-labelledby={`disc-${side}`}>
      <h2 class="section-title" id={`disc-${side}`}>{t('disc.bySide', { side: name })}</h2>
      {rows.length > 0 && (
        <ChartCanvas kind="bar" horizontal labels={rows.map((r) => categoryName(r.category))} height={Math.max(20, rows.length * 4)}
          series={[{ label: name, data: rows.map((r) => r.amount) }]} format={wonShort} describedBy={`disc-${side}-table`}
          label={t('disc.chart.aria', { side: name, n: rows.length, total: wonShort(total) })} />
      )}
      <CategoryTable id={`disc-${side}-table`} caption={t('disc.byCategory', { side: name })} rows={rows} total={total} />
      <details class="chart-alt">
        <summary>{t('disc.lines', { side: name, n: lines.length })}</summary>
        <LinesTable caption={t('disc.lines.caption', { side: name })} lines={lines} />
      </details>
    </section>
  );
}

function Donations({ d }: { d: Disclosure }) {
  const g = d.totals.donations;
  return (
    <section class="service-section" aria-labelledby="disc-donations">
      <h2 class="section-title" id="disc-donations">{t('disc.donations')}</h2>
      {!d.donations.length ? <p class="muted">{t('disc.donations.none')}</p> : (
        <>
          <ul class="stat-cards compact">
            <li class="stat-card"><h3 class="stat-card-title">{t('disc.don.received')}</h3><p class="stat-card-value">{wonShort(g.received)}</p>
              <p class="stat-card-year">{t('disc.don.split', { cash: wonShort(g.cash), inKind: wonShort(g.in_kind) })}</p></li>
            <li class="stat-card"><h3 class="stat-card-title">{t('disc.don.used')}</h3><p class="stat-card-value">{wonShort(g.used)}</p>
              <p class="stat-card-year">{percent(g.used, g.received)}</p></li>
            <li class="stat-card"><h3 class="stat-card-title">{t('disc.don.unused')}</h3><p class="stat-card-value">{wonShort(g.unused)}</p></li>
          </ul>
          <div class="krds-table-wrap wide-table" tabIndex={0} role="region" aria-label={t('disc.don.caption')}>
            <table class="tbl data money-table">
              <caption>{t('disc.don.caption')}</caption>
              <thead><tr><th scope="col">{t('disc.don.from')}</th><th scope="col">{t('disc.don.kind')}</th><th scope="col" class="num">{t('disc.amount')}</th>
                <th scope="col">{t('disc.don.usedFor')}</th><th scope="col" class="num">{t('disc.don.usedAmount')}</th></tr></thead>
              <tbody>{d.donations.map((x, i) => (
                <tr key={i}><td>{tKey(`disc.from.${x.received_from_type}`) ?? x.received_from_type}</td><td>{tKey(`disc.dkind.${x.kind}`) ?? x.kind}</td>
                  <td class="num">{won(x.amount)}</td><td>{x.used_for || '–'}</td><td class="num">{won(x.used_amount ?? 0)}</td></tr>
              ))}</tbody>
              <tfoot><tr><th scope="row" colSpan={2}>{t('disc.total')}</th><td class="num">{won(g.received)}</td><td /><td class="num">{won(g.used)}</td></tr></tfoot>
            </table>
          </div>
          {g.by_source?.length > 0 && (
            <p class="muted">{t('disc.don.bySource')}: {g.by_source.map((s) => `${tKey(`disc.from.${s.received_from_type}`) ?? s.received_from_type} ${wonShort(s.amount)}`).join(' · ')}</p>
          )}
        </>
      )}
    </section>
  );
}

function Review({ d, onChange }: { d: Disclosure; onChange: (d: Disclosure) => void }) {
  const s = useAppState();
  const [errors, setErrors] = useState<FormError[]>([]);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const base = `/api/v1/facilities/${encodeURIComponent(d.facility.id)}/disclosures/${encodeURIComponent(d.id)}`;
  async function act(action: 'submit' | 'approve' | 'return') {
    if (action === 'return' && !reason.trim()) { setErrors([{ field: 'reason', message: t('disc.reason.required') }]); return; }
    setBusy(true); setDone(null);
    try {
      const r = await api<Disclosure>('POST', `${base}/${action}`, action === 'return' ? { reason: reason.trim() } : undefined);
      setErrors([]); setDone(t(`disc.done.${action}` as Key)); onChange(r);
    } catch (e) {
      setErrors(problemToErrors(e, ['reason'], { 409: t('disc.conflict') }));
    } finally { setBusy(false); }
  }
  const official = isOfficial(s.me);
  const canSubmit = d.status === 'draft' || d.status === 'returned';
  const canDecide = d.status === 'submitted' && official;
  return (
    <section class="panel review-panel no-print" aria-labelledby="review-title">
      <h2 class="panel-title" id="review-title">{t('disc.review')}</h2>
      <p>{t('disc.review.status')} <StatusBadge status={d.status} />{d.submitted_at ? ` · ${t('disc.submittedAt', { date: formatDay(d.submitted_at) })}` : ''}</p>
      {d.status === 'returned' && d.return_reason && <p class="notice-box notice-warning">{t('disc.returnedBecause')}: {d.return_reason}</p>}
      <ErrorSummary errors={errors} idPrefix="review" />
      <p class={`status-message${done ? ' is-visible' : ''}`} role="status">{done}</p>
      <div class="button-row">
        {canSubmit && <Link class="krds-btn secondary large" href={`/facilities/${encodeURIComponent(d.facility.id)}/disclosures/new?from=${encodeURIComponent(d.id)}`}>{t('disc.edit')}</Link>}
        {canSubmit && <button type="button" class="krds-btn primary large" disabled={busy} onClick={() => act('submit')}>{t('disc.submit')}</button>}
        {canDecide && <button type="button" class="krds-btn primary large" disabled={busy} onClick={() => act('approve')}>{t('disc.approve')}</button>}
      </div>
      {canDecide && (
        <form class="return-form" noValidate onSubmit={(e) => { e.preventDefault(); act('return'); }}>
          <Field id="review-reason" label={t('disc.reason')} hint={t('disc.reason.hint')} error={errors.find((x) => x.field === 'reason')?.message}>
            {(a) => <textarea class="krds-input textarea" rows={3} maxLength={1000} value={reason} {...a}
              onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />}
          </Field>
          <button type="submit" class="krds-btn secondary large" disabled={busy}>{t('disc.return')}</button>
        </form>
      )}
    </section>
  );
}

export function DisclosurePage({ id }: { id: string }) {
  const s = useAppState();
  const [d, setD] = useState<Disclosure | null>(null);
  const [error, setError] = useState<'notfound' | FormError[] | null>(null);
  useEffect(() => {
    api<Disclosure>('GET', `/api/v1/disclosures/${encodeURIComponent(id)}`).then(setD)
      .catch((e) => setError(e instanceof ApiError && e.status === 404 ? 'notfound' : problemToErrors(e, [])));
  }, [id, s.session]);
  if (error === 'notfound') return <Page title={t('disc.notFound')}><p>{t('disc.notFound.text')}</p></Page>;
  if (error) return <Page title={t('error.title')}><ErrorSummary errors={error} idPrefix="disc" /></Page>;
  if (!d) return <Page title={t('disc.section')}><Loading /></Page>;
  const title = `${d.facility.name} ${disclosureTitle(d)}`;
  const settlement = d.kind === 'settlement';
  const staffView = d.published_version !== undefined;
  const file = `/api/v1/disclosures/${encodeURIComponent(d.id)}`;
  return (
    <Page title={title} wide crumbs={[{ href: '/facilities', label: t('facilities.title') },
      { href: `/facilities/${encodeURIComponent(d.facility.id)}`, label: d.facility.name }, { label: disclosureTitle(d) }]}>
      <div class="service-meta">
        <StatusBadge status={d.status} />
        {d.approved_at && <span class="service-alt">{t('disc.approvedAt', { date: formatDay(d.approved_at) })}</span>}
      </div>
      {d.status !== 'approved' && <p class="notice-box notice-warning">{t('disc.notPublic')}</p>}
      <ul class="stat-cards disc-totals">
        <li class="stat-card"><h2 class="stat-card-title">{t('disc.revenueTotal')}</h2><p class="stat-card-value" data-total="revenue">{wonShort(d.totals.revenue_total)}</p><p class="stat-card-year">{won(d.totals.revenue_total)}</p></li>
        <li class="stat-card"><h2 class="stat-card-title">{t('disc.expenditureTotal')}</h2><p class="stat-card-value" data-total="expenditure">{wonShort(d.totals.expenditure_total)}</p><p class="stat-card-year">{won(d.totals.expenditure_total)}</p></li>
        <li class="stat-card"><h2 class="stat-card-title">{t(settlement ? 'disc.carryOver' : 'disc.balance')}</h2><p class="stat-card-value">{wonShort(d.totals.balance)}</p><p class="stat-card-year">{won(d.totals.balance)}</p></li>
        {settlement && <li class="stat-card"><h2 class="stat-card-title">{t('disc.don.received')}</h2><p class="stat-card-value">{wonShort(d.totals.donations.received)}</p></li>}
      </ul>
      <div class="download-row no-print">
        <a class="krds-btn secondary medium" href={`${file}.csv`} download>{t('disc.csv')}</a>
        <a class="krds-btn secondary medium" href={`${file}.xlsx`} download>{t('disc.xlsx')}</a>
      </div>
      {s.session === 'user' && staffView && <Review d={d} onChange={setD} />}
      <div class="chart-grid">
        <SideSection d={d} side="revenue" />
        <SideSection d={d} side="expenditure" />
      </div>
      {(settlement || d.donations.length > 0) && <Donations d={d} />}
      <div class="button-row no-print">
        <Link href={`/facilities/${encodeURIComponent(d.facility.id)}`} class="krds-btn tertiary large">{t('disc.back', { name: d.facility.name, ro: getState().lang === 'ko' ? euro(d.facility.name) : '' })}</Link>
      </div>
    </Page>
  );
}

// ---- draft form ----------------------------------------------------------------------------------
interface Row { side: 'revenue' | 'expenditure'; category: string; item: string; amount: string }
interface DonRow { received_from_type: DonationLine['received_from_type']; kind: DonationLine['kind']; amount: string; used_for: string; used_amount: string }
const blankRow = (side: Row['side'] = 'revenue'): Row => ({ side, category: '', item: '', amount: '' });
const blankDon = (): DonRow => ({ received_from_type: 'individual', kind: 'cash', amount: '', used_for: '', used_amount: '' });
const toInt = (s: string) => { const n = Number(s.replace(/[,\s]/g, '')); return Number.isFinite(n) ? Math.round(n) : s as unknown as number; };

export function DisclosureNew({ facilityId }: { facilityId: string }) {
  const s = useAppState();
  const from = new URLSearchParams(location.search).get('from');
  const [facilityName, setFacilityName] = useState('');
  const [year, setYear] = useState(String(new Date().getFullYear()));
  const [kind, setKind] = useState<'budget' | 'settlement'>('budget');
  const [rows, setRows] = useState<Row[]>([blankRow('revenue'), blankRow('expenditure')]);
  const [dons, setDons] = useState<DonRow[]>([]);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<{ name: string }>('GET', `/api/v1/facilities/${encodeURIComponent(facilityId)}`).then((f) => setFacilityName(f.name)).catch(() => {});
    if (from) {
      api<Disclosure>('GET', `/api/v1/disclosures/${encodeURIComponent(from)}`).then((d) => {
        setYear(String(d.fiscal_year)); setKind(d.kind);
        setRows(d.lines.map((l) => ({ side: l.side, category: l.category, item: l.item || '', amount: String(l.amount) })));
        setDons(d.donations.map((x) => ({ received_from_type: x.received_from_type, kind: x.kind, amount: String(x.amount), used_for: x.used_for || '', used_amount: String(x.used_amount ?? 0) })));
      }).catch(() => {});
    }
  }, [facilityId, from]);
  if (s.session === 'anon') {
    return <Page title={t('disc.new')}><p>{t('disc.loginFirst')}</p><div class="button-row"><Link class="krds-btn primary large" href="/login">{t('nav.login')}</Link></div></Page>;
  }
  const err = (f: string) => errors.filter((e) => e.field === f).map((e) => e.message).join(' ') || undefined;
  const setRow = (i: number, patch: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const setDon = (i: number, patch: Partial<DonRow>) => setDons(dons.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  async function submit(e: Event) {
    e.preventDefault();
    const body = {
      fiscal_year: Number(year), kind,
      lines: rows.filter((r) => r.category || r.item || r.amount).map((r) => ({ side: r.side, category: r.category, item: r.item, amount: toInt(r.amount) })),
      donations: dons.map((x) => ({ received_from_type: x.received_from_type, kind: x.kind, amount: toInt(x.amount), used_for: x.used_for, used_amount: toInt(x.used_amount || '0') })),
    };
    setBusy(true);
    try {
      const d = await api<Disclosure>('POST', `/api/v1/facilities/${encodeURIComponent(facilityId)}/disclosures`, body);
      navigate(`/disclosures/${encodeURIComponent(d.id)}`);
    } catch (ex) {
      const known = ['fiscal_year', 'kind', 'lines', 'donations'];
      rows.forEach((_, i) => ['side', 'category', 'item', 'amount'].forEach((f) => known.push(`lines[${i}].${f}`)));
      dons.forEach((_, i) => ['received_from_type', 'kind', 'amount', 'used_for', 'used_amount'].forEach((f) => known.push(`donations[${i}].${f}`)));
      const list = problemToErrors(ex, known, { 403: t('disc.forbidden') });
      // Say which row a message is about.
      setErrors(list.map((x) => {
        const m = x.field && /^(lines|donations)\[(\d+)\]/.exec(x.field);
        return m ? { ...x, message: t(m[1] === 'lines' ? 'disc.rowN' : 'disc.donN', { n: Number(m[2]) + 1 }) + ': ' + x.message } : x;
      }));
    } finally { setBusy(false); }
  }
  const cats = (side: Row['side']) => CATEGORIES.filter((c) => c.side === side);
  const lang = getState().lang;
  const title = t('disc.new');
  return (
    <Page title={title} lead={facilityName ? t('disc.new.lead', { name: facilityName }) : undefined} wide
      crumbs={[{ href: '/facilities', label: t('facilities.title') }, { href: `/facilities/${encodeURIComponent(facilityId)}`, label: facilityName || t('facilities.title') }, { label: title }]}>
      <ErrorSummary errors={errors} idPrefix="disc" />
      <form class="disc-form" noValidate onSubmit={submit}>
        <div class="filter-grid">
          <Field id="disc-fiscal_year" label={t('disc.fiscalYearLabel')} error={err('fiscal_year')}>
            {(a) => <input class="krds-input" type="number" inputMode="numeric" min={2000} max={2100} value={year} {...a} onInput={(e) => setYear((e.target as HTMLInputElement).value)} />}
          </Field>
          <Field id="disc-kind" label={t('disc.kindLabel')} error={err('kind')}>
            {(a) => (
              <select class="krds-form-select" value={kind} {...a} onChange={(e) => setKind((e.target as HTMLSelectElement).value as any)}>
                <option value="budget">{kindName('budget')}</option><option value="settlement">{kindName('settlement')}</option>
              </select>
            )}
          </Field>
        </div>
        <fieldset class="form-fieldset">
          <legend class="fieldset-title" id="disc-lines">{t('disc.linesTitle')}</legend>
          {err('lines') && <p class="form-hint-invalid">{err('lines')}</p>}
          <p class="form-hint field-hint">{t('disc.linesHint')}</p>
          <div class="krds-table-wrap edit-table-wrap" tabIndex={0} role="region" aria-label={t('disc.linesTitle')}>
            <table class="tbl data edit-table">
              <caption class="sr-only">{t('disc.linesTitle')}</caption>
              <thead><tr><th scope="col">{t('disc.side')}</th><th scope="col">{t('disc.category')}</th><th scope="col">{t('disc.item')}</th><th scope="col">{t('disc.amountWon')}</th><th scope="col"><span class="sr-only">{t('disc.remove')}</span></th></tr></thead>
              <tbody>{rows.map((r, i) => {
                const rl = t('disc.rowN', { n: i + 1 });
                const cell = (f: string) => ({ id: `disc-lines[${i}].${f}`, 'aria-invalid': err(`lines[${i}].${f}`) ? 'true' as const : undefined });
                return (
                  <tr key={i}>
                    <td><select class="krds-form-select" aria-label={`${rl} ${t('disc.side')}`} {...cell('side')} value={r.side}
                      onChange={(e) => setRow(i, { side: (e.target as HTMLSelectElement).value as Row['side'], category: '' })}>
                      <option value="revenue">{t('disc.revenue')}</option><option value="expenditure">{t('disc.expenditure')}</option></select></td>
                    <td><select class="krds-form-select" aria-label={`${rl} ${t('disc.category')}`} {...cell('category')} value={r.category}
                      onChange={(e) => setRow(i, { category: (e.target as HTMLSelectElement).value })}>
                      <option value="">{t('disc.choose')}</option>
                      {cats(r.side).map((c) => <option key={c.ko} value={c.ko}>{lang === 'ko' ? c.ko : `${c.en} (${c.ko})`}</option>)}</select></td>
                    <td><input class="krds-input" aria-label={`${rl} ${t('disc.item')}`} {...cell('item')} maxLength={100} value={r.item}
                      onInput={(e) => setRow(i, { item: (e.target as HTMLInputElement).value })} /></td>
                    <td><input class="krds-input num" inputMode="numeric" aria-label={`${rl} ${t('disc.amountWon')}`} {...cell('amount')} value={r.amount}
                      onInput={(e) => setRow(i, { amount: (e.target as HTMLInputElement).value })} /></td>
                    <td><button type="button" class="krds-btn tertiary small" onClick={() => setRows(rows.filter((_, j) => j !== i))}>{t('disc.remove')}<span class="sr-only"> {rl}</span></button></td>
                  </tr>
                );
              })}</tbody>
            </table>
          </div>
          <div class="button-row"><button type="button" class="krds-btn secondary medium" onClick={() => setRows([...rows, blankRow(rows[rows.length - 1]?.side)])}>{t('disc.addRow')}</button></div>
        </fieldset>
        <fieldset class="form-fieldset">
          <legend class="fieldset-title" id="disc-donations">{t('disc.donations')}</legend>
          {err('donations') && <p class="form-hint-invalid">{err('donations')}</p>}
          <p class="form-hint field-hint">{t('disc.donHint')}</p>
          {dons.length > 0 && (
            <div class="krds-table-wrap edit-table-wrap" tabIndex={0} role="region" aria-label={t('disc.donations')}>
              <table class="tbl data edit-table">
                <caption class="sr-only">{t('disc.donations')}</caption>
                <thead><tr><th scope="col">{t('disc.don.from')}</th><th scope="col">{t('disc.don.kind')}</th><th scope="col">{t('disc.amountWon')}</th><th scope="col">{t('disc.don.usedFor')}</th><th scope="col">{t('disc.don.usedAmount')}</th><th scope="col"><span class="sr-only">{t('disc.remove')}</span></th></tr></thead>
                <tbody>{dons.map((x, i) => {
                  const rl = t('disc.donN', { n: i + 1 });
                  const cell = (f: string) => ({ id: `disc-donations[${i}].${f}`, 'aria-invalid': err(`donations[${i}].${f}`) ? 'true' as const : undefined });
                  return (
                    <tr key={i}>
                      <td><select class="krds-form-select" aria-label={`${rl} ${t('disc.don.from')}`} {...cell('received_from_type')} value={x.received_from_type}
                        onChange={(e) => setDon(i, { received_from_type: (e.target as HTMLSelectElement).value as any })}>
                        {(['individual', 'organization', 'anonymous'] as const).map((k) => <option key={k} value={k}>{t(`disc.from.${k}` as Key)}</option>)}</select></td>
                      <td><select class="krds-form-select" aria-label={`${rl} ${t('disc.don.kind')}`} {...cell('kind')} value={x.kind}
                        onChange={(e) => setDon(i, { kind: (e.target as HTMLSelectElement).value as any })}>
                        <option value="cash">{t('disc.dkind.cash')}</option><option value="in_kind">{t('disc.dkind.in_kind')}</option></select></td>
                      <td><input class="krds-input num" inputMode="numeric" aria-label={`${rl} ${t('disc.amountWon')}`} {...cell('amount')} value={x.amount} onInput={(e) => setDon(i, { amount: (e.target as HTMLInputElement).value })} /></td>
                      <td><input class="krds-input" aria-label={`${rl} ${t('disc.don.usedFor')}`} {...cell('used_for')} value={x.used_for} onInput={(e) => setDon(i, { used_for: (e.target as HTMLInputElement).value })} /></td>
                      <td><input class="krds-input num" inputMode="numeric" aria-label={`${rl} ${t('disc.don.usedAmount')}`} {...cell('used_amount')} value={x.used_amount} onInput={(e) => setDon(i, { used_amount: (e.target as HTMLInputElement).value })} /></td>
                      <td><button type="button" class="krds-btn tertiary small" onClick={() => setDons(dons.filter((_, j) => j !== i))}>{t('disc.remove')}<span class="sr-only"> {rl}</span></button></td>
                    </tr>
                  );
                })}</tbody>
              </table>
            </div>
          )}
          <div class="button-row"><button type="button" class="krds-btn secondary medium" onClick={() => setDons([...dons, blankDon()])}>{t('disc.addDonation')}</button></div>
        </fieldset>
        <div class="button-row form-actions">
          <button type="submit" class="krds-btn primary large btn-block-mobile" disabled={busy} aria-busy={busy ? 'true' : undefined}>{busy ? t('form.submitting') : t('disc.saveDraft')}</button>
          <Link class="krds-btn tertiary large btn-block-mobile" href={`/facilities/${encodeURIComponent(facilityId)}`}>{t('disc.cancel')}</Link>
        </div>
      </form>
    </Page>
  );
}
