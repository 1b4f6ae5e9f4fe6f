// Staff pages for triage and cases: 업무 (/staff) with the sections the user's roles allow, the
// triage queue per dong (/staff/queue), one household with its timeline (/staff/households/{id}),
// the case list (/staff/cases) and one case (/staff/cases/{id}) through its stages, with notes and
// home visits. What each role may do is decided by the server; the pages only choose what to show.
import '../styles/staff.css';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, request } from '../api';
import { label, useVocabulary } from '../catalog';
import { ErrorSummary, errorFor, problemToErrors, type FormError } from '../forms';
import { Loading, Page, type Crumb } from '../page';
import { DirectoryFailed, DirectoryLoading, useStaffDirectory } from '../components/staff-directory';
import { AccessNotice, ReasonForm } from '../components/reason-form';
import { Link, navigate, useSearch } from '../router';
import { t, useAppState, type Me } from '../store';
import type { Key } from '../i18n';
import {
  CASE_OUTCOMES, CASE_STAGES, CHECKLIST, CRISIS_LEVELS, baseField, codeLabel, deadlineText, dongName, hasAny,
  addCaseNote, advanceCase, isoOf, recordVisit, type CaseStageBody, loadOutreachVocabulary, loadWorkload, openHousehold, personLabel, span, staffFieldMessage, staffMemberLabel, triageDongs, when,
  type StaffMember, type StaffRole, type CaseDetail, type Workload, type CaseEntry, type CaseSummary, type Household, type HouseholdSummary, type OutreachVocabulary, type Queue,
} from '../staff-api';
import '../i18n-staff';
import '../i18n-care';

const CASE_ROLES = ['caseworker', 'district_admin'];
// Cases are also read by the caseworkers' supervisor (팀장), who hands them on (docs/cases.md).
const CASE_READERS = [...CASE_ROLES, 'supervisor'];

// ---- shared pieces ----------------------------------------------------------------------------------
function useOutreachVocabulary(): OutreachVocabulary | null {
  const [v, setV] = useState<OutreachVocabulary | null>(null);
  useEffect(() => { loadOutreachVocabulary().then(setV).catch(() => setV(null)); }, []);
  return v;
}

// Server errors for a staff form: field errors go next to the fields this form shows (`known`,
// by base name: needs[2] → needs), the rest to the summary.
function staffErrors(e: unknown, known: string[], overrides: Partial<Record<number, string>> = {}): FormError[] {
  if (e instanceof ApiError && e.problem.errors?.length) {
    const out: FormError[] = [];
    for (const fe of e.problem.errors) {
      const b = baseField(fe.field);
      const item = { field: known.includes(b) ? b : null, message: staffFieldMessage(fe) };
      if (!out.some((x) => x.field === item.field && x.message === item.message)) out.push(item);
    }
    return out;
  }
  return problemToErrors(e, [], overrides);
}

const WORK: Crumb = { href: '/staff', label: '' };
function crumbsFor(...rest: Crumb[]): Crumb[] {
  return [{ ...WORK, label: t('work.title') }, ...rest];
}

// The frame of every staff page: waits for the session, asks anonymous visitors to log in, and
// tells those without the roles that they may not use the page.
function StaffFrame({ title, lead, path, crumbs, roles, wide = true, children }: {
  title: string; lead?: string; path: string; crumbs: Crumb[]; roles: string[]; wide?: boolean; children: (me: Me) => ComponentChildren;
}) {
  const s = useAppState();
  if (s.session === 'unknown') return <Page title={title} crumbs={crumbs} wide={wide}><Loading /></Page>;
  if (s.session === 'anon' || !s.me) {
    return (
      <Page title={title} crumbs={crumbs} wide={wide}>
        <div class="notice-box" role="status"><p>{t('work.needLogin')}</p></div>
        <div class="button-row">
          <Link href={`/login?next=${encodeURIComponent(path)}`} class="krds-btn primary large">{t('nav.login')}</Link>
        </div>
      </Page>
    );
  }
  if (!hasAny(s.me, roles)) {
    return (
      <Page title={title} crumbs={crumbs} wide={wide}>
        <div class="notice-box notice-warning" role="status" data-field="forbidden">
          <p><strong>{t('work.forbidden')}</strong></p>
          <p>{t('work.forbidden.text')}</p>
        </div>
        <div class="button-row"><Link href="/" class="krds-btn secondary large">{t('nav.home')}</Link></div>
      </Page>
    );
  }
  return <Page title={title} lead={lead} crumbs={crumbs} wide={wide}>{children(s.me)}</Page>;
}

// A success message, read out when it appears.
function StatusLine({ text }: { text: string }) {
  return <p class={`status-message${text ? ' is-visible' : ''}`} role="status" aria-live="polite">{text}</p>;
}

function PriorityBadge({ p }: { p: string }) {
  return <span class={`krds-badge so-prio-badge so-prio-${p}`}>{t(`tri.prio.${p}` as Key)}</span>;
}
function StatusBadge({ s }: { s: string }) {
  return <span class={`krds-badge so-hh-status so-hh-status-${s}`}>{t(`tri.status.${s}` as Key)}</span>;
}

function DeadlineCell({ h, now }: { h: HouseholdSummary; now: Date }) {
  const d = h.deadline;
  const cls = d.status === 'breached' ? 'is-breached' : d.status === 'due_soon' ? 'is-due-soon' : d.status === 'met_late' ? 'is-late' : '';
  return (
    <div class={`so-deadline ${cls}`} data-field="deadline">
      {d.due_at && (
        <span class="so-deadline-due">
          {t('tri.dueLabel')} <time dateTime={isoOf(d.due_at)}>{when(d.due_at)}</time>
        </span>
      )}
      <span class="so-deadline-state" data-deadline={d.status}>
        {(d.status === 'breached' || d.status === 'due_soon') && <span class="so-deadline-mark" aria-hidden="true">!</span>}
        {deadlineText(d, now)}
      </span>
    </div>
  );
}

function SignList({ signs, vocab }: { signs: string[]; vocab: OutreachVocabulary | null }) {
  if (!signs.length) return <span class="muted">{t('tri.noSigns')}</span>;
  return (
    <ul class="so-sign-list">
      {signs.map((c) => <li key={c} class="so-sign-tag">{codeLabel(vocab?.signs, c)}</li>)}
    </ul>
  );
}

// One labelled group of radios or checkboxes, with its error (KRDS form-group markup).
function Group({ id, legend, hint, error, children }: { id: string; legend: string; hint?: string; error?: string; children: ComponentChildren }) {
  return (
    <div class={`form-group so-staff-group${error ? ' is-error' : ''}`}>
      <fieldset class="form-fieldset" aria-describedby={[hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined}>
        <legend class="so-legend">{legend}</legend>
        {hint && <p class="form-hint field-hint" id={`${id}-hint`}>{hint}</p>}
        {error && <p class="form-hint-invalid" id={`${id}-error`}>{error}</p>}
        {children}
      </fieldset>
    </div>
  );
}

// A text area or input in KRDS markup with its hint and error.
function TextArea({ id, label: lbl, hint, error, value, onInput, optional, rows = 3 }: {
  id: string; label: string; hint?: string; error?: string; value: string; onInput: (v: string) => void; optional?: boolean; rows?: number;
}) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="form-group">
      <div class="form-tit"><label for={id}>{lbl}{optional && <span class="label-optional"> ({t('form.optional')})</span>}</label></div>
      {hint && <p class="form-hint field-hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p class="form-hint-invalid" id={`${id}-error`}>{error}</p>}
      <div class={`form-conts${error ? ' is-error' : ''}`}>
        <textarea id={id} class="krds-input textarea" rows={rows} value={value} aria-describedby={describedBy}
          aria-invalid={error ? 'true' : undefined} onInput={(e) => onInput((e.target as HTMLTextAreaElement).value)} />
      </div>
    </div>
  );
}
function Input({ id, label: lbl, hint, error, value, onInput, optional, type = 'text', inputMode }: {
  id: string; label: string; hint?: string; error?: string; value: string; onInput: (v: string) => void; optional?: boolean; type?: string; inputMode?: string;
}) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="form-group">
      <div class="form-tit"><label for={id}>{lbl}{optional && <span class="label-optional"> ({t('form.optional')})</span>}</label></div>
      {hint && <p class="form-hint field-hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p class="form-hint-invalid" id={`${id}-error`}>{error}</p>}
      <div class={`form-conts${error ? ' is-error' : ''}`}>
        <input id={id} class="krds-input" type={type as any} inputMode={inputMode as any} value={value} aria-describedby={describedBy}
          aria-invalid={error ? 'true' : undefined} onInput={(e) => onInput((e.target as HTMLInputElement).value)} />
      </div>
    </div>
  );
}

function ActionButton({ busy, label: lbl, kind = 'primary' }: { busy: boolean; label: string; kind?: string }) {
  return (
    <button type="submit" class={`krds-btn ${kind} medium so-submit`} disabled={busy} aria-busy={busy ? 'true' : undefined}>
      {busy ? t('form.submitting') : lbl}
    </button>
  );
}

// Sends one form: busy flag, errors, then `done` with the success message.
function useSend(known: string[]) {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormError[]>([]);
  async function send(job: () => Promise<unknown>, done: () => void, overrides: Partial<Record<number, string>> = {}) {
    if (busy) return;
    setBusy(true);
    try {
      await job();
      setErrors([]);
      done();
    } catch (e) {
      setErrors(staffErrors(e, known, overrides));
    } finally {
      setBusy(false);
    }
  }
  return { busy, errors, setErrors, send };
}

// ---- 업무 (/staff) ------------------------------------------------------------------------------------
interface Section { href: string; key: string; roles: string[] }
const SECTIONS: Section[] = [
  { href: '/staff/queue', key: 'queue', roles: ['caseworker', 'district_admin'] },
  { href: '/staff/cases', key: 'cases', roles: CASE_READERS },
  { href: '/staff/checkins', key: 'checkins', roles: ['caseworker', 'district_admin', 'care_team', 'caregiver'] },
  { href: '/staff/screening', key: 'screening', roles: ['caseworker', 'district_admin'] },
  { href: '/staff/surveys', key: 'surveys', roles: ['caseworker', 'district_admin', 'care_team'] },
  { href: '/staff/gatekeepers', key: 'gatekeepers', roles: ['caseworker', 'district_admin'] },
  { href: '/report', key: 'report', roles: ['gatekeeper'] },
  { href: '/me/reports', key: 'myReports', roles: ['gatekeeper'] },
  { href: '/staff/privacy', key: 'privacy', roles: ['privacy_officer', 'district_admin'] },
];
const HUB_ROLES = ['caseworker', 'district_admin', 'care_team', 'caregiver', 'gatekeeper', 'privacy_officer'];

export function StaffHome() {
  return (
    <StaffFrame title={t('work.title')} path="/staff" crumbs={[{ label: t('work.title') }]} roles={HUB_ROLES}>
      {(me) => <StaffHomeBody me={me} />}
    </StaffFrame>
  );
}

function StaffHomeBody({ me }: { me: Me }) {
  const sections = SECTIONS.filter((x) => hasAny(me, x.roles));
  const grants = me.roles.filter((g) => HUB_ROLES.includes(g.role));
  return (
    <>
      <p class="page-lead">{t('work.lead')}</p>
      <ul class="card-grid so-work-cards">
        {sections.map((x) => (
          <li key={x.href} class="card card-link so-work-card" data-section={x.key}>
            <h2 class="card-title"><Link href={x.href}>{t(`work.${x.key}.title` as Key)}</Link></h2>
            <p class="card-text">{t(`work.${x.key}.text` as Key)}</p>
          </li>
        ))}
      </ul>
      <section class="panel so-work-me" aria-labelledby="work-me-title">
        <h2 id="work-me-title" class="panel-title">{t('work.me.title')}</h2>
        <dl class="info-list">
          <div><dt>{t('work.me.name')}</dt><dd data-field="my-name">{me.name}</dd></div>
          <div>
            <dt>{t('work.me.scope')}</dt>
            <dd>
              <ul class="so-work-grants">
                {grants.map((g) => <li key={g.id}>{t(`work.role.${g.role}` as Key)} · {g.scope_name ?? g.scope_id}</li>)}
              </ul>
            </dd>
          </div>
        </dl>
        <p class="muted so-work-me-hint">{t('work.me.hint')}</p>
      </section>
    </>
  );
}

// ---- the triage queue (/staff/queue) ----------------------------------------------------------------
interface QueueFilter { dong: string; status: string; mine: boolean; breached: boolean; page: number }
function readFilter(p: URLSearchParams): QueueFilter {
  const page = Number(p.get('page') || '1');
  const status = p.get('status') || 'open';
  return {
    dong: p.get('dong') || '',
    status: ['open', 'all', 'new', 'assigned', 'contacted', 'closed'].includes(status) ? status : 'open',
    mine: p.get('mine') === '1',
    breached: p.get('breached') === '1',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}
function filterHref(f: QueueFilter): string {
  const p = new URLSearchParams();
  if (f.dong) p.set('dong', f.dong);
  if (f.status !== 'open') p.set('status', f.status);
  if (f.mine) p.set('mine', '1');
  if (f.breached) p.set('breached', '1');
  if (f.page > 1) p.set('page', String(f.page));
  const q = p.toString();
  return '/staff/queue' + (q ? '?' + q : '');
}

export function QueuePage() {
  return (
    <StaffFrame title={t('tri.queue.title')} path="/staff/queue" crumbs={crumbsFor({ label: t('tri.queue.title') })} roles={CASE_ROLES}>
      {(me) => <QueueBody me={me} />}
    </StaffFrame>
  );
}

function QueueBody({ me }: { me: Me }) {
  const search = useSearch();
  const filter = readFilter(search);
  const key = filterHref(filter);
  const vocab = useOutreachVocabulary();
  const [data, setData] = useState<Queue | null>(null);
  const [error, setError] = useState<FormError[]>([]);
  const [forbidden, setForbidden] = useState(false);
  const [status, setStatus] = useState('');
  const [open, setOpen] = useState<number | null>(null);
  const [draft, setDraft] = useState<QueueFilter>(filter);
  const [workload, setWorkload] = useState<Workload | null>(null);
  const reach = triageDongs(me);
  const dongChoices = reach.all ? [...reach.dongs.map((d) => String(d.id)), '0'] : reach.dongs.map((d) => String(d.id));

  async function load() {
    const p = new URLSearchParams();
    if (filter.dong) p.set('dong_id', filter.dong);
    if (filter.status !== 'open') p.set('status', filter.status);
    if (filter.mine) p.set('assigned_to', 'me');
    if (filter.breached) p.set('breached', '1');
    if (filter.page > 1) p.set('page', String(filter.page));
    loadWorkload().then(setWorkload);
    try {
      const q = await api<Queue>('GET', `/api/v1/outreach/queue${p.toString() ? '?' + p : ''}`);
      setData(q);
      setError([]);
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) setForbidden(true);
      else setError(staffErrors(e, []));
      setData(null);
    }
  }
  useEffect(() => { setDraft(filter); load(); }, [key]);

  function done(msg: string) { setStatus(msg); load(); }

  if (forbidden) {
    return <div class="notice-box notice-warning" role="status" data-field="forbidden"><p>{t('tri.queue.forbidden')}</p></div>;
  }
  const now = data ? new Date(data.now) : new Date();
  const rules = vocab?.urgencies ?? [];
  return (
    <>
      <p class="page-lead">{t('tri.queue.lead')}</p>
      {rules.length > 0 && (
        <ul class="so-rule-list" aria-label={t('tri.rules')}>
          {rules.map((r) => <li key={r.code}><PriorityBadge p={r.code} /> {t('tri.rule', { span: span(r.contact_within_hours * 3600) })}</li>)}
        </ul>
      )}
      <ErrorSummary errors={error} idPrefix="queue" />
      <StatusLine text={status} />
      {data && (
        <ul class="stat-cards compact so-queue-counts" aria-label={t('tri.counts')}>
          <li class="stat-card"><p class="stat-card-title">{t('tri.count.open')}</p><p class="stat-card-value" data-count="open">{data.counts.open}</p></li>
          <li class="stat-card"><p class="stat-card-title">{t('tri.count.unassigned')}</p><p class="stat-card-value" data-count="unassigned">{data.counts.unassigned}</p></li>
          <li class={`stat-card${data.counts.breached ? ' is-alert' : ''}`}>
            <p class="stat-card-title">{t('tri.count.breached')}</p><p class="stat-card-value" data-count="breached">{data.counts.breached}</p>
          </li>
          <li class="stat-card"><p class="stat-card-title">{t('tri.count.due24')}</p><p class="stat-card-value" data-count="due24">{data.counts.due_within_24h}</p></li>
        </ul>
      )}
      <form class="panel so-queue-filter" aria-labelledby="queue-filter-title" onSubmit={(e) => { e.preventDefault(); navigate(filterHref({ ...draft, page: 1 }), { keepScroll: true }); }}>
        <h2 id="queue-filter-title" class="panel-title">{t('tri.filter.title')}</h2>
        <div class="filter-grid so-queue-filter-grid">
          {dongChoices.length > 1 && (
            <div class="form-group">
              <div class="form-tit"><label for="queue-dong">{t('tri.filter.dong')}</label></div>
              <div class="form-conts">
                <select id="queue-dong" class="krds-form-select" value={draft.dong} onChange={(e) => setDraft({ ...draft, dong: (e.target as HTMLSelectElement).value })}>
                  <option value="">{t('tri.filter.allDongs')}</option>
                  {dongChoices.map((id) => <option key={id} value={id}>{dongName(id)}</option>)}
                </select>
              </div>
            </div>
          )}
          <div class="form-group">
            <div class="form-tit"><label for="queue-status">{t('tri.filter.status')}</label></div>
            <div class="form-conts">
              <select id="queue-status" class="krds-form-select" value={draft.status} onChange={(e) => setDraft({ ...draft, status: (e.target as HTMLSelectElement).value })}>
                {['open', 'new', 'assigned', 'contacted', 'closed', 'all'].map((x) => <option key={x} value={x}>{t(`tri.filter.status.${x}` as Key)}</option>)}
              </select>
            </div>
          </div>
          <div class="form-group so-queue-checks">
            <div class="krds-form-check">
              <input type="checkbox" id="queue-mine" checked={draft.mine} onChange={(e) => setDraft({ ...draft, mine: (e.target as HTMLInputElement).checked })} />
              <label for="queue-mine">{t('tri.filter.mine')}</label>
            </div>
            <div class="krds-form-check">
              <input type="checkbox" id="queue-breached" checked={draft.breached} onChange={(e) => setDraft({ ...draft, breached: (e.target as HTMLInputElement).checked })} />
              <label for="queue-breached">{t('tri.filter.breached')}</label>
            </div>
          </div>
        </div>
        <div class="filter-actions"><button type="submit" class="krds-btn secondary medium">{t('tri.filter.apply')}</button></div>
      </form>
      {!data ? (error.length ? null : <Loading />) : data.items.length === 0 ? (
        <div class="empty-state" data-field="queue-empty"><p class="empty-title">{t('tri.queue.empty')}</p></div>
      ) : (
        <>
          <div class="krds-table-wrap so-staff-table-wrap">
            <table class="tbl data so-staff-table so-queue-table">
              <caption>{t('tri.queue.caption', { n: data.total })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('tri.col.household')}</th>
                  <th scope="col">{t('tri.col.priority')}</th>
                  <th scope="col">{t('tri.col.deadline')}</th>
                  <th scope="col">{t('tri.col.signals')}</th>
                  <th scope="col">{t('tri.col.assignee')}</th>
                  <th scope="col">{t('tri.col.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((h) => (
                  <QueueRow key={h.id} h={h} me={me} now={now} vocab={vocab} workload={workload} open={open === h.id}
                    toggle={() => setOpen(open === h.id ? null : h.id)} done={done} />
                ))}
              </tbody>
            </table>
          </div>
          {data.total > data.page_size && (
            <nav class="krds-pagination so-queue-pages" aria-label={t('tri.pages')}>
              {filter.page > 1 && <Link class="page-navi prev" href={filterHref({ ...filter, page: filter.page - 1 })}>{t('admin.prev')}</Link>}
              <span class="page-status">{t('tri.pageOf', { n: filter.page, total: Math.ceil(data.total / data.page_size) })}</span>
              {filter.page * data.page_size < data.total && <Link class="page-navi next" href={filterHref({ ...filter, page: filter.page + 1 })}>{t('admin.next')}</Link>}
            </nav>
          )}
        </>
      )}
      {workload && <WorkloadPanel w={workload} me={me} />}
    </>
  );
}

// Who carries how much, weighted by risk, and where the care team would go (the workload API).
function WorkloadPanel({ w, me }: { w: Workload; me: Me }) {
  const busy = w.dongs.filter((d) => d.risk > 0 || d.caseworkers > 0 || d.care_team_members > 0);
  const quiet = w.dongs.length - busy.length;
  return (
    <section class="so-workload" aria-labelledby="workload-title">
      <h2 id="workload-title" class="section-title">{t('tri.wl.title')}</h2>
      <p class="section-lead">{t('tri.wl.lead')}</p>
      {w.staff.length === 0 ? <p class="muted">{t('tri.wl.noStaff')}</p> : (
        <div class="krds-table-wrap so-staff-table-wrap">
          <table class="tbl data so-staff-table so-workload-staff">
            <caption>{t('tri.wl.staffCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('tri.col.assignee')}</th>
                <th scope="col">{t('tri.wl.dongs')}</th>
                <th scope="col" class="num">{t('tri.wl.households')}</th>
                <th scope="col" class="num">{t('tri.wl.cases')}</th>
                <th scope="col" class="num">{t('tri.wl.load')}</th>
              </tr>
            </thead>
            <tbody>
              {w.staff.map((x) => (
                <tr key={x.account_id} data-staff={x.account_id}>
                  <th scope="row" data-label={t('tri.col.assignee')}>{personLabel(x.account_id, me)}</th>
                  <td data-label={t('tri.wl.dongs')}>{x.dong_ids.map((d) => (d === null ? t('tri.wl.district') : dongName(d))).join(', ')}</td>
                  <td data-label={t('tri.wl.households')} class="num">{x.households}</td>
                  <td data-label={t('tri.wl.cases')} class="num">{x.cases}</td>
                  <td data-label={t('tri.wl.load')} class="num" data-field="load"><strong>{x.load}</strong></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <details class="so-action-fold so-workload-dongs">
        <summary>{t('tri.wl.dongTitle')}</summary>
        <div class="so-action-body">
          <div class="krds-table-wrap so-staff-table-wrap">
            <table class="tbl data so-staff-table">
              <caption>{t('tri.wl.dongCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('tri.filter.dong')}</th>
                  <th scope="col" class="num">{t('tri.wl.openHh')}</th>
                  <th scope="col" class="num">{t('tri.wl.cases')}</th>
                  <th scope="col" class="num">{t('tri.wl.screening')}</th>
                  <th scope="col" class="num">{t('tri.wl.risk')}</th>
                  <th scope="col" class="num">{t('tri.wl.perCaseworker')}</th>
                  <th scope="col" class="num">{t('tri.wl.careTeam')}</th>
                </tr>
              </thead>
              <tbody>
                {busy.map((d) => (
                  <tr key={d.dong.id} data-dong={d.dong.id}>
                    <th scope="row" data-label={t('tri.filter.dong')}>{dongName(d.dong.id)}</th>
                    <td data-label={t('tri.wl.openHh')} class="num">{t('tri.wl.openHhN', { n: d.open_households, u: d.unassigned })}</td>
                    <td data-label={t('tri.wl.cases')} class="num">{d.open_cases}</td>
                    <td data-label={t('tri.wl.screening')} class="num">{d.screening_pending}</td>
                    <td data-label={t('tri.wl.risk')} class="num"><strong>{d.risk}</strong></td>
                    <td data-label={t('tri.wl.perCaseworker')} class="num">
                      {d.risk_per_caseworker === null ? t('tri.wl.noCaseworker') : t('tri.wl.perN', { r: Math.round(d.risk_per_caseworker * 10) / 10, n: d.caseworkers })}
                    </td>
                    <td data-label={t('tri.wl.careTeam')} class="num">{t('tri.wl.careTeamN', { now: d.care_team_members, suggested: d.suggested_care_team_members })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {quiet > 0 && <p class="muted">{t('tri.wl.quiet', { n: quiet })}</p>}
          <p class="muted">{t('tri.wl.careTeamHint', { n: w.care_team_members })}</p>
        </div>
      </details>
    </section>
  );
}

function QueueRow({ h, me, now, vocab, workload, open, toggle, done }: {
  h: HouseholdSummary; me: Me; now: Date; vocab: OutreachVocabulary | null; workload: Workload | null; open: boolean; toggle: () => void; done: (msg: string) => void;
}) {
  const isOpen = h.status !== 'closed' && h.status !== 'merged';
  const panelId = `hh-actions-${h.id}`;
  return (
    <>
      <tr class={`so-queue-row${h.deadline.breached ? ' is-breached' : ''}`} data-household={h.id}>
        <th scope="row" data-label={t('tri.col.household')}>
          <Link href={`/staff/households/${h.id}`} class="so-hh-link">{t('tri.householdN', { n: h.id })}</Link>
          <span class="so-hh-dong">{dongName(h.dong?.id ?? 0)}</span>
          <StatusBadge s={h.status} />
        </th>
        <td data-label={t('tri.col.priority')}><PriorityBadge p={h.priority} /></td>
        <td data-label={t('tri.col.deadline')}><DeadlineCell h={h} now={now} /></td>
        <td data-label={t('tri.col.signals')}>
          <p class="so-hh-reports">{t('tri.reports', { n: h.report_count })}{h.last_report_at && <> · {t('tri.lastReport', { at: when(h.last_report_at) })}</>}</p>
          {!!h.pending_suggestions && <p class="so-hh-suggestions" data-field="pending-suggestions"><strong>{t('tri.sug.pending', { n: h.pending_suggestions })}</strong></p>}
          <SignList signs={h.signs} vocab={vocab} />
        </td>
        <td data-label={t('tri.col.assignee')} data-field="assignee">{personLabel(h.assigned_to, me)}</td>
        <td data-label={t('tri.col.actions')}>
          <div class="so-row-actions">
            {isOpen && String(h.assigned_to) !== String(me.id) && <AssignMe h={h} me={me} done={done} />}
            {isOpen && (
              <button type="button" class="krds-btn tertiary small" aria-expanded={open} aria-controls={panelId} onClick={toggle}>
                {open ? t('tri.moreActions.hide') : t('tri.moreActions')}
                <span class="sr-only"> ({t('tri.householdN', { n: h.id })})</span>
              </button>
            )}
          </div>
        </td>
      </tr>
      {isOpen && (
        <tr class="so-queue-actions-row" id={panelId} hidden={!open}>
          <td colSpan={6}>
            {open && <HouseholdActions h={h} me={me} done={done} vocab={vocab} workload={workload} prefix={`q${h.id}`} />}
          </td>
        </tr>
      )}
    </>
  );
}

function AssignMe({ h, me, done }: { h: HouseholdSummary; me: Me; done: (msg: string) => void }) {
  const { busy, errors, send } = useSend([]);
  return (
    <>
      <button type="button" class="krds-btn secondary small" disabled={busy} onClick={() =>
        send(() => api('POST', `/api/v1/outreach/households/${h.id}/assign`, { account_id: Number(me.id) }),
          () => done(t('tri.done.assignedMe', { n: h.id })))}>
        {t('tri.assignMe')}<span class="sr-only"> ({t('tri.householdN', { n: h.id })})</span>
      </button>
      {errors.length > 0 && <p class="form-hint-invalid" role="alert">{errors.map((e) => e.message).join(' ')}</p>}
    </>
  );
}

// The triage actions on one household: assign to a colleague, record a contact, close, merge (and,
// on the household page, move to another dong). Each is a small form that folds open.
function HouseholdActions({ h, me, done, vocab, workload, prefix, withMove }: {
  h: HouseholdSummary; me: Me; done: (msg: string) => void; vocab: OutreachVocabulary | null; workload: Workload | null; prefix: string; withMove?: boolean;
}) {
  return (
    <div class="so-hh-actions">
      <h3 class="sr-only">{t('tri.actionsFor', { n: h.id })}</h3>
      <ActionFold title={t('tri.assign.title')}><AssignForm h={h} me={me} done={done} prefix={prefix} workload={workload} /></ActionFold>
      <ActionFold title={h.contacted_at ? t('tri.contact.again') : t('tri.contact.title')} primary={!h.contacted_at}>
        <ContactForm h={h} done={done} prefix={prefix} />
      </ActionFold>
      <ActionFold title={t('tri.close.title')}><CloseForm h={h} done={done} prefix={prefix} vocab={vocab} /></ActionFold>
      <ActionFold title={t('tri.merge.title')}><MergeForm h={h} done={done} prefix={prefix} /></ActionFold>
      {withMove && <ActionFold title={t('tri.move.title')}><MoveForm h={h} me={me} done={done} prefix={prefix} /></ActionFold>}
    </div>
  );
}

function ActionFold({ title, children, primary }: { title: string; children: ComponentChildren; primary?: boolean }) {
  return (
    <details class={`so-action-fold${primary ? ' is-primary' : ''}`}>
      <summary>{title}</summary>
      <div class="so-action-body">{children}</div>
    </details>
  );
}

// Assign to a colleague: the caseworkers of the household's dong from the staff directory (name
// and role, with the load the workload knows); or automatically to the one with the lowest
// weighted load. An account number only when the list cannot be had (no dong yet, or the
// directory did not answer). Care-team members are not listed: a household goes only to someone
// who may open it, and the server refuses them (cannot_be_assigned).
const ASSIGNABLE: StaffRole[] = ['caseworker'];
function AssignForm({ h, me, done, prefix, workload }: { h: HouseholdSummary; me: Me; done: (msg: string) => void; prefix: string; workload: Workload | null }) {
  const dongId = h.dong?.id ?? null;
  const dir = useStaffDirectory(dongId, ASSIGNABLE);
  const [choice, setChoice] = useState('');
  const [id, setId] = useState('');
  const { busy, errors, send } = useSend(['account_id']);
  const p = `${prefix}-assign`;
  const manual = !dongId || dir.status === 'failed';
  const listed = !manual && dir.items.length > 0;
  const err = errorFor(errors, 'account_id');
  const loads = new Map((workload?.staff ?? []).map((x) => [String(x.account_id), x]));
  const optionLabel = (x: StaffMember) => {
    let label = staffMemberLabel(x);
    if (String(x.account_id) === String(me.id)) label = t('tri.assign.me', { label });
    const l = loads.get(String(x.account_id));
    return l ? t('tri.assign.option', { name: label, load: l.load, hh: l.households, cases: l.cases }) : label;
  };
  // A colleague who left the list since it loaded: the choice goes with them.
  const value = listed && dir.items.some((x) => String(x.account_id) === choice) ? choice : '';
  return (
    <form noValidate onSubmit={(e) => {
      e.preventDefault();
      const raw = (manual ? id : value).trim();
      const n = /^\d+$/.test(raw) ? Number(raw) : raw === '' ? undefined : raw;
      send(async () => {
        try {
          await api('POST', `/api/v1/outreach/households/${h.id}/assign`, { account_id: n });
        } catch (x) {
          if (!manual) dir.reload();  // whoever was refused may have lost the role: show the list as it is now
          throw x;
        }
      }, () => done(t('tri.done.assigned', { n: h.id, who: typeof n === 'number' ? personLabel(n, me) : raw })));
    }}>
      <ErrorSummary errors={errors} idPrefix={p} />
      {!dongId && <p class="form-hint so-assign-note" data-field="no-dong">{t('tri.assign.noDong')}</p>}
      {dongId && dir.status === 'failed' && <DirectoryFailed onRetry={dir.reload} />}
      {dongId && dir.status === 'loading' && dir.items.length === 0 && <DirectoryLoading />}
      {dongId && dir.status === 'ready' && dir.items.length === 0 && (
        <p class="form-hint so-assign-note" data-field="no-staff">{t('tri.assign.none')}</p>
      )}
      {listed && (
        <div class="form-group">
          <div class="form-tit"><label for={`${p}-account_id`}>{t('tri.assign.colleague')}</label></div>
          <p class="form-hint field-hint" id={`${p}-account_id-hint`}>{t('tri.assign.colleagueHint')}</p>
          {err && <p class="form-hint-invalid" id={`${p}-account_id-error`}>{err}</p>}
          <div class={`form-conts${err ? ' is-error' : ''}`}>
            <select id={`${p}-account_id`} class="krds-form-select" value={value}
              aria-describedby={`${p}-account_id-hint${err ? ` ${p}-account_id-error` : ''}`} aria-invalid={err ? 'true' : undefined}
              onChange={(e) => setChoice((e.target as HTMLSelectElement).value)}>
              <option value="">{t('form.choose')}</option>
              {dir.items.map((x) => <option key={x.account_id} value={String(x.account_id)}>{optionLabel(x)}</option>)}
            </select>
          </div>
        </div>
      )}
      {manual && (
        <Input id={`${p}-account_id`} label={t('tri.assign.account')} hint={t('tri.assign.hint')} inputMode="numeric"
          error={err} value={id} onInput={setId} />
      )}
      <div class="so-assign-buttons">
        {(manual || listed) && <ActionButton busy={busy} label={t('tri.assign.submit')} />}
        {workload && (
          <button type="button" class="krds-btn secondary medium so-submit" disabled={busy} onClick={() => {
            let who: number | null = null;
            send(async () => { who = (await api<{ assignment?: { account_id: number } }>('POST', `/api/v1/outreach/households/${h.id}/assign`, { auto: true })).assignment?.account_id ?? null; },
              () => done(t('tri.done.auto', { n: h.id, who: personLabel(who, me) })));
          }}>{t('tri.assign.auto')}</button>
        )}
      </div>
      {workload && <p class="so-assign-auto-hint">{t('tri.assign.autoHint')}</p>}
    </form>
  );
}

// datetime-local gives "2025-03-01T09:30" with no zone: it is Korean time.
function koreanTime(local: string): string | undefined {
  if (!local) return undefined;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? `${local}:00+09:00` : local;
}

function ContactForm({ h, done, prefix }: { h: HouseholdSummary; done: (msg: string) => void; prefix: string }) {
  const [note, setNote] = useState('');
  const [at, setAt] = useState('');
  const { busy, errors, send } = useSend(['note', 'contacted_at']);
  const p = `${prefix}-contact`;
  return (
    <form noValidate onSubmit={(e) => {
      e.preventDefault();
      const body: Record<string, string> = {};
      if (note.trim()) body.note = note;
      const when = koreanTime(at);
      if (when) body.contacted_at = when;
      send(() => api('POST', `/api/v1/outreach/households/${h.id}/contact`, body), () => done(t('tri.done.contacted', { n: h.id })));
    }}>
      <ErrorSummary errors={errors} idPrefix={p} />
      <TextArea id={`${p}-note`} label={t('tri.contact.note')} hint={t('tri.contact.noteHint')} optional error={errorFor(errors, 'note')} value={note} onInput={setNote} />
      <Input id={`${p}-contacted_at`} type="datetime-local" label={t('tri.contact.at')} hint={t('tri.contact.atHint')} optional
        error={errorFor(errors, 'contacted_at')} value={at} onInput={setAt} />
      <ActionButton busy={busy} label={t('tri.contact.submit')} />
    </form>
  );
}

function CloseForm({ h, done, prefix, vocab }: { h: HouseholdSummary; done: (msg: string) => void; prefix: string; vocab: OutreachVocabulary | null }) {
  const [outcome, setOutcome] = useState('');
  const [note, setNote] = useState('');
  const { busy, errors, send } = useSend(['outcome', 'note']);
  const p = `${prefix}-close`;
  const err = errorFor(errors, 'outcome');
  return (
    <form noValidate onSubmit={(e) => {
      e.preventDefault();
      const body: Record<string, string> = {};
      if (outcome) body.outcome = outcome;
      if (note.trim()) body.note = note;
      send(() => api('POST', `/api/v1/outreach/households/${h.id}/close`, body), () => done(t('tri.done.closed', { n: h.id })));
    }}>
      <ErrorSummary errors={errors} idPrefix={p} />
      <div class="form-group">
        <div class="form-tit"><label for={`${p}-outcome`}>{t('tri.close.outcome')}</label></div>
        {err && <p class="form-hint-invalid" id={`${p}-outcome-error`}>{err}</p>}
        <div class={`form-conts${err ? ' is-error' : ''}`}>
          <select id={`${p}-outcome`} class="krds-form-select" value={outcome} aria-invalid={err ? 'true' : undefined}
            aria-describedby={err ? `${p}-outcome-error` : undefined} onChange={(e) => setOutcome((e.target as HTMLSelectElement).value)}>
            <option value="">{t('form.choose')}</option>
            {(vocab?.outcomes ?? []).map((o) => <option key={o.code} value={o.code}>{codeLabel(vocab?.outcomes, o.code)}</option>)}
          </select>
        </div>
      </div>
      <TextArea id={`${p}-note`} label={t('tri.close.note')} optional error={errorFor(errors, 'note')} value={note} onInput={setNote} />
      <ActionButton busy={busy} label={t('tri.close.submit')} kind="secondary" />
    </form>
  );
}

function MergeForm({ h, done, prefix }: { h: HouseholdSummary; done: (msg: string) => void; prefix: string }) {
  const [other, setOther] = useState('');
  const { busy, errors, send } = useSend(['household_id']);
  const p = `${prefix}-merge`;
  return (
    <form noValidate onSubmit={(e) => {
      e.preventDefault();
      const n = /^\d+$/.test(other.trim()) ? Number(other.trim()) : other.trim() === '' ? undefined : other.trim();
      send(() => api('POST', `/api/v1/outreach/households/${h.id}/merge`, { household_id: n }), () => done(t('tri.done.merged', { n: h.id, other: other.trim() })),
        { 403: t('tri.merge.forbidden'), 404: t('tri.merge.forbidden') });
    }}>
      <ErrorSummary errors={errors} idPrefix={p} />
      <Input id={`${p}-household_id`} label={t('tri.merge.other')} hint={t('tri.merge.hint', { n: h.id })} inputMode="numeric"
        error={errorFor(errors, 'household_id')} value={other} onInput={setOther} />
      <ActionButton busy={busy} label={t('tri.merge.submit')} kind="secondary" />
    </form>
  );
}

function MoveForm({ h, me, done, prefix }: { h: HouseholdSummary; me: Me; done: (msg: string) => void; prefix: string }) {
  const [dong, setDong] = useState('');
  const { busy, errors, send } = useSend(['dong_id']);
  const p = `${prefix}-move`;
  const err = errorFor(errors, 'dong_id');
  const district = triageDongs(me);
  // Any dong of the district may be the target; the server checks both ends.
  const all = (useAppState().districts ?? []).find((d) => String(d.id) === String(h.district_id))?.dongs ?? district.dongs;
  return (
    <form noValidate onSubmit={(e) => {
      e.preventDefault();
      send(() => api('PATCH', `/api/v1/outreach/households/${h.id}`, { dong_id: dong ? Number(dong) : undefined }),
        () => done(t('tri.done.moved', { n: h.id, dong: dongName(dong) })), { 403: t('tri.move.forbidden') });
    }}>
      <ErrorSummary errors={errors} idPrefix={p} />
      <div class="form-group">
        <div class="form-tit"><label for={`${p}-dong_id`}>{t('tri.move.dong')}</label></div>
        <p class="form-hint field-hint" id={`${p}-dong_id-hint`}>{t('tri.move.hint')}</p>
        {err && <p class="form-hint-invalid" id={`${p}-dong_id-error`}>{err}</p>}
        <div class={`form-conts${err ? ' is-error' : ''}`}>
          <select id={`${p}-dong_id`} class="krds-form-select" value={dong} aria-invalid={err ? 'true' : undefined}
            aria-describedby={`${p}-dong_id-hint${err ? ` ${p}-dong_id-error` : ''}`} onChange={(e) => setDong((e.target as HTMLSelectElement).value)}>
            <option value="">{t('form.choose')}</option>
            {all.filter((d) => String(d.id) !== String(h.dong?.id)).map((d) => <option key={d.id} value={String(d.id)}>{dongName(d.id)}</option>)}
          </select>
        </div>
      </div>
      <ActionButton busy={busy} label={t('tri.move.submit')} kind="secondary" />
    </form>
  );
}

// ---- one household (/staff/households/{id}) -----------------------------------------------------------
export function HouseholdPage({ id }: { id: string }) {
  const title = t('tri.householdN', { n: id });
  return (
    <StaffFrame title={title} path={`/staff/households/${id}`} roles={CASE_ROLES}
      crumbs={crumbsFor({ href: '/staff/queue', label: t('tri.queue.title') }, { label: title })}>
      {(me) => <HouseholdBody id={id} me={me} />}
    </StaffFrame>
  );
}

function HouseholdBody({ id, me }: { id: string; me: Me }) {
  const [reason, setReason] = useState<string | null>(null);
  const [h, setH] = useState<Household | null>(null);
  const [denied, setDenied] = useState<'forbidden' | 'missing' | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [status, setStatus] = useState('');
  const [cases, setCases] = useState<CaseSummary[]>([]);
  const [workload, setWorkload] = useState<Workload | null>(null);
  const vocab = useOutreachVocabulary();

  async function load(r: string) {
    try {
      const x = await openHousehold(id, r);
      loadWorkload().then(setWorkload);
      setH(x);
      setErrors([]);
      api<{ items: CaseSummary[] }>('GET', '/api/v1/cases').then((c) => setCases(c.items.filter((k) => String(k.household_id) === String(x.id)))).catch(() => setCases([]));
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) setDenied('forbidden');
      else if (e instanceof ApiError && e.status === 404) setDenied('missing');
      else { setErrors(staffErrors(e, ['reason'])); setReason(null); }
    }
  }
  useEffect(() => { if (reason) load(reason); }, [reason]);

  if (denied) {
    return (
      <>
        <div class="notice-box notice-warning" role="alert" data-field="denied">
          <p><strong>{denied === 'forbidden' ? t('tri.hh.forbidden') : t('tri.hh.missing')}</strong></p>
          <p>{t('tri.hh.forbiddenText')}</p>
        </div>
        <div class="button-row"><Link href="/staff/queue" class="krds-btn secondary large">{t('tri.backToQueue')}</Link></div>
      </>
    );
  }
  if (!reason) return <ReasonForm errors={errors} onChoose={setReason} />;
  if (!h) return <Loading />;
  const isOpen = h.status !== 'closed' && h.status !== 'merged';
  const openCase = cases.find((c) => c.stage !== 'closed');
  const done = (msg: string) => { setStatus(msg); load(reason); };
  return (
    <>
      <AccessNotice reason={reason} />
      <StatusLine text={status} />
      {h.merged_into && (
        <div class="notice-box" role="status"><p>{t('tri.hh.merged')} <Link class="text-link" href={`/staff/households/${h.merged_into}`}>{t('tri.householdN', { n: h.merged_into })}</Link></p></div>
      )}
      <section class="panel so-hh-summary" aria-labelledby="hh-summary-title">
        <h2 id="hh-summary-title" class="panel-title">{t('tri.hh.summary')}</h2>
        <div class="so-hh-badges"><PriorityBadge p={h.priority} /><StatusBadge s={h.status} /></div>
        <dl class="info-list">
          <div><dt>{t('tri.col.deadline')}</dt><dd><DeadlineCell h={h} now={new Date()} /></dd></div>
          <div><dt>{t('tri.hh.dong')}</dt><dd>{dongName(h.dong?.id ?? 0)}</dd></div>
          <div><dt>{t('tri.col.assignee')}</dt><dd data-field="assignee">{personLabel(h.assigned_to, me)}</dd></div>
          {h.address && <div><dt>{t('tri.hh.address')}</dt><dd data-field="address">{h.address}</dd></div>}
          {h.place && <div><dt>{t('tri.hh.place')}</dt><dd>{h.place}</dd></div>}
          {h.name && <div><dt>{t('tri.hh.name')}</dt><dd>{h.name}</dd></div>}
          {h.phone && <div><dt>{t('tri.hh.phone')}</dt><dd>{h.phone}</dd></div>}
          <div><dt>{t('tri.col.signals')}</dt><dd><p class="so-hh-reports">{t('tri.reports', { n: h.report_count })}</p><SignList signs={h.signs} vocab={vocab} /></dd></div>
          {h.contacted_at && <div><dt>{t('tri.hh.contactedAt')}</dt><dd>{when(h.contacted_at, true)}</dd></div>}
          {h.outcome && <div><dt>{t('tri.hh.outcome')}</dt><dd data-field="outcome">{codeLabel(vocab?.outcomes, h.outcome)}</dd></div>}
        </dl>
      </section>

      <section class="panel" aria-labelledby="hh-case-title">
        <h2 id="hh-case-title" class="panel-title">{t('tri.hh.caseTitle')}</h2>
        {cases.length > 0 && (
          <ul class="so-hh-cases">
            {cases.map((c) => (
              <li key={c.id}><Link class="text-link" href={`/staff/cases/${c.id}`}>{t('case.caseN', { n: c.id })}</Link> · {t(`case.stage.${c.stage}` as Key)}</li>
            ))}
          </ul>
        )}
        {!openCase && h.status !== 'merged' && <OpenCase h={h} />}
        {!openCase && cases.length === 0 && h.status === 'merged' && <p class="muted">{t('tri.hh.noCaseMerged')}</p>}
      </section>

      {isOpen && (
        <section class="panel" aria-labelledby="hh-actions-title">
          <h2 id="hh-actions-title" class="panel-title">{t('tri.hh.actions')}</h2>
          {String(h.assigned_to) !== String(me.id) && <div class="button-row so-hh-assign-me"><AssignMe h={h} me={me} done={done} /></div>}
          <HouseholdActions h={h} me={me} done={done} vocab={vocab} workload={workload} prefix="hh" withMove />
        </section>
      )}

      {h.suggestions && h.suggestions.length > 0 && <Suggestions h={h} done={done} vocab={vocab} />}

      <section class="hh-timeline-section" aria-labelledby="hh-timeline-title">
        <h2 id="hh-timeline-title" class="section-title">{t('tri.hh.timeline')}</h2>
        <p class="muted so-timeline-note">{t('tri.hh.reporterHidden')}</p>
        <ol class="so-timeline">
          {h.timeline.map((ev, i) => <TimelineItem key={i} ev={ev} me={me} vocab={vocab} />)}
        </ol>
      </section>
    </>
  );
}

// Changes unverified reports asked for: never applied until an official accepts them.
function Suggestions({ h, done, vocab }: { h: Household; done: (msg: string) => void; vocab: OutreachVocabulary | null }) {
  const { busy, errors, send } = useSend([]);
  const show = (field: string, v: string | null) => {
    if (v === null || v === '') return t('tri.sug.none');
    if (field === 'priority') return codeLabel(vocab?.urgencies, v);
    if (field === 'status') return v === 'new' ? t('tri.sug.contactAgain') : t(`tri.status.${v}` as Key);
    return v;
  };
  return (
    <section class="panel so-suggestions" aria-labelledby="hh-sug-title">
      <h2 id="hh-sug-title" class="panel-title">{t('tri.sug.title', { n: h.suggestions!.length })}</h2>
      <p class="muted">{t('tri.sug.lead')}</p>
      <ErrorSummary errors={errors} idPrefix="sug" />
      <ul class="so-sug-list">
        {h.suggestions!.map((x) => (
          <li key={x.id} class="so-sug-item" data-field={`suggestion-${x.field}`}>
            <p class="so-sug-what"><strong>{t(`tri.sug.field.${x.field}` as Key)}</strong></p>
            <dl class="so-sug-values">
              <div><dt>{t('tri.sug.current')}</dt><dd>{show(x.field, x.current)}</dd></div>
              <div><dt>{t('tri.sug.suggested')}</dt><dd lang={x.field === 'priority' || x.field === 'status' ? undefined : 'ko'}>{show(x.field, x.value)}</dd></div>
            </dl>
            <div class="button-row">
              <button type="button" class="krds-btn primary small" disabled={busy}
                aria-label={`${t('tri.sug.accept')}: ${t(`tri.sug.field.${x.field}` as Key)}`}
                onClick={() => send(() => api('POST', `/api/v1/outreach/households/${h.id}/suggestions/${x.id}/accept`, {}), () => done(t('tri.sug.accepted')))}>
                {t('tri.sug.accept')}
              </button>
              <button type="button" class="krds-btn secondary small" disabled={busy}
                aria-label={`${t('tri.sug.reject')}: ${t(`tri.sug.field.${x.field}` as Key)}`}
                onClick={() => send(() => api('POST', `/api/v1/outreach/households/${h.id}/suggestions/${x.id}/reject`, {}), () => done(t('tri.sug.rejected')))}>
                {t('tri.sug.reject')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function OpenCase({ h }: { h: Household }) {
  const { busy, errors, send } = useSend(['household_id']);
  return (
    <div class="so-open-case">
      <ErrorSummary errors={errors} idPrefix="open-case" />
      <p>{t('tri.hh.openCaseText')}</p>
      <button type="button" class="krds-btn primary medium" id="open-case-household_id" disabled={busy} onClick={() => {
        let created = 0;
        send(async () => { created = (await api<CaseSummary>('POST', '/api/v1/cases', { household_id: h.id })).id; },
          () => navigate(`/staff/cases/${created}`), { 409: t('tri.hh.caseExists') });
      }}>{busy ? t('form.submitting') : t('tri.hh.openCase')}</button>
    </div>
  );
}

function TimelineItem({ ev, me, vocab }: { ev: Household['timeline'][number]; me: Me; vocab: OutreachVocabulary | null }) {
  const r = ev.report;
  const actor = ev.actor_account_id ? personLabel(ev.actor_account_id, me) : '';
  let what: string;
  switch (ev.kind) {
    case 'report': what = t('tri.ev.report', { channel: t(`tri.channel.${r?.channel ?? 'web'}` as Key) }); break;
    case 'assigned': what = t('tri.ev.assigned', { who: personLabel(Number((ev.detail || '').replace('account:', '')) || null, me) }); break;
    case 'contacted': what = t('tri.ev.contacted'); break;
    case 'closed': what = t('tri.ev.closed', { outcome: codeLabel(vocab?.outcomes, ev.detail || '') }); break;
    case 'reopened': what = t('tri.ev.reopened'); break;
    case 'moved': {
      const m = /^dong:(\d+)>(\d+)$/.exec(ev.detail || '');
      what = m ? t('tri.ev.moved', { from: dongName(m[1]), to: dongName(m[2]) }) : t('tri.ev.movedPlain');
      break;
    }
    case 'merged': what = t('tri.ev.merged', { n: (ev.detail || '').replace('household:', '') }); break;
    case 'follows': what = t('tri.ev.follows', { n: (ev.detail || '').replace('household:', '') }); break;
    case 'followed_by': what = t('tri.ev.followedBy', { n: (ev.detail || '').replace('household:', '') }); break;
    case 'suggestion_accepted': what = t('tri.ev.sugAccepted', { field: t(`tri.sug.field.${(ev.detail || '').replace('field:', '')}` as Key) }); break;
    case 'suggestion_rejected': what = t('tri.ev.sugRejected', { field: t(`tri.sug.field.${(ev.detail || '').replace('field:', '')}` as Key) }); break;
    default: what = ev.kind;
  }
  return (
    <li class={`so-timeline-item ev-${ev.kind}`} data-kind={ev.kind}>
      <p class="so-timeline-head">
        <time dateTime={isoOf(ev.at)}>{when(ev.at, true)}</time>
        <strong class="so-timeline-what">{what}</strong>
        {actor && <span class="so-timeline-actor">{t('tri.ev.by', { who: actor })}</span>}
      </p>
      {r && (
        <div class="so-timeline-report">
          <p class="so-report-meta"><PriorityBadge p={r.urgency} /> <span class="muted">{t('tri.ev.receipt', { no: r.receipt_no })}</span></p>
          <p class="so-report-concern" lang="ko">{r.concern}</p>
          {(r.address || r.place || r.subject_name || r.subject_phone) && (
            <dl class="so-report-facts">
              {r.address && <div><dt>{t('tri.hh.address')}</dt><dd>{r.address}</dd></div>}
              {r.place && <div><dt>{t('tri.hh.place')}</dt><dd>{r.place}</dd></div>}
              {r.subject_name && <div><dt>{t('tri.hh.name')}</dt><dd>{r.subject_name}</dd></div>}
              {r.subject_phone && <div><dt>{t('tri.hh.phone')}</dt><dd>{r.subject_phone}</dd></div>}
            </dl>
          )}
          {r.signs.length > 0 && <SignList signs={r.signs} vocab={vocab} />}
        </div>
      )}
      {ev.note && <p class="so-timeline-note-text">{ev.note}</p>}
    </li>
  );
}

// ---- cases (/staff/cases) ---------------------------------------------------------------------------
export function CasesPage() {
  return (
    <StaffFrame title={t('case.list.title')} path="/staff/cases" crumbs={crumbsFor({ label: t('case.list.title') })} roles={CASE_READERS}>
      {(me) => <CasesBody me={me} />}
    </StaffFrame>
  );
}

function casesHref(scope: string, stage: string, dong: string): string {
  const p = new URLSearchParams();
  if (scope !== 'mine') p.set('scope', scope);
  if (stage) p.set('stage', stage);
  if (dong) p.set('dong', dong);
  const q = p.toString();
  return '/staff/cases' + (q ? '?' + q : '');
}

function CasesBody({ me }: { me: Me }) {
  const search = useSearch();
  const scope = search.get('scope') === 'all' ? 'all' : 'mine';
  const stage = (CASE_STAGES as readonly string[]).includes(search.get('stage') || '') ? search.get('stage')! : '';
  const dong = search.get('dong') || '';
  const needs = useVocabulary();
  const [items, setItems] = useState<CaseSummary[] | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const reach = triageDongs(me);
  useEffect(() => {
    // 'all': every case of the caller's dongs (stage and assignee only; a colleague's case does not open).
    const q = new URLSearchParams();
    if (scope === 'all') q.set('scope', 'dong');
    if (dong) q.set('dong', dong);
    const qs = q.toString();
    api<{ items: CaseSummary[] }>('GET', `/api/v1/cases${qs ? `?${qs}` : ''}`)
      .then((r) => { setItems(r.items); setErrors([]); })
      .catch((e) => { setItems([]); setErrors(staffErrors(e, [])); });
  }, [dong, scope]);
  const inScope = (items ?? []).filter((c) => scope === 'all' || String(c.assigned_account_id) === String(me.id));
  const shown = inScope.filter((c) => !stage || c.stage === stage);
  const count = (s: string) => inScope.filter((c) => !s || c.stage === s).length;
  return (
    <>
      <p class="page-lead">{t('case.list.lead')}</p>
      <ErrorSummary errors={errors} idPrefix="cases" />
      <nav class="section-tabs so-case-scope" aria-label={t('case.scope.label')}>
        <ul>
          {['mine', 'all'].map((x) => (
            <li key={x}><Link href={casesHref(x, stage, dong)} class="section-tab" aria-current={scope === x ? 'page' : undefined}>{t(`case.scope.${x}` as Key)}</Link></li>
          ))}
        </ul>
      </nav>
      {reach.dongs.length > 1 && (
        <form class="so-case-dong-form" onSubmit={(e) => { e.preventDefault(); const v = (e.currentTarget.querySelector('select') as HTMLSelectElement).value; navigate(casesHref(scope, stage, v), { keepScroll: true }); }}>
          <label for="cases-dong" class="so-case-dong-label">{t('tri.filter.dong')}</label>
          <div class="search-row">
            <select id="cases-dong" class="krds-form-select" value={dong}>
              <option value="">{t('tri.filter.allDongs')}</option>
              {reach.dongs.map((d) => <option key={d.id} value={String(d.id)}>{dongName(d.id)}</option>)}
            </select>
            <button type="submit" class="krds-btn secondary medium">{t('tri.filter.apply')}</button>
          </div>
        </form>
      )}
      <nav class="so-stage-filter" aria-label={t('case.stageFilter')}>
        <ul>
          {['', ...CASE_STAGES].map((s) => (
            <li key={s || 'all'}>
              <Link href={casesHref(scope, s, dong)} class="so-stage-chip" aria-current={stage === s ? 'page' : undefined}>
                {s ? t(`case.stage.${s}` as Key) : t('case.stage.all')} <span class="so-stage-count">{t('case.countN', { n: count(s) })}</span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {items === null ? <Loading /> : shown.length === 0 ? (
        <div class="empty-state" data-field="cases-empty"><p class="empty-title">{t('case.list.empty')}</p><p>{t('case.list.emptyHint')}</p></div>
      ) : (
        <div class="krds-table-wrap so-staff-table-wrap">
          <table class="tbl data so-staff-table so-case-table">
            <caption>{t('case.list.caption', { n: shown.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('case.col.case')}</th>
                <th scope="col">{t('case.col.stage')}</th>
                <th scope="col">{t('case.col.level')}</th>
                <th scope="col">{t('case.col.needs')}</th>
                <th scope="col">{t('case.col.assignee')}</th>
                <th scope="col">{t('case.col.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((c) => (
                <tr key={c.id} data-case={c.id}>
                  <th scope="row" data-label={t('case.col.case')}>
                    {c.can_open === false
                      ? <span class="so-hh-link">{t('case.caseN', { n: c.id })}</span>
                      : <Link href={`/staff/cases/${c.id}`} class="so-hh-link">{t('case.caseN', { n: c.id })}</Link>}
                    <span class="so-hh-dong">{dongName(c.dong_id)} · {t('tri.householdN', { n: c.household_id })}</span>
                  </th>
                  <td data-label={t('case.col.stage')}><span class={`krds-badge so-stage-badge so-stage-${c.stage}`}>{t(`case.stage.${c.stage}` as Key)}</span>
                    {c.outcome && <span class="so-case-outcome"> · {t(`case.outcome.${c.outcome}` as Key)}</span>}</td>
                  <td data-label={t('case.col.level')}>{c.crisis_level ? t(`case.level.${c.crisis_level}` as Key) : <span class="muted">{t('case.notAssessed')}</span>}</td>
                  <td data-label={t('case.col.needs')}>{c.needs.length ? c.needs.map((n) => label(needs?.topic.find((x) => x.code === n) ?? n)).join(', ') : <span class="muted">—</span>}</td>
                  <td data-label={t('case.col.assignee')}>{personLabel(c.assigned_account_id, me)}</td>
                  <td data-label={t('case.col.updated')}><time dateTime={isoOf(c.updated_at)}>{when(c.updated_at)}</time></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

// ---- one case (/staff/cases/{id}) -----------------------------------------------------------------
export function CasePage({ id }: { id: string }) {
  const title = t('case.caseN', { n: id });
  return (
    <StaffFrame title={title} path={`/staff/cases/${id}`} roles={CASE_READERS}
      crumbs={crumbsFor({ href: '/staff/cases', label: t('case.list.title') }, { label: title })}>
      {(me) => <CaseBody id={id} me={me} />}
    </StaffFrame>
  );
}

function CaseBody({ id, me }: { id: string; me: Me }) {
  const [c, setC] = useState<CaseDetail | null>(null);
  const [denied, setDenied] = useState<'forbidden' | 'missing' | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [status, setStatus] = useState('');
  // Only the assigned caseworker opens their own case without a reason; anyone else (a
  // supervisor) is asked for one, which goes into the access log.
  const [reason, setReason] = useState<string | null>(null);
  const [needReason, setNeedReason] = useState(false);
  const vocab = useVocabulary();
  async function load(r: string | null = reason) {
    const path = `/api/v1/cases/${encodeURIComponent(id)}`;
    try {
      setC(await request<CaseDetail>('GET', path, r ? { reason: r } : {}));
      setErrors([]);
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) setDenied('forbidden');
      else if (e instanceof ApiError && e.status === 404) setDenied('missing');
      else if (e instanceof ApiError && e.status === 422) { setErrors(r ? staffErrors(e, ['reason']) : []); setReason(null); setNeedReason(true); }
      else setErrors(staffErrors(e, []));
    }
  }
  useEffect(() => { load(); }, [id]);
  useEffect(() => { if (reason) load(reason); }, [reason]);
  if (denied) {
    return (
      <>
        <div class="notice-box notice-warning" role="alert" data-field="denied">
          <p><strong>{denied === 'forbidden' ? t('case.forbidden') : t('case.missing')}</strong></p>
          <p>{t('case.forbiddenText')}</p>
        </div>
        <div class="button-row"><Link href="/staff/cases" class="krds-btn secondary large">{t('case.backToList')}</Link></div>
      </>
    );
  }
  if (needReason && !reason) return <ReasonForm errors={errors} onChoose={setReason} hint="case.reason.hint" submit="case.reason.submit" />;
  if (!c) return <><ErrorSummary errors={errors} idPrefix="case" />{!errors.length && <Loading />}</>;
  const done = (msg: string) => { setStatus(msg); load(); };
  const closed = c.stage === 'closed';
  const cur = CASE_STAGES.indexOf(c.stage as any);
  const next = !closed ? CASE_STAGES[cur + 1] : null;
  const needLabel = (n: string) => label(vocab?.topic.find((x) => x.code === n) ?? n);
  const notes = c.entries.filter((e) => e.kind === 'note').reverse();
  const visits = c.entries.filter((e) => e.kind === 'visit').reverse();
  return (
    <>
      <AccessNotice reason={reason ?? undefined} />
      <StatusLine text={status} />
      <Stepper stage={c.stage} />
      <section class="panel so-case-summary" aria-labelledby="case-summary-title">
        <h2 id="case-summary-title" class="panel-title">{t('case.summary')}</h2>
        <dl class="info-list">
          <div><dt>{t('case.col.stage')}</dt><dd data-field="stage">{t(`case.stage.${c.stage}` as Key)}</dd></div>
          <div><dt>{t('case.household')}</dt><dd><Link class="text-link" href={`/staff/households/${c.household_id}`}>{t('tri.householdN', { n: c.household_id })}</Link> · {dongName(c.dong_id)}</dd></div>
          <div><dt>{t('case.col.level')}</dt><dd data-field="level">{c.crisis_level ? t(`case.level.${c.crisis_level}` as Key) : <span class="muted">{t('case.notAssessed')}</span>}</dd></div>
          <div><dt>{t('case.col.needs')}</dt><dd data-field="needs">{c.needs.length ? c.needs.map(needLabel).join(', ') : <span class="muted">—</span>}</dd></div>
          <div><dt>{t('case.col.assignee')}</dt><dd>{personLabel(c.assigned_account_id, me)}</dd></div>
          <div><dt>{t('case.opened')}</dt><dd><time dateTime={isoOf(c.opened_at)}>{when(c.opened_at, true)}</time></dd></div>
          {c.outcome && <div><dt>{t('case.outcome')}</dt><dd data-field="case-outcome">{t(`case.outcome.${c.outcome}` as Key)}</dd></div>}
        </dl>
      </section>

      {next && (
        <section class="panel so-next-stage" aria-labelledby="next-stage-title">
          <h2 id="next-stage-title" class="panel-title">{t(`case.next.${next}` as Key)}</h2>
          {next === 'assessment' && <AssessmentForm c={c} done={done} />}
          {next === 'plan' && <PlanForm c={c} done={done} />}
          {next === 'monitoring' && <MonitoringForm c={c} done={done} />}
          {next === 'closed' && <CloseCaseForm c={c} done={done} prefix="stage" />}
        </section>
      )}

      {c.services.length > 0 && (
        <section class="panel" aria-labelledby="case-services-title">
          <h2 id="case-services-title" class="panel-title">{t('case.services')}</h2>
          <ul class="so-case-services">
            {c.services.map((s) => (
              <li key={s.service_id + s.kind}>
                {s.kind === 'linked' ? <Link class="text-link" href={`/services/${encodeURIComponent(s.service_id)}`}>{s.name || s.service_id}</Link>
                  : <span>{s.name || s.service_id.replace(/^referral:/, '')}</span>}
                <span class="muted"> · {t(`case.service.${s.kind === 'linked' ? 'linked' : 'referral'}` as Key)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section class="panel" aria-labelledby="case-visits-title">
        <h2 id="case-visits-title" class="panel-title">{t('case.visits')}</h2>
        {visits.length === 0 ? <p class="muted">{t('case.visits.none')}</p> : (
          <ol class="so-entry-list">{visits.map((v) => <VisitItem key={v.id} v={v} me={me} />)}</ol>
        )}
        {!closed && <details class="so-action-fold is-primary"><summary>{t('case.visit.add')}</summary><div class="so-action-body"><VisitForm c={c} done={done} /></div></details>}
      </section>

      <section class="panel" aria-labelledby="case-notes-title">
        <h2 id="case-notes-title" class="panel-title">{t('case.notes')}</h2>
        <p class="muted">{t('case.notes.encrypted')}</p>
        {notes.length === 0 ? <p class="muted">{t('case.notes.none')}</p> : (
          <ol class="so-entry-list">
            {notes.map((n) => (
              <li key={n.id} class="so-entry-item so-note-item">
                <p class="so-entry-head"><time dateTime={isoOf(n.at)}>{when(n.at, true)}</time> · {personLabel(n.by_account, me)}</p>
                <p class="so-entry-text">{String(n.body.text ?? '')}</p>
              </li>
            ))}
          </ol>
        )}
        {!closed && <NoteForm c={c} done={done} />}
      </section>

      {!closed && next !== 'closed' && (
        <section class="panel so-close-case" aria-labelledby="close-case-title">
          <h2 id="close-case-title" class="panel-title">{t('case.closeEarly')}</h2>
          <details class="so-action-fold"><summary>{t('case.closeEarly.open')}</summary><div class="so-action-body"><CloseCaseForm c={c} done={done} prefix="close" /></div></details>
        </section>
      )}

      <section class="so-case-history" aria-labelledby="case-history-title">
        <h2 id="case-history-title" class="section-title">{t('case.history')}</h2>
        <ol class="so-timeline">
          {c.entries.filter((e) => e.kind === 'stage' || e.kind === 'assignment').map((e) => <StageEntry key={e.id} e={e} me={me} needLabel={needLabel} />)}
        </ol>
      </section>
    </>
  );
}

function Stepper({ stage }: { stage: string }) {
  const cur = CASE_STAGES.indexOf(stage as any);
  return (
    <div class="so-case-progress">
      <ol class="krds-step-wrap" aria-label={t('case.progress')}>
        {CASE_STAGES.map((s, i) => {
          const isDone = i < cur || (stage === 'closed' && i === cur);
          return (
            <li key={s} class={isDone ? 'done' : i === cur ? 'active' : undefined} aria-current={i === cur ? 'step' : undefined}>
              <span>
                {i === cur && <em class="sr-only">{t('case.currentStep')}</em>}
                <i class="step">{t('case.stepN', { n: i + 1 })}</i>
                <span class="step-tit">{t(`case.stage.${s}` as Key)}</span>
              </span>
            </li>
          );
        })}
      </ol>
      <p class="so-case-progress-text" data-field="progress">{t('case.progressText', { n: cur + 1, total: CASE_STAGES.length, name: t(`case.stage.${stage}` as Key) })}</p>
    </div>
  );
}

function StageEntry({ e, me, needLabel }: { e: CaseEntry; me: Me; needLabel: (n: string) => string }) {
  const b = e.body;
  return (
    <li class="so-timeline-item" data-kind={e.kind}>
      <p class="so-timeline-head">
        <time dateTime={isoOf(e.at)}>{when(e.at, true)}</time>
        <strong class="so-timeline-what">{e.kind === 'assignment' ? t('case.ev.assigned', { who: personLabel(b.assigned_account_id, me) }) : t(`case.ev.${b.stage}` as Key)}</strong>
        <span class="so-timeline-actor">{t('tri.ev.by', { who: personLabel(e.by_account, me) })}</span>
      </p>
      {b.stage === 'assessment' && (
        <dl class="so-report-facts">
          <div><dt>{t('case.col.level')}</dt><dd>{t(`case.level.${b.crisis_level}` as Key)}</dd></div>
          <div><dt>{t('case.col.needs')}</dt><dd>{(b.needs as string[] ?? []).map(needLabel).join(', ')}</dd></div>
          {b.summary && <div><dt>{t('sf.field.summary')}</dt><dd>{b.summary}</dd></div>}
        </dl>
      )}
      {b.stage === 'plan' && (
        <dl class="so-report-facts">
          <div><dt>{t('sf.field.goals')}</dt><dd><ul class="so-plain-list">{(b.goals as string[] ?? []).map((g, i) => <li key={i}>{g}</li>)}</ul></dd></div>
          {(b.referrals as string[] ?? []).length > 0 && <div><dt>{t('sf.field.referrals')}</dt><dd><ul class="so-plain-list">{(b.referrals as string[]).map((g, i) => <li key={i}>{g}</li>)}</ul></dd></div>}
        </dl>
      )}
      {b.stage === 'closed' && b.outcome && <p>{t('case.outcome')}: {t(`case.outcome.${b.outcome}` as Key)}</p>}
      {b.note && <p class="so-timeline-note-text">{b.note}</p>}
    </li>
  );
}

function VisitItem({ v, me }: { v: CaseEntry; me: Me }) {
  const list = (v.body.checklist ?? {}) as Record<string, string>;
  const concerns = (v.body.concerns ?? []) as string[];
  return (
    <li class="so-entry-item so-visit-item">
      <p class="so-entry-head"><time dateTime={isoOf(v.at)}>{when(v.at, true)}</time> · {personLabel(v.by_account, me)}</p>
      {concerns.length > 0 ? (
        <p class="so-visit-concerns"><strong>{t('case.visit.concerns')}</strong> {concerns.map((c) => t(`case.check.${c}` as Key)).join(', ')}</p>
      ) : <p class="so-visit-ok">{t('case.visit.noConcerns')}</p>}
      <ul class="so-check-summary">
        {CHECKLIST.map((k) => (
          <li key={k} class={`so-check-${list[k] ?? 'not_checked'}`}>{t(`case.check.${k}` as Key)}: {t(`case.mark.${list[k] ?? 'not_checked'}` as Key)}</li>
        ))}
      </ul>
      <p class="so-entry-text">{String(v.body.result ?? '')}</p>
    </li>
  );
}

function AssessmentForm({ c, done }: { c: CaseDetail; done: (msg: string) => void }) {
  const vocab = useVocabulary();
  const [level, setLevel] = useState('');
  const [needs, setNeeds] = useState<string[]>([]);
  const [summary, setSummary] = useState('');
  const { busy, errors, send } = useSend(['crisis_level', 'needs', 'summary', 'stage']);
  const p = 'stage';
  return (
    <form noValidate onSubmit={(e) => {
      e.preventDefault();
      const body: CaseStageBody = { stage: 'assessment', needs };
      if (level) body.crisis_level = Number(level);
      if (summary.trim()) body.summary = summary;
      send(() => advanceCase(c.id, body), () => done(t('case.done.stage', { stage: t('case.stage.assessment') })));
    }}>
      <ErrorSummary errors={errors} idPrefix={p} />
      <Group id={`${p}-level-group`} legend={t('sf.field.crisis_level')} hint={t('case.level.hint')} error={errorFor(errors, 'crisis_level')}>
        <div class="krds-check-area so-level-options">
          {CRISIS_LEVELS.map((n, i) => (
            <div key={n} class="krds-form-check">
              <input type="radio" name="crisis_level" id={i === 0 ? `${p}-crisis_level` : `${p}-crisis_level-${n}`} value={String(n)}
                checked={level === String(n)} onChange={() => setLevel(String(n))} />
              <label for={i === 0 ? `${p}-crisis_level` : `${p}-crisis_level-${n}`}>{t(`case.level.${n}` as Key)}</label>
            </div>
          ))}
        </div>
      </Group>
      <Group id={`${p}-needs-group`} legend={t('sf.field.needs')} hint={t('case.needs.hint')} error={errorFor(errors, 'needs')}>
        <div class="krds-check-area so-needs-options">
          {(vocab?.topic ?? []).map((term, i) => (
            <div key={term.code} class="krds-form-check">
              <input type="checkbox" id={i === 0 ? `${p}-needs` : `${p}-needs-${term.code}`} checked={needs.includes(term.code)}
                onChange={(e) => setNeeds((e.target as HTMLInputElement).checked ? [...needs, term.code] : needs.filter((x) => x !== term.code))} />
              <label for={i === 0 ? `${p}-needs` : `${p}-needs-${term.code}`}>{label(term)}</label>
            </div>
          ))}
        </div>
      </Group>
      <TextArea id={`${p}-summary`} label={t('sf.field.summary')} optional error={errorFor(errors, 'summary')} value={summary} onInput={setSummary} />
      <ActionButton busy={busy} label={t('case.submit.assessment')} />
    </form>
  );
}

interface Picked { id: string; name: string }
function PlanForm({ c, done }: { c: CaseDetail; done: (msg: string) => void }) {
  const [goals, setGoals] = useState('');
  const [referrals, setReferrals] = useState('');
  const [picked, setPicked] = useState<Picked[]>([]);
  const { busy, errors, send } = useSend(['goals', 'services', 'referrals', 'stage']);
  const p = 'stage';
  const lines = (s: string) => s.split(/\r?\n/).map((x) => x.trim()).filter(Boolean);
  return (
    <form noValidate onSubmit={(e) => {
      e.preventDefault();
      send(() => advanceCase(c.id, { stage: 'plan', goals: lines(goals), services: picked.map((x) => x.id), referrals: lines(referrals) }),
        () => done(t('case.done.stage', { stage: t('case.stage.plan') })));
    }}>
      <ErrorSummary errors={errors} idPrefix={p} />
      <TextArea id={`${p}-goals`} label={t('sf.field.goals')} hint={t('case.goals.hint')} error={errorFor(errors, 'goals')} value={goals} onInput={setGoals} rows={4} />
      <ServicePicker id={`${p}-services`} picked={picked} setPicked={setPicked} error={errorFor(errors, 'services')} />
      <TextArea id={`${p}-referrals`} label={t('sf.field.referrals')} hint={t('case.referrals.hint')} optional error={errorFor(errors, 'referrals')} value={referrals} onInput={setReferrals} />
      <ActionButton busy={busy} label={t('case.submit.plan')} />
    </form>
  );
}

// Catalogue services for the plan: search /api/v1/services?q=, add from the results, remove.
function ServicePicker({ id, picked, setPicked, error }: { id: string; picked: Picked[]; setPicked: (p: Picked[]) => void; error?: string }) {
  const [q, setQ] = useState('');
  const [results, setResults] = useState<Picked[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState('');
  async function search() {
    if (!q.trim()) return;
    setBusy(true);
    try {
      const r = await api<{ items: { id: string; name: string }[]; total: number }>('GET', `/api/v1/services?q=${encodeURIComponent(q.trim())}`);
      const items = r.items.slice(0, 8).map((x) => ({ id: x.id, name: x.name }));
      setResults(items);
      setMsg(t('case.svc.found', { n: r.total }));
    } catch {
      setResults([]);
      setMsg(t('error.generic'));
    } finally { setBusy(false); }
  }
  return (
    <div class={`form-group so-service-picker${error ? ' is-error' : ''}`}>
      <div class="form-tit"><label for={id}>{t('case.svc.search')}<span class="label-optional"> ({t('form.optional')})</span></label></div>
      <p class="form-hint field-hint" id={`${id}-hint`}>{t('case.svc.hint')}</p>
      {error && <p class="form-hint-invalid" id={`${id}-error`}>{error}</p>}
      <div class="search-row">
        <input id={id} class="krds-input" type="search" value={q} aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
          aria-invalid={error ? 'true' : undefined}
          onInput={(e) => setQ((e.target as HTMLInputElement).value)}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); search(); } }} />
        <button type="button" class="krds-btn secondary medium" disabled={busy} onClick={search}>{t('case.svc.searchBtn')}</button>
      </div>
      <p class="so-svc-status" role="status" aria-live="polite">{msg}</p>
      {results && results.length > 0 && (
        <ul class="so-svc-results" aria-label={t('case.svc.results')}>
          {results.map((r) => {
            const on = picked.some((x) => x.id === r.id);
            return (
              <li key={r.id}>
                <span class="so-svc-name">{r.name}</span>
                <button type="button" class="krds-btn tertiary small" disabled={on} onClick={() => setPicked([...picked, r])}>
                  {on ? t('case.svc.added') : t('case.svc.add')}<span class="sr-only"> ({r.name})</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <p class="so-svc-picked-title">{t('case.svc.picked', { n: picked.length })}</p>
      {picked.length > 0 && (
        <ul class="so-svc-picked" data-field="picked-services">
          {picked.map((x) => (
            <li key={x.id}>
              <span class="so-svc-name">{x.name}</span>
              <button type="button" class="krds-btn tertiary small" onClick={() => setPicked(picked.filter((y) => y.id !== x.id))}>
                {t('case.svc.remove')}<span class="sr-only"> ({x.name})</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function MonitoringForm({ c, done }: { c: CaseDetail; done: (msg: string) => void }) {
  const [note, setNote] = useState('');
  const { busy, errors, send } = useSend(['note', 'stage']);
  const p = 'stage';
  return (
    <form noValidate onSubmit={(e) => {
      e.preventDefault();
      const body: CaseStageBody = { stage: 'monitoring' };
      if (note.trim()) body.note = note;
      send(() => advanceCase(c.id, body), () => done(t('case.done.stage', { stage: t('case.stage.monitoring') })));
    }}>
      <ErrorSummary errors={errors} idPrefix={p} />
      <TextArea id={`${p}-note`} label={t('case.monitoring.note')} hint={t('case.monitoring.hint')} optional error={errorFor(errors, 'note')} value={note} onInput={setNote} />
      <ActionButton busy={busy} label={t('case.submit.monitoring')} />
    </form>
  );
}

function CloseCaseForm({ c, done, prefix }: { c: CaseDetail; done: (msg: string) => void; prefix: string }) {
  const [outcome, setOutcome] = useState('');
  const [note, setNote] = useState('');
  const { busy, errors, send } = useSend(['outcome', 'note', 'stage']);
  const p = prefix;
  const err = errorFor(errors, 'outcome');
  return (
    <form noValidate onSubmit={(e) => {
      e.preventDefault();
      const body: CaseStageBody = { stage: 'closed' };
      if (outcome) body.outcome = outcome as CaseStageBody['outcome'];
      if (note.trim()) body.note = note;
      send(() => advanceCase(c.id, body), () => done(t('case.done.closed')));
    }}>
      <ErrorSummary errors={errors} idPrefix={p} />
      <div class="form-group">
        <div class="form-tit"><label for={`${p}-outcome`}>{t('case.outcome')}</label></div>
        {err && <p class="form-hint-invalid" id={`${p}-outcome-error`}>{err}</p>}
        <div class={`form-conts${err ? ' is-error' : ''}`}>
          <select id={`${p}-outcome`} class="krds-form-select" value={outcome} aria-invalid={err ? 'true' : undefined}
            aria-describedby={err ? `${p}-outcome-error` : undefined} onChange={(e) => setOutcome((e.target as HTMLSelectElement).value)}>
            <option value="">{t('form.choose')}</option>
            {CASE_OUTCOMES.map((o) => <option key={o} value={o}>{t(`case.outcome.${o}` as Key)}</option>)}
          </select>
        </div>
      </div>
      <TextArea id={`${p}-note`} label={t('case.close.note')} optional error={errorFor(errors, 'note')} value={note} onInput={setNote} />
      <ActionButton busy={busy} label={t('case.submit.closed')} kind={prefix === 'stage' ? 'primary' : 'secondary'} />
    </form>
  );
}

function NoteForm({ c, done }: { c: CaseDetail; done: (msg: string) => void }) {
  const [text, setText] = useState('');
  const { busy, errors, send } = useSend(['text']);
  const p = 'note';
  return (
    <form class="so-note-form" noValidate onSubmit={(e) => {
      e.preventDefault();
      send(() => addCaseNote(c.id, { text }), () => { setText(''); done(t('case.done.note')); });
    }}>
      <ErrorSummary errors={errors} idPrefix={p} />
      <TextArea id={`${p}-text`} label={t('case.note.add')} error={errorFor(errors, 'text')} value={text} onInput={setText} />
      <ActionButton busy={busy} label={t('case.note.submit')} kind="secondary" />
    </form>
  );
}

function VisitForm({ c, done }: { c: CaseDetail; done: (msg: string) => void }) {
  const [marks, setMarks] = useState<Record<string, string>>({});
  const [result, setResult] = useState('');
  const known = ['result', 'checklist', ...CHECKLIST.map((k) => `checklist-${k}`)];
  const { busy, errors, send } = useSend(known);
  const p = 'visit';
  return (
    <form noValidate onSubmit={(e) => {
      e.preventDefault();
      // An empty result goes as missing: the server names the field (422 required).
      send(() => recordVisit(c.id, { checklist: marks, result: (result.trim() ? result : undefined)! }),
        () => { setMarks({}); setResult(''); done(t('case.done.visit')); });
    }}>
      <ErrorSummary errors={errors} idPrefix={p} />
      <p class="so-visit-hint">{t('case.visit.hint')}</p>
      <div class="so-checklist">
        {CHECKLIST.map((k) => {
          const err = errorFor(errors, `checklist-${k}`) ?? (k === CHECKLIST[0] ? errorFor(errors, 'checklist') : undefined);
          return (
            <Group key={k} id={`${p}-g-${k}`} legend={t(`case.check.${k}` as Key)} error={err}>
              <div class="so-check-marks">
                {['ok', 'problem', 'not_checked'].map((m, i) => (
                  <div key={m} class="krds-form-check">
                    <input type="radio" name={`visit-${k}`} id={i === 0 ? `${p}-checklist-${k}` : `${p}-checklist-${k}-${m}`} value={m}
                      checked={(marks[k] ?? 'not_checked') === m} onChange={() => setMarks({ ...marks, [k]: m })} />
                    <label for={i === 0 ? `${p}-checklist-${k}` : `${p}-checklist-${k}-${m}`}>{t(`case.mark.${m}` as Key)}</label>
                  </div>
                ))}
              </div>
            </Group>
          );
        })}
      </div>
      <TextArea id={`${p}-result`} label={t('sf.field.result')} hint={t('case.visit.resultHint')} error={errorFor(errors, 'result')} value={result} onInput={setResult} rows={4} />
      <ActionButton busy={busy} label={t('case.visit.submit')} />
    </form>
  );
}
