// Staff pages for check-ins (/staff/checkins), risk screening (/staff/screening, /staff/screening/{id}),
// field surveys (/staff/surveys, /staff/surveys/{code}/new) and the gatekeeper registry
// (/staff/gatekeepers). The server decides who may do what; the grants of the account only choose
// which parts of a page to show.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, apiText, request, type Body, type FieldError } from '../api';
import {
  CADENCES, dongName, duration, FLAGS, FOLLOW_UPS, GATEKEEPER_KINDS, iso, LADDER, monthSeoul, nowUnix,
  OUTCOMES, percent, reachDongs, reaches, reachOf, RESULTS, thisYearSeoul, when,
  type AssignmentDetail, type Code, type Escalation, type Gatekeeper, type GatekeeperPage, type MyResident,
  type OutreachVocabulary, type Reach, type Round, type RoundDetail, type RoundItem, type Survey, type SurveyQuestion,
  type SurveyReport, type SurveyResponseDetail, type SurveyResponseRow, type Tally,
} from '../care-api';
import { ErrorSummary, errorFor, Field, fieldErrorMessage, problemToErrors, type FormError } from '../forms';
import { Loading, Page } from '../page';
import { Link, navigate, useSearch } from '../router';
import { getState, hasRole, t, tKey, useAppState, type Me } from '../store';
import { Pager } from '../components/pager';
import { DirectoryFailed, DirectoryLoading, useStaffDirectory } from '../components/staff-directory';
import { staffMemberLabel, staffName, type StaffMember, type StaffRole } from '../staff-api';
import { ReasonForm } from '../components/reason-form';
import '../styles/care.css';
import '../i18n-staff';
import '../i18n-care';

// ---- shared parts -------------------------------------------------------------------------------
// A key built at run time (result, step, outcome codes); falls back to the code itself.
function tc(key: string, params?: Record<string, string | number>): string {
  return tKey(key, params) ?? key.slice(key.lastIndexOf('.') + 1);
}
const isKo = () => getState().lang === 'ko';

// Server validation errors in words: care-specific messages first, then the app's.
function careMessage(fe: FieldError, label?: (field: string) => string | undefined): string {
  const field = label?.(fe.field) ?? tKey('care.field.' + fe.field) ?? tKey('field.' + fe.field) ?? fe.field;
  if (fe.field.startsWith('answers.')) {
    const range = /from (-?\d+) to (-?\d+)/.exec(fe.message || '');
    if (fe.code === 'out_of_range' && range) return t('care.code.answer.range', { q: field, min: range[1], max: range[2] });
    const m = tKey(`care.code.answer.${fe.code}`, { q: field });
    if (m) return m;
  }
  return fieldErrorMessage(fe, { scopes: ['care.code'], label: field });
}
function careErrors(e: unknown, known: string[], label?: (field: string) => string | undefined): FormError[] {
  if (e instanceof ApiError && e.problem.errors?.length) {
    return e.problem.errors.map((fe) => ({ field: known.includes(fe.field) ? fe.field : null, message: careMessage(fe, label) }));
  }
  return problemToErrors(e, known, { 403: t('care.error.forbidden'), 404: t('care.error.notFound') });
}
const isForbidden = (e: unknown) => e instanceof ApiError && e.status === 403;

function formatPhone(p: string | null | undefined): string {
  if (!p) return '';
  const d = p.replace(/\D/g, '');
  if (/^01\d{8,9}$/.test(d)) return d.length === 10 ? `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}` : `${d.slice(0, 3)}-${d.slice(3, 7)}-${d.slice(7)}`;
  if (/^02\d{7,8}$/.test(d)) return d.length === 9 ? `02-${d.slice(2, 5)}-${d.slice(5)}` : `02-${d.slice(2, 6)}-${d.slice(6)}`;
  if (/^0\d{9,10}$/.test(d)) return d.length === 10 ? `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}` : `${d.slice(0, 3)}-${d.slice(3, 7)}-${d.slice(7)}`;
  return p;
}

// A status line read out when it changes; focus moves to it after an action.
function Status({ text, id }: { text: string; id?: string }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => { if (text && ref.current) ref.current.focus({ preventScroll: false }); }, [text]);
  return <p id={id} class={`status-message${text ? ' is-visible' : ''}`} role="status" tabIndex={-1} ref={ref}>{text}</p>;
}

function NoAccess({ text }: { text: string }) {
  return (
    <div class="notice-box notice-warning care-noaccess" role="status">
      <h2 class="care-noaccess-title">{t('care.noAccess')}</h2>
      <p>{text}</p>
      <div class="button-row"><Link href="/staff" class="krds-btn secondary medium">{t('care.backToStaff')}</Link></div>
    </div>
  );
}

// The frame of every page: breadcrumb under 업무, the login prompt, and "권한이 없습니다".
function StaffFrame({ title, lead, path, allowed, noAccess, wide = true, crumbs = [], children }: {
  title: string; lead?: string; path: string; allowed: (me: Me) => boolean; noAccess: string; wide?: boolean;
  crumbs?: { href?: string; label: string }[]; children: () => ComponentChildren;
}) {
  const s = useAppState();
  const cr = [{ href: '/staff', label: t('nav.staff') }, ...crumbs, { label: title }];
  if (s.session === 'unknown') return <Page title={title} crumbs={cr} wide={wide}><Loading /></Page>;
  if (s.session === 'anon' || !s.me) {
    return (
      <Page title={title} crumbs={cr} wide={wide}>
        <div class="notice-box" role="status"><p>{t('care.needLogin')}</p></div>
        <div class="button-row">
          <Link href={`/login?next=${encodeURIComponent(path)}`} class="krds-btn primary large">{t('nav.login')}</Link>
        </div>
      </Page>
    );
  }
  if (!allowed(s.me)) return <Page title={title} crumbs={cr} wide={wide}><NoAccess text={noAccess} /></Page>;
  return <Page title={title} lead={lead} crumbs={cr} wide={wide}>{children()}</Page>;
}

// Radios with the large KRDS look; the first gets `id` (the error summary links to it).
function BigRadios({ id, name, options, value, onChange, error }: {
  id: string; name: string; options: { value: string; label: string; desc?: string }[]; value: string | undefined;
  onChange: (v: string) => void; error?: string;
}) {
  return (
    <div class={`elig-options care-options${error ? ' is-error' : ''}`}>
      {options.map((o, i) => {
        const oid = i === 0 ? id : `${id}-${i}`;
        return (
          <div class="krds-form-check large elig-option" key={o.value}>
            <input type="radio" id={oid} name={name} value={o.value} checked={value === o.value}
              aria-describedby={[o.desc ? `${oid}-desc` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined}
              aria-invalid={error ? 'true' : undefined} onChange={() => onChange(o.value)} />
            <label for={oid}>
              <span class="care-option-text">
                <span class="care-option-label">{o.label}</span>
                {o.desc && <span class="care-option-desc" id={`${oid}-desc`}>{o.desc}</span>}
              </span>
            </label>
          </div>
        );
      })}
    </div>
  );
}

function Fieldset({ id, legend, hint, error, children, big }: {
  id: string; legend: string; hint?: string; error?: string; children: ComponentChildren; big?: boolean;
}) {
  return (
    <fieldset class="form-fieldset care-fieldset" aria-describedby={hint ? `${id}-hint` : undefined}>
      <legend class={big ? 'care-legend-big' : 'fieldset-title'}>{legend}</legend>
      {hint && <p class="form-hint field-hint care-hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p class="form-hint-invalid" id={`${id}-error`}>{error}</p>}
      {children}
    </fieldset>
  );
}

function Empty({ children }: { children: ComponentChildren }) {
  return <div class="notice-box care-empty"><p>{children}</p></div>;
}

// A number or "5 미만" for counts the API suppresses (null).
function Count({ n }: { n: number | null | undefined }) {
  if (n === null || n === undefined) return <span class="care-suppressed">{t('care.suppressed')}</span>;
  return <>{n.toLocaleString(isKo() ? 'ko-KR' : 'en-GB')}</>;
}

// A cell of a published snapshot: null is suppressed (a small count, or one that would reveal one).
function Hidden({ n }: { n: number | null | undefined }) {
  if (n === null || n === undefined) return <span class="care-suppressed">{t('care.sreport.hidden')}</span>;
  return <Count n={n} />;
}

function StatCards({ items }: { items: { label: string; value: ComponentChildren; note?: string; field?: string }[] }) {
  return (
    <dl class="stat-cards care-stats">
      {items.map((x) => (
        <div class="stat-card" key={x.label} data-field={x.field}>
          <dt class="stat-card-title">{x.label}</dt>
          <dd class="stat-card-value">{x.value}</dd>
          {x.note && <dd class="care-stat-note">{x.note}</dd>}
        </div>
      ))}
    </dl>
  );
}

const CARE_ROLES = ['caregiver', 'care_team', 'caseworker', 'district_admin'];
const OFFICIAL_ROLES = ['caseworker', 'district_admin'];
const FIELD_ROLES = ['care_team', 'caseworker', 'district_admin'];

// ================================================================================================
// 안부 확인 (/staff/checkins)
// ================================================================================================
export function CheckinsPage() {
  return (
    <StaffFrame title={t('care.checkins.title')} lead={t('care.checkins.lead')} path="/staff/checkins"
      allowed={(me) => hasRole(me, ...CARE_ROLES)} noAccess={t('care.checkins.noAccess')}>
      {() => <CheckinsBody />}
    </StaffFrame>
  );
}

function CheckinsBody() {
  const s = useAppState();
  const [status, setStatus] = useState('');
  const [tick, setTick] = useState(0);  // reloads the lists after a check-in is recorded anywhere
  const carer = hasRole(s.me, 'caregiver', 'care_team');
  const watch = reachOf(s.me, ['care_team', ...OFFICIAL_ROLES]);
  const manage = reachOf(s.me, OFFICIAL_ROLES);
  const done = (msg: string) => { setStatus(msg); setTick((n) => n + 1); };
  return (
    <div class="care-page">
      <Status text={status} />
      {carer && <MyResidents tick={tick} onDone={done} />}
      {reaches(watch) && <Escalations reach={watch} tick={tick} onDone={done} />}
      {reaches(watch) && <DongAssignments reach={watch} tick={tick} />}
      {reaches(manage) && <AssignForm reach={manage} onDone={done} />}
    </div>
  );
}

function cadenceText(c: string) { return tc(`care.cadence.${c}`); }

function sortResidents(items: MyResident[]): MyResident[] {
  const rank = (a: MyResident) => (a.escalation ? 0 : a.overdue ? 1 : 2);
  return [...items].sort((a, b) => rank(a) - rank(b) || a.due_at - b.due_at);
}

function MyResidents({ tick, onDone }: { tick: number; onDone: (m: string) => void }) {
  const [items, setItems] = useState<MyResident[] | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [open, setOpen] = useState<number | null>(null);
  useEffect(() => {
    api<{ items: MyResident[] }>('GET', '/api/v1/checkins/mine')
      .then((r) => { setItems(sortResidents(r.items || [])); setErrors([]); })
      .catch((e) => { setItems([]); setErrors(careErrors(e, [])); });
  }, [tick]);
  const now = nowUnix();
  const dueSoon = items ? items.filter((a) => a.escalation || a.overdue || a.due_at - now <= 86400).length : 0;
  return (
    <section class="care-section" aria-labelledby="care-mine-title">
      <h2 id="care-mine-title" class="section-title">{t('care.mine.title')}</h2>
      <p class="section-lead">{t('care.mine.lead')}</p>
      <ErrorSummary errors={errors} idPrefix="care-mine" />
      {!items ? <Loading /> : items.length === 0 ? <Empty>{t('care.mine.empty')}</Empty> : (
        <>
          <p class="care-count" data-field="mine-count">{t('care.mine.count', { n: dueSoon, total: items.length })}</p>
          <ul class="care-cards care-residents">
            {items.map((a) => (
              <ResidentCard key={a.id} a={a} now={now} open={open === a.id} onToggle={() => setOpen(open === a.id ? null : a.id)}
                onDone={(m) => { setOpen(null); onDone(m); }} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function DueBadge({ a, now }: { a: MyResident; now: number }) {
  if (a.escalation) return <span class="care-badge is-danger">{t('care.due.escalated', { n: a.escalation.step })}</span>;
  if (a.overdue) return <span class="care-badge is-danger">{t('care.due.overdue')}</span>;
  if (a.due_at - now <= 86400) return <span class="care-badge is-warning">{t('care.due.today')}</span>;
  return <span class="care-badge">{t('care.due.later')}</span>;
}

function ResidentCard({ a, now, open, onToggle, onDone }: {
  a: MyResident; now: number; open: boolean; onToggle: () => void; onDone: (m: string) => void;
}) {
  const phone = formatPhone(a.resident.phone);
  const late = now - a.due_at;
  return (
    <li class={`care-card care-resident${a.escalation || a.overdue ? ' is-urgent' : ''}`} data-id={a.id}>
      <div class="care-card-head">
        <h3 class="care-card-title">{a.resident.name || t('care.assignmentN', { n: a.id })}</h3>
        <DueBadge a={a} now={now} />
      </div>
      <dl class="care-facts">
        {a.resident.address && <div><dt>{t('care.fact.address')}</dt><dd>{a.resident.address}</dd></div>}
        <div><dt>{t('care.fact.cadence')}</dt><dd>{cadenceText(a.cadence)}</dd></div>
        <div>
          <dt>{t('care.fact.due')}</dt>
          <dd><time dateTime={iso(a.due_at)}>{when(a.due_at)}</time>
            {' '}<span class={late > 0 ? 'care-late' : 'care-muted'}>({late > 0 ? t('care.late', { d: duration(late) }) : t('care.left', { d: duration(-late) })})</span></dd>
        </div>
        <div><dt>{t('care.fact.lastOk')}</dt><dd><time dateTime={iso(a.last_ok_at)}>{when(a.last_ok_at)}</time></dd></div>
      </dl>
      {a.escalation && (
        <p class="care-esc-note">
          <strong>{t('care.esc.now', { n: a.escalation.step, step: tc(`care.step.${a.escalation.step_code}`) })}</strong>{' '}
          {tc(`care.step.${a.escalation.step_code}.carer`)}
        </p>
      )}
      <div class="care-actions">
        {phone && (
          <a class="krds-btn secondary large care-call" href={`tel:${phone.replace(/-/g, '')}`}>
            {t('care.call')} <span class="care-call-number">{phone}</span>
          </a>
        )}
        <button type="button" class="krds-btn primary large" aria-expanded={open} aria-controls={`care-ck-${a.id}`} onClick={onToggle}>
          {t('care.record')}<span class="sr-only"> ({a.resident.name})</span>
        </button>
      </div>
      <div id={`care-ck-${a.id}`} hidden={!open}>
        {open && <CheckinForm assignmentId={a.id} who={a.resident.name} onCancel={onToggle} onDone={onDone} />}
      </div>
    </li>
  );
}

function CheckinForm({ assignmentId, who, official, onCancel, onDone }: {
  assignmentId: number; who: string; official?: boolean; onCancel: () => void; onDone: (m: string) => void;
}) {
  const prefix = `care-ck${assignmentId}`;
  const [result, setResult] = useState<string | undefined>();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormError[]>([]);
  const first = useRef<HTMLDivElement>(null);
  useEffect(() => { first.current?.querySelector<HTMLInputElement>('input')?.focus(); }, []);
  async function submit(e: Event) {
    e.preventDefault();
    if (!result) { setErrors([{ field: 'result', message: t('care.code.required.result') }]); return; }
    setBusy(true);
    try {
      type CheckinBody = Body<'postCheckinsAssignmentsByIdCheckins'>;
      const pick = result as CheckinBody['result'];  // one of RESULTS (the radios)
      const body: CheckinBody = note.trim() ? { result: pick, note: note.trim() } : { result: pick };
      const r = await api<{ escalation: Escalation | null }>('POST', `/api/v1/checkins/assignments/${assignmentId}/checkins`, body);
      const name = who || t('care.assignmentN', { n: assignmentId });
      let msg = t('care.saved.checkin', { who: name, result: tc(`care.result.${result}`) });
      if (r.escalation) msg += ' ' + t('care.saved.escalation', { n: r.escalation.step, step: tc(`care.step.${r.escalation.step_code}`) });
      else if (result === 'fine') msg += ' ' + t('care.saved.closed');
      onDone(msg);
    } catch (err) {
      setErrors(careErrors(err, ['result', 'note']));
    } finally { setBusy(false); }
  }
  const opts = RESULTS.map((r) => ({ value: r, label: tc(`care.result.${r}`), desc: tc(`care.result.${r}.${official ? 'official' : 'desc'}`) }));
  return (
    <form class="care-form care-checkin-form" noValidate onSubmit={submit}>
      <ErrorSummary errors={errors} idPrefix={prefix} />
      <div ref={first}>
        <Fieldset id={`${prefix}-result`} legend={t('care.record.legend', { who: who || t('care.assignmentN', { n: assignmentId }) })} error={errorFor(errors, 'result')}>
          <BigRadios id={`${prefix}-result`} name={`${prefix}-result`} options={opts} value={result} onChange={setResult} error={errorFor(errors, 'result')} />
        </Fieldset>
      </div>
      <Field id={`${prefix}-note`} label={t('care.note')} hint={t('care.note.hint')} error={errorFor(errors, 'note')} required={false}>
        {(a) => <textarea class="krds-input textarea" rows={3} maxLength={2000} value={note} {...a}
          onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />}
      </Field>
      <div class="button-row care-form-actions">
        <button type="submit" class="krds-btn primary large" disabled={busy} aria-busy={busy ? 'true' : undefined}>
          {busy ? t('form.submitting') : t('care.record.save')}
        </button>
        <button type="button" class="krds-btn secondary large" onClick={onCancel}>{t('care.cancel')}</button>
      </div>
    </form>
  );
}

function LadderGuide() {
  return (
    <ol class="care-ladder-guide" aria-label={t('care.ladder.label')}>
      {LADDER.map((code, i) => (
        <li key={code}>
          <span class="care-ladder-n" aria-hidden="true">{i + 1}</span>
          <span><strong>{tc(`care.step.${code}`)}</strong> <span class="care-muted">{tc(`care.step.${code}.wait`)}</span></span>
        </li>
      ))}
    </ol>
  );
}

function Escalations({ reach, tick, onDone }: { reach: Reach; tick: number; onDone: (m: string) => void }) {
  const s = useAppState();
  const dongs = reachDongs(s.me, reach);
  const [dong, setDong] = useState<number>(reach.district ? 0 : reach.dongs[0]);
  const [items, setItems] = useState<Escalation[] | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [forbidden, setForbidden] = useState(false);
  useEffect(() => {
    setItems(null);
    api<{ items: Escalation[] }>('GET', `/api/v1/checkins/escalations${dong ? `?dong=${dong}` : ''}`)
      .then((r) => { setItems([...(r.items || [])].sort((a, b) => b.step - a.step || a.opened_at - b.opened_at)); setErrors([]); setForbidden(false); })
      .catch((e) => { setItems([]); if (isForbidden(e)) setForbidden(true); else setErrors(careErrors(e, [])); });
  }, [dong, tick]);
  const choices = [...(reach.district ? [{ id: 0, label: t('care.dong.all') }] : []), ...dongs.map((g) => ({ id: g.id, label: isKo() ? g.name_ko : g.name_en }))];
  return (
    <section class="care-section" aria-labelledby="care-esc-title">
      <h2 id="care-esc-title" class="section-title">{t('care.esc.title')}</h2>
      <p class="section-lead">{t('care.esc.lead')}</p>
      <LadderGuide />
      {choices.length > 1 && (
        <div class="care-filter">
          <label for="care-esc-dong" class="care-filter-label">{t('care.dong')}</label>
          <select id="care-esc-dong" class="krds-form-select" value={String(dong)} onChange={(e) => setDong(Number((e.target as HTMLSelectElement).value))}>
            {choices.map((c) => <option key={c.id} value={String(c.id)}>{c.label}</option>)}
          </select>
        </div>
      )}
      <ErrorSummary errors={errors} idPrefix="care-esc" />
      {forbidden ? <NoAccess text={t('care.esc.forbidden')} /> : !items ? <Loading /> : items.length === 0 ? <Empty>{t('care.esc.empty')}</Empty> : (
        <>
          <p class="care-count" data-field="esc-count">{t('care.esc.count', { n: items.length })}</p>
          <ul class="care-cards care-escalations">
            {items.map((e) => <EscalationCard key={e.id} e={e} onDone={onDone} />)}
          </ul>
        </>
      )}
    </section>
  );
}

// Every active assignment of a dong: who checks on whom how often, and who is overdue. No names here
// (the list is not a logged read); an escalation card above opens a person's record.
interface DongAssignment {
  id: number; dong_id: number; person_id: number; caregiver_account_id: number; cadence: string;
  last_ok_at: number; due_at: number; overdue: boolean; escalation_step: number | null;
}
function DongAssignments({ reach, tick }: { reach: Reach; tick: number }) {
  const s = useAppState();
  const dongs = reachDongs(s.me, reach);
  const [dong, setDong] = useState<number>(reach.district ? 0 : reach.dongs[0]);
  const [items, setItems] = useState<DongAssignment[] | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  useEffect(() => {
    setItems(null);
    api<{ items: DongAssignment[] }>('GET', `/api/v1/checkins/assignments${dong ? `?dong=${dong}` : ''}`)
      .then((r) => { setItems([...(r.items || [])].sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.due_at - b.due_at)); setErrors([]); })
      .catch((e) => { setItems([]); setErrors(careErrors(e, [])); });
  }, [dong, tick]);
  const choices = [...(reach.district ? [{ id: 0, label: t('care.dong.all') }] : []), ...dongs.map((g) => ({ id: g.id, label: isKo() ? g.name_ko : g.name_en }))];
  const dongLabel = (id: number) => { const g = dongs.find((x) => x.id === id); return g ? (isKo() ? g.name_ko : g.name_en) : String(id); };
  const now = Math.floor(Date.now() / 1000);
  return (
    <section class="care-section" aria-labelledby="care-asg-title">
      <h2 id="care-asg-title" class="section-title">{t('care.asg.title')}</h2>
      <p class="section-lead">{t('care.asg.lead')}</p>
      {choices.length > 1 && (
        <div class="care-filter">
          <label for="care-asg-dong" class="care-filter-label">{t('care.dong')}</label>
          <select id="care-asg-dong" class="krds-form-select" value={String(dong)} onChange={(e) => setDong(Number((e.target as HTMLSelectElement).value))}>
            {choices.map((c) => <option key={c.id} value={String(c.id)}>{c.label}</option>)}
          </select>
        </div>
      )}
      <ErrorSummary errors={errors} idPrefix="care-asg" />
      {!items ? <Loading /> : items.length === 0 ? <Empty>{t('care.asg.empty')}</Empty> : (
        <>
          <p class="care-count" data-field="asg-count">{t('care.asg.count', { n: items.length, late: items.filter((a) => a.overdue).length })}</p>
          <ul class="care-cards care-assignments">
            {items.map((a) => (
              <li key={a.id} class={`care-card${a.overdue || a.escalation_step ? ' is-urgent' : ''}`} data-assignment={a.id}>
                <div class="care-card-head">
                  <h3 class="care-card-title">{t('care.assignmentN', { n: a.id })}</h3>
                  {a.escalation_step ? <span class="care-badge is-danger">{t('care.due.escalated', { n: a.escalation_step })}</span>
                    : a.overdue ? <span class="care-badge is-danger">{t('care.due.overdue')}</span>
                    : <span class="care-badge">{t('care.due.later')}</span>}
                </div>
                <dl class="care-facts">
                  <div><dt>{t('care.dong')}</dt><dd>{dongLabel(a.dong_id)}</dd></div>
                  <div><dt>{t('care.asg.caregiver')}</dt><dd data-field="caregiver">{staffName(a.caregiver_account_id)}</dd></div>
                  <div><dt>{t('care.fact.cadence')}</dt><dd>{cadenceText(a.cadence)}</dd></div>
                  <div><dt>{t('care.fact.due')}</dt><dd><time dateTime={iso(a.due_at)}>{when(a.due_at)}</time>
                    {' '}<span class={now > a.due_at ? 'care-late' : 'care-muted'}>({now > a.due_at ? t('care.late', { d: duration(now - a.due_at) }) : t('care.left', { d: duration(a.due_at - now) })})</span></dd></div>
                </dl>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function EscalationCard({ e, onDone }: { e: Escalation; onDone: (m: string) => void }) {
  const [detail, setDetail] = useState<AssignmentDetail | null>(null);
  const [showDetail, setShowDetail] = useState(false);
  const [form, setForm] = useState(false);
  const [errors, setErrors] = useState<FormError[]>([]);
  const now = nowUnix();
  const at = (n: number) => e.steps.filter((x) => x.step === n).map((x) => x.at).pop();
  const currentSince = at(e.step) ?? e.opened_at;
  const last = e.step >= LADDER.length;
  async function toggleDetail() {
    if (showDetail) { setShowDetail(false); return; }
    setShowDetail(true);
  }
  // The record opens only with the reason the official gives (docs/privacy.md "## Access log").
  async function openDetail(reason: string) {
    setErrors([]);
    try { setDetail(await request<AssignmentDetail>('GET', `/api/v1/checkins/assignments/${e.assignment_id}`, { reason })); }
    catch (err) { setErrors(careErrors(err, [])); }
  }
  const who = detail?.resident.name || t('care.assignmentN', { n: e.assignment_id });
  return (
    <li class={`care-card care-esc is-step-${e.step}`} data-id={e.id} data-assignment={e.assignment_id}>
      <div class="care-card-head">
        <h3 class="care-card-title">{who}</h3>
        <span class={`care-badge ${e.step >= 3 ? 'is-danger' : 'is-warning'}`} data-field="esc-step">
          {t('care.esc.stepBadge', { n: e.step, step: tc(`care.step.${e.step_code}`) })}
        </span>
      </div>
      <p class="care-esc-why">
        {t('care.esc.reason')}: <strong>{tc(`care.reason.${e.reason}`)}</strong>
        {' · '}{t('care.esc.opened')} <time dateTime={iso(e.opened_at)}>{when(e.opened_at)}</time>
        {' '}({now - e.opened_at < 60 ? t('care.justNow') : t('care.ago', { d: duration(now - e.opened_at) })})
      </p>
      <ol class="care-ladder" aria-label={t('care.ladder.label')}>
        {LADDER.map((code, i) => {
          const n = i + 1, taken = at(n);
          const state = n < e.step ? 'is-done' : n === e.step ? 'is-current' : 'is-todo';
          return (
            <li key={code} class={state} aria-current={n === e.step ? 'step' : undefined}>
              <span class="care-ladder-n" aria-hidden="true">{n}</span>
              <span class="care-ladder-body">
                <span class="care-ladder-label">{tc(`care.step.${code}`)}</span>
                <span class="care-ladder-time">
                  {taken ? <time dateTime={iso(taken)}>{when(taken)}</time> : t('care.ladder.notYet')}
                  {n === e.step && <span class="sr-only"> ({t('care.ladder.current')})</span>}
                </span>
              </span>
            </li>
          );
        })}
      </ol>
      <p class="care-esc-time" data-field="esc-time">
        {t('care.esc.atStep', { d: duration(now - currentSince) })}{' '}
        {last ? <strong class="care-late">{t('care.esc.lastStep')}</strong>
          : e.next_at && e.next_at > now ? t('care.esc.nextIn', { d: duration(e.next_at - now), step: tc(`care.step.${LADDER[e.step]}`) })
            : <strong class="care-late">{t('care.esc.nextDue', { step: tc(`care.step.${LADDER[e.step]}`) })}</strong>}
      </p>
      <p class="care-todo"><strong>{t('care.esc.todo')}</strong> {tc(`care.step.${e.step_code}.official`)}</p>
      <div class="care-actions">
        <button type="button" class="krds-btn secondary large" aria-expanded={showDetail} aria-controls={`care-esc-d-${e.id}`} onClick={toggleDetail}>
          {t('care.esc.detail')}<span class="sr-only"> ({t('care.assignmentN', { n: e.assignment_id })})</span>
        </button>
        <button type="button" class="krds-btn primary large" aria-expanded={form} aria-controls={`care-esc-f-${e.id}`} onClick={() => setForm(!form)}>
          {t('care.record')}<span class="sr-only"> ({who})</span>
        </button>
      </div>
      <p class="care-logged">{t('care.logged')}</p>
      <ErrorSummary errors={errors} idPrefix={`care-esc-${e.id}`} />
      <div id={`care-esc-d-${e.id}`} hidden={!showDetail}>
        {showDetail && (detail ? <AssignmentInfo d={detail} />
          : <ReasonForm errors={[]} onChoose={openDetail} prefix={`care-esc-${e.id}-reason`} options={['checkin', 'followup']} hint="care.access.hint" submit="care.access.esc" />)}
      </div>
      <div id={`care-esc-f-${e.id}`} hidden={!form}>
        {form && <CheckinForm assignmentId={e.assignment_id} who={detail?.resident.name || ''} official onCancel={() => setForm(false)}
          onDone={(m) => { setForm(false); onDone(m); }} />}
      </div>
    </li>
  );
}

function AssignmentInfo({ d }: { d: AssignmentDetail }) {
  const phone = formatPhone(d.resident.phone);
  return (
    <div class="care-detail">
      <dl class="care-facts">
        <div><dt>{t('care.fact.name')}</dt><dd>{d.resident.name}</dd></div>
        {d.resident.address && <div><dt>{t('care.fact.address')}</dt><dd>{d.resident.address}</dd></div>}
        {phone && <div><dt>{t('care.fact.phone')}</dt><dd><a class="text-link" href={`tel:${phone.replace(/-/g, '')}`}>{phone}</a></dd></div>}
        <div><dt>{t('care.fact.cadence')}</dt><dd>{cadenceText(d.cadence)}</dd></div>
        <div><dt>{t('care.fact.lastOk')}</dt><dd>{when(d.last_ok_at)}</dd></div>
      </dl>
      <h4 class="care-subtitle">{t('care.history')}</h4>
      {d.checkins.length === 0 ? <p class="care-muted">{t('care.history.empty')}</p> : (
        <ul class="care-history">
          {d.checkins.map((c, i) => (
            <li key={i}>
              <time dateTime={iso(c.at)}>{when(c.at)}</time>{' · '}
              <strong>{tc(`care.result.${c.result}`)}</strong>
              {c.source === 'sensor' && <> · {t('care.source.sensor')}</>}
              {c.note && <p class="care-history-note">{c.note}</p>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface PersonHit { id: number; name: string; birth_date: string | null; dong_id: number; address: string | null }

// The resident is found by mobile number (POST /api/v1/persons/lookup, the number in the body; logged) and chosen from the
// hits; their dong decides whose names the caregiver list shows (the staff directory, caregivers
// and care-team members). An account number only when that list cannot be loaded.
const CARERS: StaffRole[] = ['caregiver', 'care_team'];
const carerRank = (x: StaffMember) => (x.role === 'caregiver' ? 0 : 1);
function AssignForm({ reach, onDone }: { reach: Reach; onDone: (m: string) => void }) {
  const [person, setPerson] = useState<PersonHit | null>(null);
  const [carer, setCarer] = useState('');
  const [cadence, setCadence] = useState<string | undefined>();
  const [lookup, setLookup] = useState('');
  const [hits, setHits] = useState<PersonHit[] | null>(null);
  const [reason, setReason] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormError[]>([]);
  void reach;
  const dir = useStaffDirectory(person?.dong_id || null, CARERS);
  const manual = dir.status === 'failed';
  const carers = [...dir.items].sort((a, b) => carerRank(a) - carerRank(b));
  const listed = !manual && carers.length > 0;
  // A carer chosen from a list that has since changed (another dong, a role taken away) is no choice.
  const chosen = manual ? carer : carers.some((x) => String(x.account_id) === carer) ? carer : '';
  async function find() {
    if (!lookup.trim()) { setErrors([{ field: 'phone', message: t('care.code.required.phone') }]); return; }
    if (!reason) return;
    try {
      const r = await request<{ items: PersonHit[] }>('POST', '/api/v1/persons/lookup', { reason, body: { phone: lookup.trim() } });
      setHits(r.items || []); setErrors([]);
    } catch (e) { setHits(null); setErrors(careErrors(e, ['phone'])); }
  }
  function choose(h: PersonHit) {
    setPerson(h); setHits(null); setErrors([]);
    // The chosen resident's box takes the focus, so the caregiver list that follows is next.
    requestAnimationFrame(() => document.getElementById('care-assign-person_id')?.focus());
  }
  async function submit(e: Event) {
    e.preventDefault();
    const errs: FormError[] = [];
    if (!person) errs.push({ field: 'phone', message: t('care.code.required.person_id') });
    else if (manual && !/^\d+$/.test(carer.trim())) errs.push({ field: 'caregiver_account_id', message: t('care.code.required.caregiver_account_id') });
    else if (listed && !chosen) errs.push({ field: 'caregiver_account_id', message: t('care.code.choose.caregiver_account_id') });
    if (!cadence) errs.push({ field: 'cadence', message: t('care.code.required.cadence') });
    if (errs.length) { setErrors(errs); return; }
    if (!person || (!manual && !listed)) return;  // no one to assign: the notice says so
    setBusy(true);
    try {
      const r = await api<{ id: number }>('POST', '/api/v1/checkins/assignments', { person_id: person.id, caregiver_account_id: Number(chosen.trim()), cadence });
      setErrors([]); setPerson(null); setCarer(''); setCadence(undefined); setHits(null); setLookup('');
      onDone(t('care.assign.saved', { n: r.id, cadence: cadenceText(cadence!) }));
    } catch (err) {
      const list = careErrors(err, ['person_id', 'caregiver_account_id', 'cadence']);
      if (!manual && list.some((x) => x.field === 'caregiver_account_id')) dir.reload();
      setErrors(list);
    } finally { setBusy(false); }
  }
  const personErr = errorFor(errors, 'person_id');
  const carerErr = errorFor(errors, 'caregiver_account_id');
  const dong = person ? dongName(person.dong_id) : '';
  return (
    <section class="panel care-assign" aria-labelledby="care-assign-title">
      <h2 id="care-assign-title" class="panel-title">{t('care.assign.title')}</h2>
      <p class="section-lead">{t('care.assign.lead')}</p>
      <ErrorSummary errors={errors} idPrefix="care-assign" />
      {!reason ? <ReasonForm errors={[]} onChoose={setReason} prefix="care-assign-reason" options={['assign']} hint="care.access.lookupHint" submit="care.access.lookup" /> : (
      <form class="care-form" noValidate onSubmit={submit}>
        <p class="care-logged" data-field="access-reason">{t('work.accessReason', { reason })}{' '}
          <button type="button" class="krds-btn tertiary small" onClick={() => { setReason(null); setHits(null); }}>{t('care.access.change')}</button></p>
        <Field id="care-assign-phone" label={t('care.assign.lookup')} hint={t('care.assign.lookup.hint')} error={errorFor(errors, 'phone')}>
          {(a) => (
            <div class="search-row">
              <input class="krds-input" type="tel" inputMode="tel" autoComplete="off" value={lookup} {...a}
                onInput={(e) => setLookup((e.target as HTMLInputElement).value)}
                onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); find(); } }} />
              <button type="button" class="krds-btn secondary large" onClick={find}>{t('care.assign.find')}</button>
            </div>
          )}
        </Field>
        {hits && (hits.length === 0 ? <p class="care-muted care-hits" role="status">{t('care.assign.noHits')}</p> : (
          <ul class="care-hits" role="list" aria-label={t('care.assign.hits')}>
            {hits.map((h) => (
              <li key={h.id}>
                <span>{h.name}{h.birth_date ? ` (${h.birth_date})` : ''} · {dongName(h.dong_id)} · {t('care.personN', { n: h.id })}</span>
                <button type="button" class="krds-btn tertiary medium" onClick={() => choose(h)}>
                  {t('care.assign.pick')}<span class="sr-only"> ({h.name})</span>
                </button>
              </li>
            ))}
          </ul>
        ))}
        {person && (
          <div class="form-group care-chosen-group">
            <div class="form-tit"><span class="care-chosen-title" id="care-assign-person-title">{t('care.assign.chosen')}</span></div>
            {personErr && <p class="form-hint-invalid" id="care-assign-person_id-error">{personErr}</p>}
            <div id="care-assign-person_id" class={`care-chosen${personErr ? ' is-error' : ''}`} tabIndex={-1} role="group"
              aria-labelledby="care-assign-person-title" aria-describedby={personErr ? 'care-assign-person_id-error' : undefined} data-field="chosen-person">
              <strong class="care-chosen-name">{person.name}</strong>
              <span>{person.birth_date ? `${person.birth_date} · ` : ''}{dong} · {t('care.personN', { n: person.id })}</span>
            </div>
          </div>
        )}
        {!person && <p class="form-hint care-hint" data-field="carer-pick-first">{t('care.assign.carer.pickFirst')}</p>}
        {person && !person.dong_id && <p class="form-hint-invalid">{t('care.code.no_dong')}</p>}
        {person && !!person.dong_id && dir.status === 'loading' && carers.length === 0 && <DirectoryLoading />}
        {person && !!person.dong_id && dir.status === 'ready' && carers.length === 0 && (
          <div class="notice-box care-empty" data-field="no-carers"><p>{t('care.assign.carer.none', { dong })}</p></div>
        )}
        {person && manual && <DirectoryFailed onRetry={dir.reload} />}
        {person && listed && (
          <Field id="care-assign-caregiver_account_id" label={t('care.assign.carer')} hint={t('care.assign.carer.listHint', { dong })} error={carerErr}>
            {(a) => (
              <select class="krds-form-select" value={chosen} {...a} onChange={(e) => setCarer((e.target as HTMLSelectElement).value)}>
                <option value="">{t('form.choose')}</option>
                {carers.map((x) => <option key={`${x.account_id}-${x.role}`} value={String(x.account_id)}>{staffMemberLabel(x)}</option>)}
              </select>
            )}
          </Field>
        )}
        {person && manual && (
          <Field id="care-assign-caregiver_account_id" label={t('care.field.caregiver_account_id')} hint={t('care.assign.carer.hint')} error={carerErr}>
            {(a) => <input class="krds-input care-short" inputMode="numeric" autoComplete="off" value={carer} {...a}
              onInput={(e) => setCarer((e.target as HTMLInputElement).value)} />}
          </Field>
        )}
        <Fieldset id="care-assign-cadence" legend={t('care.field.cadence')} hint={t('care.assign.cadence.hint')} error={errorFor(errors, 'cadence')}>
          <BigRadios id="care-assign-cadence" name="care-assign-cadence" value={cadence} onChange={setCadence} error={errorFor(errors, 'cadence')}
            options={CADENCES.map((c) => ({ value: c, label: tc(`care.risk.${c}`), desc: cadenceText(c) }))} />
        </Fieldset>
        <div class="button-row">
          <button type="submit" class="krds-btn primary large" disabled={busy} aria-busy={busy ? 'true' : undefined}>
            {busy ? t('form.submitting') : t('care.assign.save')}
          </button>
        </div>
      </form>)}
    </section>
  );
}

// ================================================================================================
// 위기가구 선별 (/staff/screening, /staff/screening/{id})
// ================================================================================================
export function ScreeningPage() {
  return (
    <StaffFrame title={t('care.screening.title')} lead={t('care.screening.lead')} path="/staff/screening"
      allowed={(me) => hasRole(me, ...OFFICIAL_ROLES)} noAccess={t('care.screening.noAccess')}>
      {() => <ScreeningBody />}
    </StaffFrame>
  );
}

function ScreeningBody() {
  const s = useAppState();
  const [rounds, setRounds] = useState<Round[] | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [forbidden, setForbidden] = useState(false);
  const [status, setStatus] = useState('');
  const [tick, setTick] = useState(0);
  const district = reachOf(s.me, OFFICIAL_ROLES).district;
  useEffect(() => {
    api<{ items: Round[] }>('GET', '/api/v1/screening/rounds')
      .then((r) => { setRounds(r.items || []); setErrors([]); })
      .catch((e) => { setRounds([]); if (isForbidden(e)) setForbidden(true); else setErrors(careErrors(e, [])); });
  }, [tick]);
  if (forbidden) return <NoAccess text={t('care.screening.noAccess')} />;
  return (
    <div class="care-page">
      <Status text={status} />
      <ErrorSummary errors={errors} idPrefix="care-rounds" />
      <section class="care-section" aria-labelledby="care-rounds-title">
        <h2 id="care-rounds-title" class="section-title">{t('care.rounds.title')}</h2>
        {!rounds ? <Loading /> : rounds.length === 0 ? <Empty>{t('care.rounds.empty')}</Empty> : (
          <div class="krds-table-wrap care-table-wrap">
            <table class="tbl data care-table">
              <caption class="sr-only">{t('care.rounds.caption')}</caption>
              <thead><tr>
                <th scope="col">{t('care.rounds.round')}</th><th scope="col">{t('care.rounds.run')}</th>
                <th scope="col">{t('care.rounds.period')}</th><th scope="col" class="num">{t('care.rounds.households')}</th>
                <th scope="col" class="num">{t('care.rounds.listed')}</th><th scope="col">{t('care.rounds.open')}</th>
              </tr></thead>
              <tbody>
                {rounds.map((r) => (
                  <tr key={r.id}>
                    <th scope="row" data-label={t('care.rounds.round')}>{t('care.roundN', { n: r.id })}</th>
                    <td data-label={t('care.rounds.run')}><time dateTime={iso(r.created_at)}>{when(r.created_at)}</time></td>
                    <td data-label={t('care.rounds.period')}>{r.from} ~ {r.to}</td>
                    <td class="num" data-label={t('care.rounds.households')}>{r.households.toLocaleString()}</td>
                    <td class="num" data-label={t('care.rounds.listed')}>{r.listed.toLocaleString()}</td>
                    <td data-label={t('care.rounds.open')}>
                      <Link href={`/staff/screening/${r.id}`} class="text-link">{t('care.rounds.view')}<span class="sr-only"> ({t('care.roundN', { n: r.id })})</span></Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {district ? (
        <div class="care-two">
          <RunRound />
          <UploadIndicators onDone={(m) => { setStatus(m); setTick((n) => n + 1); }} />
        </div>
      ) : <div class="notice-box care-note"><p>{t('care.rounds.districtOnly')}</p></div>}
    </div>
  );
}

function RunRound() {
  const [from, setFrom] = useState(monthSeoul(5));
  const [to, setTo] = useState(monthSeoul(0));
  const [perDong, setPerDong] = useState('30');
  const [minScore, setMinScore] = useState('50');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormError[]>([]);
  async function submit(e: Event) {
    e.preventDefault();
    const errs: FormError[] = [];
    if (!/^\d{4}-\d{2}$/.test(from)) errs.push({ field: 'from', message: t('care.code.invalid_month.from') });
    if (!/^\d{4}-\d{2}$/.test(to)) errs.push({ field: 'to', message: t('care.code.invalid_month.to') });
    if (!/^\d+$/.test(perDong) || Number(perDong) < 1 || Number(perDong) > 500) errs.push({ field: 'per_dong', message: t('care.code.out_of_range.per_dong') });
    if (!/^\d+(\.\d+)?$/.test(minScore) || Number(minScore) > 100) errs.push({ field: 'min_score', message: t('care.code.out_of_range.min_score') });
    if (errs.length) { setErrors(errs); return; }
    setBusy(true);
    try {
      const r = await api<{ id: number }>('POST', '/api/v1/screening/rounds', { from, to, per_dong: Number(perDong), min_score: Number(minScore) / 100 });
      navigate(`/staff/screening/${r.id}`);
    } catch (err) {
      setErrors(careErrors(err, ['from', 'to', 'per_dong', 'min_score']));
      setBusy(false);
    }
  }
  return (
    <section class="panel care-run" aria-labelledby="care-run-title">
      <h2 id="care-run-title" class="panel-title">{t('care.run.title')}</h2>
      <p class="section-lead">{t('care.run.lead')}</p>
      <ErrorSummary errors={errors} idPrefix="care-run" />
      <form class="care-form" noValidate onSubmit={submit}>
        <div class="care-grid-2">
          <Field id="care-run-from" label={t('care.field.from')} hint={t('care.month.hint')} error={errorFor(errors, 'from')}>
            {(a) => <input class="krds-input" type="month" value={from} {...a} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />}
          </Field>
          <Field id="care-run-to" label={t('care.field.to')} hint={t('care.month.hint')} error={errorFor(errors, 'to')}>
            {(a) => <input class="krds-input" type="month" value={to} {...a} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />}
          </Field>
        </div>
        <div class="care-grid-2">
          <Field id="care-run-per_dong" label={t('care.field.per_dong')} hint={t('care.run.perDong.hint')} error={errorFor(errors, 'per_dong')}>
            {(a) => <input class="krds-input" inputMode="numeric" value={perDong} {...a} onInput={(e) => setPerDong((e.target as HTMLInputElement).value)} />}
          </Field>
          <Field id="care-run-min_score" label={t('care.field.min_score')} hint={t('care.run.minScore.hint')} error={errorFor(errors, 'min_score')}>
            {(a) => <input class="krds-input" inputMode="decimal" value={minScore} {...a} onInput={(e) => setMinScore((e.target as HTMLInputElement).value)} />}
          </Field>
        </div>
        <button type="submit" class="krds-btn primary large" disabled={busy} aria-busy={busy ? 'true' : undefined}>
          {busy ? t('form.submitting') : t('care.run.save')}
        </button>
      </form>
    </section>
  );
}

// A row's error in the page's language, by its code; the offending text is the end of the English
// message ("not an indicator code: X", "... as line 7", "... at byte 12").
function csvRowMessage(fe: FieldError): string {
  const value = /(?:: |line |byte )([^:]*)$/.exec(fe.message ?? '')?.[1] ?? '';
  return tKey(`care.csv.err.${fe.code}`, { value }) ?? fe.message;
}

function UploadIndicators({ onDone }: { onDone: (m: string) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormError[]>([]);
  const input = useRef<HTMLInputElement>(null);
  async function submit(e: Event) {
    e.preventDefault();
    if (!file) { setErrors([{ field: 'file', message: t('care.code.required.file') }]); return; }
    setBusy(true);
    try {
      const text = await file.text();
      const r = await apiText<{ rows: number; households: number }>('POST', '/api/v1/screening/indicators', text, 'text/csv');
      setErrors([]); setFile(null); if (input.current) input.current.value = '';
      onDone(t('care.upload.saved', { rows: r.rows, households: r.households }));
    } catch (err) {
      // Rows are named "line N.field": one line each in the summary.
      if (err instanceof ApiError && err.problem.errors?.length) {
        setErrors(err.problem.errors.map((fe) => {
          const m = /^line (\d+)(?:\.(.+))?$/.exec(fe.field);
          const msg = csvRowMessage(fe);
          return { field: null, message: m ? t('care.upload.rowError', { line: m[1], field: m[2] ? tc(`care.csv.${m[2]}`) : '-', msg }) : msg };
        }));
      } else setErrors(careErrors(err, ['file']));
    } finally { setBusy(false); }
  }
  return (
    <section class="panel care-upload" aria-labelledby="care-upload-title">
      <h2 id="care-upload-title" class="panel-title">{t('care.upload.title')}</h2>
      <p class="section-lead">{t('care.upload.lead')}</p>
      <ErrorSummary errors={errors} idPrefix="care-upload" />
      <form class="care-form" noValidate onSubmit={submit}>
        <Field id="care-upload-file" label={t('care.field.file')} hint={t('care.upload.hint')} error={errorFor(errors, 'file')}>
          {(a) => <input ref={input} class="krds-input care-file" type="file" accept=".csv,text/csv" {...a}
            onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] || null)} />}
        </Field>
        <button type="submit" class="krds-btn secondary large" disabled={busy} aria-busy={busy ? 'true' : undefined}>
          {busy ? t('form.submitting') : t('care.upload.save')}
        </button>
      </form>
    </section>
  );
}

export function ScreeningRoundPage({ id }: { id: string }) {
  return (
    <StaffFrame title={t('care.round.title', { n: id })} lead={t('care.round.lead')} path={`/staff/screening/${id}`}
      crumbs={[{ href: '/staff/screening', label: t('care.screening.title') }]}
      allowed={(me) => hasRole(me, ...OFFICIAL_ROLES)} noAccess={t('care.screening.noAccess')}>
      {() => <RoundBody id={id} />}
    </StaffFrame>
  );
}

function precisionText(x: Tally) {
  if (x.precision === null || x.precision === undefined) return t('care.precision.none');
  return percent(x.precision);
}

function RoundBody({ id }: { id: string }) {
  const [round, setRound] = useState<RoundDetail | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [failed, setFailed] = useState<'forbidden' | 'missing' | null>(null);
  const [status, setStatus] = useState('');
  const [dong, setDong] = useState(0);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    api<RoundDetail>('GET', `/api/v1/screening/rounds/${encodeURIComponent(id)}`)
      .then((r) => { setRound(r); setErrors([]); })
      .catch((e) => {
        if (isForbidden(e)) setFailed('forbidden');
        else if (e instanceof ApiError && (e.status === 404 || e.status === 400 || e.status === 422)) setFailed('missing');
        else setErrors(careErrors(e, []));
      });
  }, [id, tick]);
  if (failed === 'forbidden') return <NoAccess text={t('care.screening.noAccess')} />;
  if (failed === 'missing') return <Empty>{t('care.round.missing')}</Empty>;
  if (!round) return <><ErrorSummary errors={errors} idPrefix="care-round" />{!errors.length && <Loading />}</>;
  const rep = round.report;
  const cov = rep.reported;
  const dongIds = [...new Set(round.items.map((x) => x.dong_id))].sort((a, b) => a - b);
  const tableDongs = [...new Set([...dongIds, ...Object.keys(round.by_dong).map(Number)])].sort((a, b) => a - b);
  const shown = dong ? dongIds.filter((d) => d === dong) : dongIds;
  return (
    <div class="care-page">
      <Status text={status} />
      <ErrorSummary errors={errors} idPrefix="care-round" />
      <p class="care-round-meta">{t('care.round.meta', { from: round.from, to: round.to, n: round.households })}</p>
      <section class="care-section" aria-labelledby="care-report-title">
        <h2 id="care-report-title" class="section-title">{t('care.report.title')}</h2>
        <StatCards items={[
          { label: t('care.report.precision'), value: precisionText(rep), note: t('care.report.precision.note', { s: rep.supported, n: rep.not_in_need }), field: 'precision' },
          { label: t('care.report.listed'), value: rep.listed, field: 'listed' },
          { label: t('care.report.decided'), value: rep.decided, field: 'decided' },
          { label: t('care.report.supported'), value: rep.supported, field: 'supported' },
          ...(cov ? [{
            label: t('care.report.missed'), field: 'missed_by_data',
            value: cov.missed_share === null ? t('care.missed.none') : percent(cov.missed_share),
            note: t('care.report.missed.note', { r: cov.reported, l: cov.linked, f: cov.found_by_data, m: cov.missed_by_data }),
          }] : []),
        ]} />
        <p class="care-muted">{t('care.report.others', { u: rep.unreachable, r: rep.refused, n: rep.not_in_need })}</p>
        {tableDongs.length > 0 && (
          <div class="krds-table-wrap care-table-wrap">
            <table class="tbl data care-table">
              <caption>{t('care.report.byDong')}</caption>
              <thead><tr>
                <th scope="col">{t('care.dong')}</th><th scope="col" class="num">{t('care.report.listed')}</th>
                <th scope="col" class="num">{t('care.report.decided')}</th><th scope="col" class="num">{t('care.report.supported')}</th>
                <th scope="col" class="num">{t('care.outcome.not_in_need')}</th><th scope="col" class="num">{t('care.outcome.unreachable')}</th>
                <th scope="col" class="num">{t('care.outcome.refused')}</th><th scope="col" class="num">{t('care.report.precision')}</th>
                {cov && <th scope="col" class="num">{t('care.report.missedShort')}</th>}
              </tr></thead>
              <tbody>
                {tableDongs.map((d) => {
                  const x = round.by_dong[String(d)];
                  if (!x) return null;
                  return (
                    <tr key={d}>
                      <th scope="row" data-label={t('care.dong')}>{d ? dongName(d) : t('care.dong.none')}</th>
                      <td class="num" data-label={t('care.report.listed')}>{x.listed}</td>
                      <td class="num" data-label={t('care.report.decided')}>{x.decided}</td>
                      <td class="num" data-label={t('care.report.supported')}>{x.supported}</td>
                      <td class="num" data-label={t('care.outcome.not_in_need')}>{x.not_in_need}</td>
                      <td class="num" data-label={t('care.outcome.unreachable')}>{x.unreachable}</td>
                      <td class="num" data-label={t('care.outcome.refused')}>{x.refused}</td>
                      <td class="num" data-label={t('care.report.precision')}>{precisionText(x)}</td>
                      {cov && (
                        <td class="num" data-label={t('care.report.missedShort')}>
                          {x.reported && x.reported.linked ? t('care.missed.cell', { m: x.reported.missed_by_data, l: x.reported.linked, p: percent(x.reported.missed_share) }) : '–'}
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="care-section" aria-labelledby="care-ranked-title">
        <h2 id="care-ranked-title" class="section-title">{t('care.ranked.title')}</h2>
        <p class="section-lead">{t('care.ranked.lead')}</p>
        {dongIds.length > 1 && (
          <div class="care-filter">
            <label for="care-round-dong" class="care-filter-label">{t('care.dong')}</label>
            <select id="care-round-dong" class="krds-form-select" value={String(dong)} onChange={(e) => setDong(Number((e.target as HTMLSelectElement).value))}>
              <option value="0">{t('care.dong.allListed')}</option>
              {dongIds.map((d) => <option key={d} value={String(d)}>{dongName(d)}</option>)}
            </select>
          </div>
        )}
        {round.items.length === 0 ? <Empty>{t('care.ranked.empty')}</Empty> : shown.map((d) => {
          const list = round.items.filter((x) => x.dong_id === d).sort((a, b) => a.rank - b.rank);
          return (
            <section key={d} class="care-dong-group" aria-labelledby={`care-dong-${d}`}>
              <h3 id={`care-dong-${d}`} class="care-group-title">{t('care.ranked.dong', { dong: dongName(d), n: list.length })}</h3>
              <ol class="care-cards care-ranked">
                {list.map((it) => <RankedItem key={it.id} it={it} onSaved={(m) => { setStatus(m); setTick((n) => n + 1); }} />)}
              </ol>
            </section>
          );
        })}
      </section>
    </div>
  );
}

function reasonLabel(r: { label_ko: string; label_en: string }) { return isKo() ? r.label_ko : r.label_en; }
function signed(x: number) { return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`; }

function RankedItem({ it, onSaved }: { it: RoundItem; onSaved: (m: string) => void }) {
  const [outcome, setOutcome] = useState(it.outcome || '');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [key, setKey] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  useEffect(() => { setOutcome(it.outcome || ''); }, [it.outcome]);
  const prefix = `care-item-${it.id}`;
  const max = Math.max(0.01, ...it.why.map((w) => Math.abs(w.contribution)));
  async function save(e: Event) {
    e.preventDefault();
    if (!outcome) { setErrors([{ field: 'outcome', message: t('care.code.required.outcome') }]); return; }
    setBusy(true);
    try {
      await api('PUT', `/api/v1/screening/items/${it.id}/outcome`, { outcome });
      setErrors([]);
      onSaved(t('care.outcome.saved', { n: it.rank, dong: dongName(it.dong_id), outcome: tc(`care.outcome.${outcome}`) }));
    } catch (err) { setErrors(careErrors(err, ['outcome'])); } finally { setBusy(false); }
  }
  async function showKey(reason: string) {
    try {
      const r = await request<{ household_key: string }>('GET', `/api/v1/screening/items/${it.id}`, { reason });
      setKey(r.household_key || ''); setAsking(false); setErrors([]);
    } catch (err) { setErrors(careErrors(err, [])); }
  }
  const names = it.why.filter((w) => w.contribution > 0).map(reasonLabel);
  return (
    <li class="care-card care-hh" data-id={it.id}>
      <div class="care-card-head">
        <h4 class="care-card-title">{t('care.rankN', { n: it.rank })}</h4>
        <span class="care-score" data-field="score">{t('care.score', { s: it.score.toFixed(2) })}</span>
        {it.outcome && <span class={`care-badge${(OUTCOMES.slice(0, 3) as readonly string[]).includes(it.outcome) ? ' is-done' : ''}`} data-field="outcome">{tc(`care.outcome.${it.outcome}`)}</span>}
      </div>
      <p class="care-why-sentence">
        {names.length ? t('care.why.sentence', { list: names.join(', ') }) : t('care.why.none')}
      </p>
      <ul class="care-why" aria-label={t('care.why.label')}>
        {it.why.map((w) => (
          <li key={w.indicator} class={w.contribution < 0 ? 'is-negative' : ''}>
            <span class="care-why-label">{reasonLabel(w)}</span>
            <span class="care-why-bar" aria-hidden="true"><span style={{ width: `${Math.round((Math.abs(w.contribution) / max) * 100)}%` }} /></span>
            <span class="care-why-value">
              <span class="sr-only">{w.contribution >= 0 ? t('care.why.up') : t('care.why.down')} </span>{signed(w.contribution)}
            </span>
          </li>
        ))}
      </ul>
      <ErrorSummary errors={errors} idPrefix={prefix} />
      <form class="care-outcome" noValidate onSubmit={save}>
        <div class="form-group">
          <div class="form-tit"><label for={`${prefix}-outcome`}>{t('care.outcome.label')}<span class="sr-only"> ({t('care.rankN', { n: it.rank })})</span></label></div>
          {errorFor(errors, 'outcome') && <p class="form-hint-invalid" id={`${prefix}-outcome-error`}>{errorFor(errors, 'outcome')}</p>}
          <div class={`care-outcome-row${errorFor(errors, 'outcome') ? ' is-error' : ''}`}>
            <select id={`${prefix}-outcome`} class="krds-form-select" value={outcome}
              aria-invalid={errorFor(errors, 'outcome') ? 'true' : undefined} aria-describedby={errorFor(errors, 'outcome') ? `${prefix}-outcome-error` : undefined}
              onChange={(e) => setOutcome((e.target as HTMLSelectElement).value)}>
              <option value="">{t('form.choose')}</option>
              <optgroup label={t('care.outcome.group.supported')}>
                {OUTCOMES.slice(0, 3).map((o) => <option key={o} value={o}>{tc(`care.outcome.${o}`)}</option>)}
              </optgroup>
              <optgroup label={t('care.outcome.group.other')}>
                {OUTCOMES.slice(3).map((o) => <option key={o} value={o}>{tc(`care.outcome.${o}`)}</option>)}
              </optgroup>
            </select>
            <button type="submit" class="krds-btn primary large" disabled={busy} aria-busy={busy ? 'true' : undefined}>
              {busy ? t('form.submitting') : t('care.outcome.save')}<span class="sr-only"> ({t('care.rankN', { n: it.rank })})</span>
            </button>
          </div>
        </div>
      </form>
      <div class="care-key">
        {key === null ? asking ? (
          <ReasonForm errors={[]} onChoose={showKey} prefix={`${prefix}-reason`} options={['visit', 'followup']} hint="care.access.hint" submit="care.access.key" />
        ) : (
          <button type="button" class="krds-btn tertiary medium" onClick={() => setAsking(true)}>
            {t('care.key.show')}<span class="sr-only"> ({t('care.rankN', { n: it.rank })})</span>
          </button>
        ) : <p><strong>{t('care.key.label')}</strong> <span class="care-key-value">{key}</span></p>}
        <p class="care-logged">{t('care.key.logged')}</p>
      </div>
    </li>
  );
}

// ================================================================================================
// 현장 조사 (/staff/surveys, /staff/surveys/{code}/new)
// ================================================================================================
let surveysCache: Survey[] | null = null;
async function loadSurveys(): Promise<Survey[]> {
  if (surveysCache) return surveysCache;
  const r = await api<{ items: Survey[] }>('GET', '/api/v1/surveys');
  surveysCache = r.items || [];
  return surveysCache;
}
const surveyTitle = (s: { title_ko: string; title_en: string }) => (isKo() ? s.title_ko : s.title_en);
const qText = (q: SurveyQuestion) => (isKo() ? q.text_ko : q.text_en);
const flagLabel = (f: string) => tc(`care.flag.${f}`);

export function SurveysPage() {
  return (
    <StaffFrame title={t('care.surveys.title')} lead={t('care.surveys.lead')} path="/staff/surveys"
      allowed={(me) => hasRole(me, ...FIELD_ROLES)} noAccess={t('care.surveys.noAccess')}>
      {() => <SurveysBody />}
    </StaffFrame>
  );
}

function SurveysBody() {
  const s = useAppState();
  const search = useSearch();
  const [surveys, setSurveys] = useState<Survey[] | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  useEffect(() => { loadSurveys().then(setSurveys).catch((e) => { setSurveys([]); setErrors(careErrors(e, [])); }); }, []);
  const officials = reaches(reachOf(s.me, OFFICIAL_ROLES));
  const field = reaches(reachOf(s.me, FIELD_ROLES));
  if (!surveys) return <><ErrorSummary errors={errors} idPrefix="care-surveys" />{!errors.length && <Loading />}</>;
  const code = search.get('survey') || surveys[0]?.code;
  const survey = surveys.find((x) => x.code === code) || surveys[0];
  return (
    <div class="care-page">
      <ErrorSummary errors={errors} idPrefix="care-surveys" />
      <section class="care-section" aria-labelledby="care-survey-list-title">
        <h2 id="care-survey-list-title" class="section-title">{t('care.surveys.list')}</h2>
        {surveys.length === 0 ? <Empty>{t('care.surveys.empty')}</Empty> : (
          <ul class="care-cards care-survey-list">
            {surveys.map((x) => (
              <li key={x.code} class={`care-card${x.code === survey?.code ? ' is-selected' : ''}`}>
                <h3 class="care-card-title">{surveyTitle(x)}</h3>
                <p class="care-muted">{t('care.surveys.meta', { age: x.min_age, n: x.questions.length })}</p>
                <div class="care-actions">
                  {field && <Link href={`/staff/surveys/${encodeURIComponent(x.code)}/new`} class="krds-btn primary large">{t('care.surveys.enter')}<span class="sr-only"> ({surveyTitle(x)})</span></Link>}
                  {surveys.length > 1 && x.code !== survey?.code && (
                    <Link href={`/staff/surveys?survey=${encodeURIComponent(x.code)}`} class="krds-btn secondary large">{t('care.surveys.show')}</Link>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      {survey && <SurveyReportView survey={survey} canPublish={reachOf(s.me, ['district_admin']).district} />}
      {survey && (officials ? <SurveyResponses survey={survey} /> : <div class="notice-box care-note"><p>{t('care.responses.officialsOnly')}</p></div>)}
    </div>
  );
}

// The public report is a snapshot an official published (never a live count): its date, and for a
// district administrator the button that publishes a new one.
function SurveyReportView({ survey, canPublish }: { survey: Survey; canPublish: boolean }) {
  const [year, setYear] = useState(thisYearSeoul());
  const [rep, setRep] = useState<SurveyReport | 'none' | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [busy, setBusy] = useState(false);
  const [published, setPublished] = useState(false);
  useEffect(() => {
    setRep(null);
    setPublished(false);
    api<SurveyReport>('GET', `/api/v1/surveys/${encodeURIComponent(survey.code)}/report?year=${year}`)
      .then((r) => { setRep(r); setErrors([]); })
      .catch((e) => { if (e instanceof ApiError && e.status === 404) { setRep('none'); setErrors([]); } else setErrors(careErrors(e, [])); });
  }, [survey.code, year]);
  const publish = () => {
    setBusy(true);
    api<SurveyReport>('POST', `/api/v1/surveys/${encodeURIComponent(survey.code)}/report/snapshots`, { year })
      .then((r) => { setRep(r); setErrors([]); setPublished(true); })
      .catch((e) => setErrors(careErrors(e, ['year'])))
      .finally(() => setBusy(false));
  };
  const years = [0, 1, 2].map((k) => thisYearSeoul() - k);
  const flags = rep && rep !== 'none' ? [...FLAGS.filter((f) => f in rep.by_flag), ...Object.keys(rep.by_flag).filter((f) => !(FLAGS as readonly string[]).includes(f))] : [];
  return (
    <section class="care-section" aria-labelledby="care-srep-title">
      <h2 id="care-srep-title" class="section-title">{t('care.sreport.title', { year })}</h2>
      <div class="care-filter">
        <label for="care-srep-year" class="care-filter-label">{t('care.year')}</label>
        <select id="care-srep-year" class="krds-form-select" value={String(year)} onChange={(e) => setYear(Number((e.target as HTMLSelectElement).value))}>
          {years.map((y) => <option key={y} value={String(y)}>{t('care.yearN', { n: y })}</option>)}
        </select>
      </div>
      <ErrorSummary errors={errors} idPrefix="care-srep" />
      <div class="care-srep-publish">
        <p class="care-muted" id="care-srep-date">
          {rep && rep !== 'none' ? t('care.sreport.publishedAt', { date: when(Date.parse(rep.published_at) / 1000) }) : rep === 'none' ? t('care.sreport.notPublished') : ''}
        </p>
        {canPublish && (
          <button type="button" class="krds-btn secondary small" disabled={busy} onClick={publish} aria-describedby="care-srep-publish-note">
            {t('care.sreport.publish')}
          </button>
        )}
        {canPublish && <p class="care-muted" id="care-srep-publish-note">{t('care.sreport.publishNote')}</p>}
        {published && <p role="status" class="care-ok">{t('care.sreport.publishedNow')}</p>}
      </div>
      {!rep ? (!errors.length && <Loading />) : rep === 'none' ? null : (
        <>
          <StatCards items={[
            { label: t('care.sreport.surveyed'), value: <Hidden n={rep.surveyed} />, field: 'surveyed' },
            { label: t('care.sreport.discovered'), value: <Hidden n={rep.newly_discovered} />, note: t('care.sreport.discovered.note'), field: 'newly_discovered' },
            { label: t('care.sreport.supported'), value: <Hidden n={rep.supported} />, field: 'supported' },
          ]} />
          <div class="care-two">
            <div class="krds-table-wrap care-table-wrap">
              <table class="tbl data care-table care-table-simple">
                <caption>{t('care.sreport.byFlag')}</caption>
                <thead><tr><th scope="col">{t('care.flag')}</th><th scope="col" class="num">{t('care.sreport.households')}</th></tr></thead>
                <tbody>
                  {flags.length === 0 ? <tr><td colSpan={2}>{t('care.sreport.none')}</td></tr> : flags.map((f) => (
                    <tr key={f}><th scope="row" data-label={t('care.flag')}>{flagLabel(f)}</th>
                      <td class="num" data-label={t('care.sreport.households')}><Hidden n={rep.by_flag[f]} /></td></tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div class="krds-table-wrap care-table-wrap">
              <table class="tbl data care-table">
                <caption>{t('care.sreport.byDong')}</caption>
                <thead><tr>
                  <th scope="col">{t('care.dong')}</th><th scope="col" class="num">{t('care.sreport.surveyed')}</th>
                  <th scope="col" class="num">{t('care.sreport.discovered')}</th><th scope="col" class="num">{t('care.sreport.supported')}</th>
                </tr></thead>
                <tbody>
                  {rep.by_dong.length === 0 ? <tr><td colSpan={4}>{t('care.sreport.none')}</td></tr> : rep.by_dong.map((d) => (
                    <tr key={d.dong_id}>
                      <th scope="row" data-label={t('care.dong')}>{dongName(d.dong_id)}</th>
                      <td class="num" data-label={t('care.sreport.surveyed')}><Hidden n={d.surveyed} /></td>
                      <td class="num" data-label={t('care.sreport.discovered')}><Hidden n={d.newly_discovered} /></td>
                      <td class="num" data-label={t('care.sreport.supported')}><Hidden n={d.supported} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
          <p class="table-source">{t('care.sreport.suppressNote')}</p>
        </>
      )}
    </section>
  );
}

function SurveyResponses({ survey }: { survey: Survey }) {
  const [flagged, setFlagged] = useState(true);
  const [items, setItems] = useState<SurveyResponseRow[] | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [status, setStatus] = useState('');
  const [tick, setTick] = useState(0);
  const [open, setOpen] = useState<number | null>(null);
  useEffect(() => {
    api<{ items: SurveyResponseRow[] }>('GET', `/api/v1/surveys/${encodeURIComponent(survey.code)}/responses${flagged ? '?flagged=1' : ''}`)
      .then((r) => { setItems(r.items || []); setErrors([]); }).catch((e) => { setItems([]); setErrors(careErrors(e, [])); });
  }, [survey.code, flagged, tick]);
  return (
    <section class="care-section" aria-labelledby="care-resp-title">
      <h2 id="care-resp-title" class="section-title">{t('care.responses.title')}</h2>
      <p class="section-lead">{t('care.responses.lead')}</p>
      <Status text={status} />
      <div class="krds-form-check medium care-check">
        <input type="checkbox" id="care-resp-flagged" checked={flagged} onChange={(e) => setFlagged((e.target as HTMLInputElement).checked)} />
        <label for="care-resp-flagged">{t('care.responses.flagged')}</label>
      </div>
      <ErrorSummary errors={errors} idPrefix="care-resp" />
      {!items ? <Loading /> : items.length === 0 ? <Empty>{t('care.responses.empty')}</Empty> : (
        <ul class="care-cards care-responses">
          {items.map((r) => (
            <ResponseCard key={r.id} r={r} survey={survey} open={open === r.id} onToggle={() => setOpen(open === r.id ? null : r.id)}
              onSaved={(m) => { setStatus(m); setTick((n) => n + 1); }} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ResponseCard({ r, survey, open, onToggle, onSaved }: {
  r: SurveyResponseRow; survey: Survey; open: boolean; onToggle: () => void; onSaved: (m: string) => void;
}) {
  const [detail, setDetail] = useState<SurveyResponseDetail | null>(null);
  const [follow, setFollow] = useState(r.follow_up || '');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormError[]>([]);
  const prefix = `care-resp-${r.id}`;
  const openDetail = (reason: string) => {
    setErrors([]);
    request<SurveyResponseDetail>('GET', `/api/v1/surveys/responses/${r.id}`, { reason })
      .then(setDetail).catch((e) => setErrors(careErrors(e, [])));
  };
  async function save(e: Event) {
    e.preventDefault();
    if (!follow) { setErrors([{ field: 'follow_up', message: t('care.code.required.follow_up') }]); return; }
    setBusy(true);
    try {
      await api('PUT', `/api/v1/surveys/responses/${r.id}/follow_up`, { follow_up: follow });
      setErrors([]);
      onSaved(t('care.follow.saved', { n: r.id, v: tc(`care.follow.${follow}`) }));
    } catch (err) { setErrors(careErrors(err, ['follow_up'])); } finally { setBusy(false); }
  }
  const answer = (q: SurveyQuestion, v: unknown): string => {
    if (v === undefined || v === null || v === '') return t('care.answer.none');
    if (q.type === 'bool') return v ? t('care.yes') : t('care.no');
    if (q.type === 'choice') { const o = q.options.find((x) => x.code === v); return o ? (isKo() ? o.label_ko : o.label_en) : String(v); }
    return String(v);
  };
  return (
    <li class={`care-card care-response${r.urgent ? ' is-urgent' : ''}`} data-id={r.id}>
      <div class="care-card-head">
        <h3 class="care-card-title">{t('care.responseN', { n: r.id })} · {dongName(r.dong_id)}</h3>
        {r.urgent && <span class="care-badge is-danger">{t('care.urgent')}</span>}
        {r.follow_up && <span class={`care-badge${r.follow_up === 'supported' ? ' is-done' : ''}`}>{tc(`care.follow.${r.follow_up}`)}</span>}
      </div>
      <p class="care-muted">{t('care.surveyedAt')} <time dateTime={iso(r.surveyed_at)}>{when(r.surveyed_at)}</time></p>
      <FlagList flags={r.flags} />
      <ErrorSummary errors={errors} idPrefix={prefix} />
      <form class="care-outcome" noValidate onSubmit={save}>
        <div class="form-group">
          <div class="form-tit"><label for={`${prefix}-follow_up`}>{t('care.follow.label')}<span class="sr-only"> ({t('care.responseN', { n: r.id })})</span></label></div>
          {errorFor(errors, 'follow_up') && <p class="form-hint-invalid" id={`${prefix}-follow_up-error`}>{errorFor(errors, 'follow_up')}</p>}
          <div class={`care-outcome-row${errorFor(errors, 'follow_up') ? ' is-error' : ''}`}>
            <select id={`${prefix}-follow_up`} class="krds-form-select" value={follow}
              aria-invalid={errorFor(errors, 'follow_up') ? 'true' : undefined} aria-describedby={errorFor(errors, 'follow_up') ? `${prefix}-follow_up-error` : undefined}
              onChange={(e) => setFollow((e.target as HTMLSelectElement).value)}>
              <option value="">{t('form.choose')}</option>
              {FOLLOW_UPS.map((f) => <option key={f} value={f}>{tc(`care.follow.${f}`)}</option>)}
            </select>
            <button type="submit" class="krds-btn primary large" disabled={busy}>{t('care.follow.save')}<span class="sr-only"> ({t('care.responseN', { n: r.id })})</span></button>
          </div>
        </div>
      </form>
      <div class="care-actions">
        <button type="button" class="krds-btn secondary medium" aria-expanded={open} aria-controls={`${prefix}-detail`} onClick={onToggle}>
          {t('care.responses.open')}<span class="sr-only"> ({t('care.responseN', { n: r.id })})</span>
        </button>
        {r.household_id && (
          <Link href={`/staff/households/${r.household_id}`} class="krds-btn tertiary medium">
            {t('care.household.open')}<span class="sr-only"> ({t('care.responseN', { n: r.id })})</span>
          </Link>
        )}
      </div>
      <p class="care-logged">{t('care.logged')}</p>
      <div id={`${prefix}-detail`} hidden={!open}>
        {open && (detail ? (
          <div class="care-detail">
            <dl class="care-facts">
              <div><dt>{t('care.field.respondent.name')}</dt><dd>{detail.respondent.name}</dd></div>
              <div><dt>{t('care.field.respondent.address')}</dt><dd>{detail.respondent.address}</dd></div>
              {detail.respondent.phone && <div><dt>{t('care.field.respondent.phone')}</dt><dd>{formatPhone(detail.respondent.phone)}</dd></div>}
              <div><dt>{t('care.field.respondent.birth_year')}</dt><dd>{detail.respondent.birth_year}</dd></div>
            </dl>
            <h4 class="care-subtitle">{t('care.answers')}</h4>
            <dl class="care-facts care-answers">
              {survey.questions.map((q) => <div key={q.code}><dt>{qText(q)}</dt><dd>{answer(q, detail.answers[q.code])}</dd></div>)}
            </dl>
          </div>
        ) : <ReasonForm errors={[]} onChoose={openDetail} prefix={`${prefix}-reason`} options={['followup', 'visit']} hint="care.access.hint" submit="care.access.resp" />)}
      </div>
    </li>
  );
}

function FlagList({ flags, big }: { flags: string[]; big?: boolean }) {
  if (!flags.length) return <p class="care-muted">{t('care.flags.none')}</p>;
  return (
    <ul class={`care-flags${big ? ' is-big' : ''}`} aria-label={t('care.flags.label')}>
      {flags.map((f) => <li key={f} class={`care-flag flag-${f}`}>{flagLabel(f)}</li>)}
    </ul>
  );
}

export function SurveyEntryPage({ code }: { code: string }) {
  const [survey, setSurvey] = useState<Survey | null | undefined>(undefined);
  useEffect(() => { loadSurveys().then((all) => setSurvey(all.find((x) => x.code === code) || null)).catch(() => setSurvey(null)); }, [code]);
  const title = survey ? surveyTitle(survey) : t('care.entry.title');
  return (
    <StaffFrame title={title} path={`/staff/surveys/${code}/new`} wide={false}
      crumbs={[{ href: '/staff/surveys', label: t('care.surveys.title') }]}
      allowed={(me) => hasRole(me, ...FIELD_ROLES)} noAccess={t('care.entry.noAccess')}>
      {() => survey === undefined ? <Loading /> : survey === null ? <Empty>{t('care.entry.missing')}</Empty> : <SurveyEntry key={survey.code} survey={survey} />}
    </StaffFrame>
  );
}

interface SavedInterview { id: number; flags: string[]; urgent: boolean; household?: { id: number; receipt_no: string; merged: boolean } | null }
interface Respondent { dong_id: string; name: string; address: string; phone: string; birth_year: string }
const RESPONDENT_FIELDS = ['dong_id', 'respondent.name', 'respondent.address', 'respondent.phone', 'respondent.birth_year'];

function SurveyEntry({ survey }: { survey: Survey }) {
  const s = useAppState();
  const dongs = reachDongs(s.me, reachOf(s.me, FIELD_ROLES));
  const officials = reaches(reachOf(s.me, OFFICIAL_ROLES));
  const blank: Respondent = { dong_id: dongs.length === 1 ? String(dongs[0].id) : '', name: '', address: '', phone: '', birth_year: '' };
  const [who, setWho] = useState<Respondent>(blank);
  const [answers, setAnswers] = useState<Record<string, unknown>>({});
  const [step, setStep] = useState(0);  // 0: respondent, 1..n: questions, n+1: review
  const [errors, setErrors] = useState<FormError[]>([]);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<SavedInterview | null>(null);
  const [focusField, setFocusField] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  const qs = survey.questions;
  const n = qs.length;
  const review = n + 1;

  // Each step starts at its heading (or at the field an error link names).
  useEffect(() => {
    if (first.current) { first.current = false; return; }
    if (focusField) {
      const el = document.getElementById(`survey-${focusField}`);
      if (el) { el.focus(); el.scrollIntoView({ block: 'center' }); }
      setFocusField(null);
    } else if (heading.current && !errors.length) { heading.current.focus(); window.scrollTo(0, 0); }
  }, [step, saved]);

  const stepOf = (field: string): number => {
    if (RESPONDENT_FIELDS.includes(field) || field.startsWith('respondent')) return 0;
    const k = qs.findIndex((q) => `answers.${q.code}` === field);
    return k >= 0 ? k + 1 : review;
  };
  const label = (field: string) => {
    if (field.startsWith('answers.')) { const q = qs.find((x) => `answers.${x.code}` === field); return q ? qText(q) : undefined; }
    return tKey('care.field.' + field) ?? undefined;
  };

  function checkStep(k: number): FormError[] {
    const errs: FormError[] = [];
    if (k === 0) {
      if (!who.dong_id) errs.push({ field: 'dong_id', message: t('care.code.required.dong_id') });
      if (!who.name.trim()) errs.push({ field: 'respondent.name', message: t('care.code.required.respondent.name') });
      if (!who.address.trim()) errs.push({ field: 'respondent.address', message: t('care.code.required.respondent.address') });
      const y = Number(who.birth_year);
      if (!/^\d{4}$/.test(who.birth_year.trim())) errs.push({ field: 'respondent.birth_year', message: t('care.code.required.respondent.birth_year') });
      else if (thisYearSeoul() - y < survey.min_age) errs.push({ field: 'respondent.birth_year', message: t('care.code.tooYoung', { age: survey.min_age }) });
    } else if (k <= n) {
      const q = qs[k - 1];
      const v = answers[q.code];
      const f = `answers.${q.code}`;
      if ((v === undefined || v === '') && q.required) errs.push({ field: f, message: t('care.code.answer.required', { q: qText(q) }) });
      else if (q.type === 'number' && v !== undefined && v !== '' && !/^\d+$/.test(String(v))) errs.push({ field: f, message: t('care.code.wholeNumber') });
    }
    return errs;
  }
  function go(k: number) { setErrors([]); setStep(k); }
  function next(e: Event) {
    e.preventDefault();
    const errs = checkStep(step);
    if (errs.length) { setErrors(errs); return; }
    if (step < review) go(step + 1);
    else submit();
  }
  async function submit() {
    const body = {
      dong_id: Number(who.dong_id),
      respondent: { name: who.name.trim(), address: who.address.trim(), birth_year: Number(who.birth_year), ...(who.phone.trim() ? { phone: who.phone.trim() } : {}) },
      answers: Object.fromEntries(qs.flatMap((q) => {
        const v = answers[q.code];
        if (v === undefined || v === '') return [];
        return [[q.code, q.type === 'number' ? Number(v) : q.type === 'text' ? String(v).trim() : v]];
      }).filter(([, v]) => v !== '')),
    };
    setBusy(true);
    try {
      const r = await api<SavedInterview>('POST', `/api/v1/surveys/${encodeURIComponent(survey.code)}/responses`, body);
      setErrors([]); setSaved(r);
    } catch (err) {
      const known = [...RESPONDENT_FIELDS, ...qs.map((q) => `answers.${q.code}`)];
      const errs = careErrors(err, known, label);
      setErrors(errs);
      const firstField = errs.find((x) => x.field)?.field;
      if (firstField !== undefined && firstField !== null) setStep(stepOf(firstField));
    } finally { setBusy(false); }
  }
  function again() { setWho(blank); setAnswers({}); setSaved(null); setErrors([]); setStep(0); }

  if (saved) {
    return (
      <div class="care-entry care-saved">
        <h2 class="care-step-title" tabIndex={-1} ref={heading}>{t('care.entry.saved', { n: saved.id })}</h2>
        {saved.urgent && (
          <div class="notice-box notice-warning care-urgent" role="alert">
            <p><strong>{t('care.entry.urgent.title')}</strong></p><p>{t('care.entry.urgent.text')}</p>
          </div>
        )}
        <section class="care-section" aria-labelledby="care-flags-title">
          <h3 id="care-flags-title" class="care-group-title">{t('care.entry.flags', { n: saved.flags.length })}</h3>
          {saved.flags.length ? (
            <ul class="care-flag-explain" data-field="flags">
              {saved.flags.map((f) => (
                <li key={f} class={`care-flag-item flag-${f}`}>
                  <strong class={`care-flag flag-${f}`}>{flagLabel(f)}</strong>
                  <span>{tc(`care.flag.${f}.next`)}</span>
                </li>
              ))}
            </ul>
          ) : <p class="care-muted">{t('care.flags.none')}</p>}
          {saved.household && (
            <div class="notice-box care-filed" data-field="filed">
              <p>{t(saved.household.merged ? 'care.entry.filedMerged' : 'care.entry.filed', { receipt: saved.household.receipt_no })}</p>
              {officials && <p><Link href={`/staff/households/${saved.household.id}`} class="text-link">{t('care.household.open')}</Link></p>}
            </div>
          )}
        </section>
        <div class="button-row">
          <button type="button" class="krds-btn primary large" onClick={again}>{t('care.entry.again')}</button>
          <Link href="/staff/surveys" class="krds-btn secondary large">{t('care.entry.toList')}</Link>
        </div>
      </div>
    );
  }

  const set = (k: keyof Respondent) => (e: Event) => setWho({ ...who, [k]: (e.target as HTMLInputElement).value });
  const progress = step === 0 ? t('care.entry.stepRespondent') : step === review ? t('care.entry.stepReview') : t('care.entry.stepQ', { k: step, n });
  const pct = Math.round((step / review) * 100);
  return (
    <div class="care-entry">
      <div class="care-progress">
        <p class="care-progress-text">{progress}</p>
        <div class="care-progress-bar" aria-hidden="true"><span style={{ width: `${pct}%` }} /></div>
      </div>
      <SurveyErrorSummary errors={errors} onGo={(f) => { setFocusField(f); setStep(stepOf(f)); if (stepOf(f) === step) { const el = document.getElementById(`survey-${f}`); el?.focus(); } }} />
      <form class="care-form care-entry-form" noValidate onSubmit={next}>
        {step === 0 && (
          <>
            <h2 class="care-step-title" tabIndex={-1} ref={heading}>{t('care.entry.respondent')}</h2>
            <p class="care-hint">{t('care.entry.respondent.hint', { age: survey.min_age })}</p>
            <Field id="survey-dong_id" label={t('care.field.dong_id')} error={errorFor(errors, 'dong_id')}>
              {(a) => (
                <select class="krds-form-select" value={who.dong_id} {...a} onChange={set('dong_id')}>
                  <option value="">{t('form.choose')}</option>
                  {dongs.map((g) => <option key={g.id} value={String(g.id)}>{isKo() ? g.name_ko : g.name_en}</option>)}
                </select>
              )}
            </Field>
            <Field id="survey-respondent.name" label={t('care.field.respondent.name')} error={errorFor(errors, 'respondent.name')}>
              {(a) => <input class="krds-input" autoComplete="off" maxLength={50} value={who.name} {...a} onInput={set('name')} />}
            </Field>
            <Field id="survey-respondent.address" label={t('care.field.respondent.address')} hint={t('care.entry.address.hint')} error={errorFor(errors, 'respondent.address')}>
              {(a) => <input class="krds-input" autoComplete="off" maxLength={200} value={who.address} {...a} onInput={set('address')} />}
            </Field>
            <Field id="survey-respondent.phone" label={t('care.field.respondent.phone')} hint={t('care.entry.phone.hint')} error={errorFor(errors, 'respondent.phone')} required={false}>
              {(a) => <input class="krds-input" type="tel" inputMode="tel" autoComplete="off" maxLength={20} value={who.phone} {...a} onInput={set('phone')} />}
            </Field>
            <Field id="survey-respondent.birth_year" label={t('care.field.respondent.birth_year')} hint={t('care.entry.birth.hint')} error={errorFor(errors, 'respondent.birth_year')}>
              {(a) => <input class="krds-input care-short" inputMode="numeric" autoComplete="off" maxLength={4} value={who.birth_year} {...a} onInput={set('birth_year')} />}
            </Field>
          </>
        )}
        {step >= 1 && step <= n && (
          <QuestionStep key={qs[step - 1].code} q={qs[step - 1]} value={answers[qs[step - 1].code]} heading={heading}
            error={errorFor(errors, `answers.${qs[step - 1].code}`)}
            onChange={(v) => setAnswers({ ...answers, [qs[step - 1].code]: v })} />
        )}
        {step === review && (
          <>
            <h2 class="care-step-title" tabIndex={-1} ref={heading}>{t('care.entry.review')}</h2>
            <p class="care-hint">{t('care.entry.review.hint')}</p>
            <dl class="care-review">
              <div>
                <dt>{t('care.entry.respondent')}</dt>
                <dd>{who.name} · {who.birth_year} · {dongName(Number(who.dong_id))}<br />{who.address}{who.phone ? ` · ${who.phone}` : ''}</dd>
                <dd class="care-review-edit"><button type="button" class="krds-btn text medium" onClick={() => go(0)}>{t('care.edit')}<span class="sr-only"> ({t('care.entry.respondent')})</span></button></dd>
              </div>
              {qs.map((q, i) => (
                <div key={q.code}>
                  <dt>{qText(q)}</dt>
                  <dd>{reviewAnswer(q, answers[q.code])}</dd>
                  <dd class="care-review-edit"><button type="button" class="krds-btn text medium" onClick={() => go(i + 1)}>{t('care.edit')}<span class="sr-only"> ({qText(q)})</span></button></dd>
                </div>
              ))}
            </dl>
          </>
        )}
        <div class="care-entry-actions">
          <button type="submit" class="krds-btn primary xlarge" disabled={busy} aria-busy={busy ? 'true' : undefined}>
            {busy ? t('form.submitting') : step === review ? t('care.entry.save') : step === n ? t('care.entry.toReview') : t('care.entry.next')}
          </button>
          {step > 0 && <button type="button" class="krds-btn secondary xlarge" onClick={() => go(step - 1)}>{t('care.entry.prev')}</button>}
        </div>
      </form>
    </div>
  );
}

function reviewAnswer(q: SurveyQuestion, v: unknown): string {
  if (v === undefined || v === '') return t('care.answer.none');
  if (q.type === 'bool') return v ? t('care.yes') : t('care.no');
  if (q.type === 'choice') { const o = q.options.find((x) => x.code === v); return o ? (isKo() ? o.label_ko : o.label_en) : String(v); }
  return String(v);
}

function SurveyErrorSummary({ errors, onGo }: { errors: FormError[]; onGo: (field: string) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => { if (errors.length && ref.current) ref.current.focus(); }, [errors]);
  if (!errors.length) return null;
  return (
    <div class="error-summary" ref={ref} tabIndex={-1} role="alert" aria-labelledby="survey-error-title">
      <h2 class="error-summary-title" id="survey-error-title">{t('form.errorSummary')}</h2>
      <ul class="error-summary-list">
        {errors.map((e, i) => (
          <li key={i}>
            {e.field ? <a href={`#survey-${e.field}`} onClick={(ev) => { ev.preventDefault(); onGo(e.field!); }}>{e.message}</a> : <span>{e.message}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

function QuestionStep({ q, value, error, onChange, heading }: {
  q: SurveyQuestion; value: unknown; error?: string; onChange: (v: unknown) => void; heading: { current: HTMLHeadingElement | null };
}) {
  const id = `survey-answers.${q.code}`;
  const title = <>{qText(q)}{!q.required && <span class="label-optional"> ({t('form.optional')})</span>}</>;
  if (q.type === 'choice' || q.type === 'bool') {
    const opts = q.type === 'bool'
      ? [{ value: 'true', label: t('care.yes') }, { value: 'false', label: t('care.no') }]
      : q.options.map((o) => ({ value: o.code, label: isKo() ? o.label_ko : o.label_en }));
    const cur = q.type === 'bool' ? (value === true ? 'true' : value === false ? 'false' : undefined) : (value as string | undefined);
    return (
      <fieldset class="form-fieldset care-fieldset">
        <legend class="care-legend-big"><h2 class="care-step-title" tabIndex={-1} ref={heading}>{title}</h2></legend>
        {error && <p class="form-hint-invalid" id={`${id}-error`}>{error}</p>}
        <BigRadios id={id} name={id} options={opts} value={cur} error={error}
          onChange={(v) => onChange(q.type === 'bool' ? v === 'true' : v)} />
      </fieldset>
    );
  }
  return (
    <>
      <h2 class="care-step-title" tabIndex={-1} ref={heading}><label for={id}>{title}</label></h2>
      {q.type === 'number' && <p class="form-hint field-hint care-hint" id={`${id}-hint`}>{t('care.entry.number.hint')}</p>}
      {error && <p class="form-hint-invalid" id={`${id}-error`}>{error}</p>}
      <div class={`form-conts${error ? ' is-error' : ''}`}>
        {q.type === 'number' ? (
          <input id={id} class="krds-input care-number" inputMode="numeric" autoComplete="off" value={value === undefined ? '' : String(value)}
            aria-describedby={[`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ')} aria-invalid={error ? 'true' : undefined}
            onInput={(e) => onChange((e.target as HTMLInputElement).value)} />
        ) : (
          <textarea id={id} class="krds-input textarea" rows={5} maxLength={1000} value={value === undefined ? '' : String(value)}
            aria-describedby={error ? `${id}-error` : undefined} aria-invalid={error ? 'true' : undefined}
            onInput={(e) => onChange((e.target as HTMLTextAreaElement).value)} />
        )}
      </div>
    </>
  );
}

// ================================================================================================
// 게이트키퍼 명부 (/staff/gatekeepers)
// ================================================================================================
export function GatekeepersPage() {
  return (
    <StaffFrame title={t('care.gk.title')} lead={t('care.gk.lead')} path="/staff/gatekeepers"
      allowed={(me) => hasRole(me, ...OFFICIAL_ROLES)} noAccess={t('care.gk.noAccess')}>
      {() => <GatekeepersBody />}
    </StaffFrame>
  );
}

function GatekeepersBody() {
  const search = useSearch();
  const page = Math.max(1, Number(search.get('page')) || 1);
  const [data, setData] = useState<GatekeeperPage | null>(null);
  const [vocab, setVocab] = useState<Code[]>([]);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [forbidden, setForbidden] = useState(false);
  const [status, setStatus] = useState('');
  const [tick, setTick] = useState(0);
  const [editing, setEditing] = useState<Gatekeeper | 'new' | null>(null);
  useEffect(() => {
    api<OutreachVocabulary>('GET', '/api/v1/outreach/vocabulary').then((v) => setVocab(v.occupations || [])).catch(() => setVocab([]));
  }, []);
  useEffect(() => {
    api<GatekeeperPage>('GET', `/api/v1/outreach/gatekeepers${page > 1 ? `?page=${page}` : ''}`)
      .then((r) => { setData(r); setErrors([]); })
      .catch((e) => { if (isForbidden(e)) setForbidden(true); else { setData({ items: [], total: 0, page: 1, page_size: 50 }); setErrors(careErrors(e, [])); } });
  }, [page, tick]);
  if (forbidden) return <NoAccess text={t('care.gk.noAccess')} />;
  const occ = (c: string) => { const o = vocab.find((x) => x.code === c); return o ? (isKo() ? o.ko : o.en) : c; };
  const pages = data ? Math.max(1, Math.ceil(data.total / Math.max(1, data.page_size))) : 1;
  return (
    <div class="care-page">
      <Status text={status} />
      <ErrorSummary errors={errors} idPrefix="care-gk" />
      {editing ? (
        <GatekeeperForm key={editing === 'new' ? 'new' : editing.id} gk={editing === 'new' ? null : editing} vocab={vocab}
          onCancel={() => setEditing(null)}
          onSaved={(m) => { setEditing(null); setStatus(m); setTick((n) => n + 1); }} />
      ) : (
        <div class="button-row care-top-actions">
          <button type="button" class="krds-btn primary large" onClick={() => { setStatus(''); setEditing('new'); }}>{t('care.gk.add')}</button>
        </div>
      )}
      <section class="care-section" aria-labelledby="care-gk-list-title">
        <h2 id="care-gk-list-title" class="section-title">{t('care.gk.list')}</h2>
        <p class="care-logged">{t('care.gk.logged')}</p>
        {!data ? <Loading /> : data.items.length === 0 ? <Empty>{t('care.gk.empty')}</Empty> : (
          <>
            <p class="care-count" data-field="gk-count">{t('care.gk.count', { n: data.total })}</p>
            <div class="krds-table-wrap care-table-wrap">
              <table class="tbl data care-table care-gk-table">
                <caption class="sr-only">{t('care.gk.list')}</caption>
                <thead><tr>
                  <th scope="col">{t('care.field.name')}</th><th scope="col">{t('care.field.kind')}</th>
                  <th scope="col">{t('care.field.organization')}</th><th scope="col">{t('care.field.dong_id')}</th>
                  <th scope="col">{t('care.field.training_date')}</th><th scope="col">{t('care.field.agreement_date')}</th>
                  <th scope="col">{t('care.gk.state')}</th><th scope="col">{t('care.gk.manage')}</th>
                </tr></thead>
                <tbody>
                  {data.items.map((g) => (
                    <tr key={g.id} data-id={g.id} class={g.active ? '' : 'is-inactive'}>
                      <th scope="row" data-label={t('care.field.name')}>
                        <span>{g.name}{g.phone && <span class="care-cell-sub">{formatPhone(g.phone)}</span>}</span>
                      </th>
                      <td data-label={t('care.field.kind')}><span>{tc(`care.gk.kind.${g.kind}`)}<span class="care-cell-sub">{occ(g.occupation)}</span></span></td>
                      <td data-label={t('care.field.organization')}>{g.organization}</td>
                      <td data-label={t('care.field.dong_id')}>{g.dong_id ? dongName(g.dong_id) : t('care.gk.districtWide')}</td>
                      <td data-label={t('care.field.training_date')}>{g.training_date || <span class="care-muted">{t('care.gk.none')}</span>}</td>
                      <td data-label={t('care.field.agreement_date')}>{g.agreement_date || <span class="care-muted">{t('care.gk.none')}</span>}</td>
                      <td data-label={t('care.gk.state')}>
                        <span class={`care-badge ${g.active ? 'is-done' : ''}`}>{g.active ? t('care.gk.active') : t('care.gk.inactive')}</span>
                      </td>
                      <td data-label={t('care.gk.manage')}>
                        <button type="button" class="krds-btn secondary medium" onClick={() => { setStatus(''); setEditing(g); }}>
                          {t('care.edit')}<span class="sr-only"> ({g.name})</span>
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={page} pages={pages} label={t('care.gk.pages')} href={(p) => `/staff/gatekeepers${p > 1 ? `?page=${p}` : ''}`} />
          </>
        )}
      </section>
    </div>
  );
}

interface GkDraft {
  kind: string; occupation: string; organization: string; name: string; phone: string; dong_id: string;
  training_date: string; agreement_date: string; account_id: string; active: boolean;
}
const GK_FIELDS = ['kind', 'occupation', 'organization', 'name', 'phone', 'dong_id', 'training_date', 'agreement_date', 'account_id', 'active'];

function GatekeeperForm({ gk, vocab, onCancel, onSaved }: {
  gk: Gatekeeper | null; vocab: Code[]; onCancel: () => void; onSaved: (m: string) => void;
}) {
  const s = useAppState();
  const reach = reachOf(s.me, OFFICIAL_ROLES);
  const dongs = reachDongs(s.me, reach);
  const init: GkDraft = {
    kind: gk?.kind || '', occupation: gk?.occupation || '', organization: gk?.organization || '', name: gk?.name || '',
    phone: gk?.phone ? formatPhone(gk.phone) : '', dong_id: gk?.dong_id ? String(gk.dong_id) : (reach.district ? '' : String(dongs[0]?.id ?? '')),
    training_date: gk?.training_date || '', agreement_date: gk?.agreement_date || '', account_id: gk?.account_id ? String(gk.account_id) : '',
    active: gk ? gk.active : true,
  };
  const [d, setD] = useState<GkDraft>(init);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [counts, setCounts] = useState<Gatekeeper['reports'] | null>(null);
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => { title.current?.focus(); }, []);
  useEffect(() => {
    if (!gk) return;
    api<Gatekeeper>('GET', `/api/v1/outreach/gatekeepers/${gk.id}`).then((g) => setCounts(g.reports || null)).catch(() => setCounts(null));
  }, [gk?.id]);
  const set = (k: keyof GkDraft) => (e: Event) => setD({ ...d, [k]: (e.target as HTMLInputElement).value });
  async function submit(e: Event) {
    e.preventDefault();
    const errs: FormError[] = [];
    if (!d.kind) errs.push({ field: 'kind', message: t('care.code.required.kind') });
    if (!d.occupation) errs.push({ field: 'occupation', message: t('care.code.required.occupation') });
    if (!d.organization.trim()) errs.push({ field: 'organization', message: t('care.code.required.organization') });
    if (!d.name.trim()) errs.push({ field: 'name', message: t('care.code.required.gkname') });
    if (!gk && d.account_id.trim() && !/^\d+$/.test(d.account_id.trim())) errs.push({ field: 'account_id', message: t('care.code.invalid.account_id') });
    if (errs.length) { setErrors(errs); return; }
    const body: Record<string, unknown> = {
      kind: d.kind, occupation: d.occupation, organization: d.organization.trim(), name: d.name.trim(),
      training_date: d.training_date, agreement_date: d.agreement_date,
    };
    if (d.phone.trim() || gk?.phone) body.phone = d.phone.trim();
    if (d.dong_id) body.dong_id = Number(d.dong_id);
    else if (gk?.dong_id) body.dong_id = null;
    if (gk) body.active = d.active;
    else if (d.account_id.trim()) body.account_id = Number(d.account_id.trim());
    if (!gk) { if (!body.training_date) delete body.training_date; if (!body.agreement_date) delete body.agreement_date; }
    setBusy(true);
    try {
      const r = gk ? await api<Gatekeeper>('PATCH', `/api/v1/outreach/gatekeepers/${gk.id}`, body)
        : await api<Gatekeeper>('POST', '/api/v1/outreach/gatekeepers', body);
      onSaved(t(gk ? 'care.gk.updated' : 'care.gk.created', { name: r.name }));
    } catch (err) {
      setErrors(careErrors(err, GK_FIELDS));
    } finally { setBusy(false); }
  }
  return (
    <section class="panel care-gk-form" aria-labelledby="care-gk-form-title">
      <h2 id="care-gk-form-title" class="panel-title" tabIndex={-1} ref={title}>{gk ? t('care.gk.editTitle', { name: gk.name }) : t('care.gk.addTitle')}</h2>
      {counts && (
        <p class="care-muted" data-field="gk-reports">{t('care.gk.reports', { r: counts.received, u: counts.under_review, c: counts.closed })}</p>
      )}
      <ErrorSummary errors={errors} idPrefix="care-gkf" />
      <form class="care-form" noValidate onSubmit={submit}>
        <Fieldset id="care-gkf-kind" legend={t('care.field.kind')} error={errorFor(errors, 'kind')}>
          <BigRadios id="care-gkf-kind" name="care-gkf-kind" value={d.kind || undefined} error={errorFor(errors, 'kind')}
            onChange={(v) => setD({ ...d, kind: v })}
            options={GATEKEEPER_KINDS.map((k) => ({ value: k, label: tc(`care.gk.kind.${k}`), desc: tc(`care.gk.kind.${k}.desc`) }))} />
        </Fieldset>
        <div class="care-grid-2">
          <Field id="care-gkf-name" label={t('care.field.name')} error={errorFor(errors, 'name')}>
            {(a) => <input class="krds-input" autoComplete="off" maxLength={50} value={d.name} {...a} onInput={set('name')} />}
          </Field>
          <Field id="care-gkf-phone" label={t('care.field.phone')} hint={t('care.gk.phone.hint')} error={errorFor(errors, 'phone')} required={false}>
            {(a) => <input class="krds-input" type="tel" inputMode="tel" autoComplete="off" maxLength={30} value={d.phone} {...a} onInput={set('phone')} />}
          </Field>
          <Field id="care-gkf-occupation" label={t('care.field.occupation')} error={errorFor(errors, 'occupation')}>
            {(a) => (
              <select class="krds-form-select" value={d.occupation} {...a} onChange={set('occupation')}>
                <option value="">{t('form.choose')}</option>
                {vocab.map((o) => <option key={o.code} value={o.code}>{isKo() ? o.ko : o.en}</option>)}
              </select>
            )}
          </Field>
          <Field id="care-gkf-organization" label={t('care.field.organization')} hint={t('care.gk.org.hint')} error={errorFor(errors, 'organization')}>
            {(a) => <input class="krds-input" autoComplete="off" maxLength={100} value={d.organization} {...a} onInput={set('organization')} />}
          </Field>
          <Field id="care-gkf-dong_id" label={t('care.field.dong_id')} hint={t('care.gk.dong.hint')} error={errorFor(errors, 'dong_id')}>
            {(a) => (
              <select class="krds-form-select" value={d.dong_id} {...a} onChange={set('dong_id')}>
                {reach.district && <option value="">{t('care.gk.districtWide')}</option>}
                {dongs.map((g) => <option key={g.id} value={String(g.id)}>{isKo() ? g.name_ko : g.name_en}</option>)}
              </select>
            )}
          </Field>
          {!gk && (
            <Field id="care-gkf-account_id" label={t('care.field.account_id')} hint={t('care.gk.account.hint')} error={errorFor(errors, 'account_id')} required={false}>
              {(a) => <input class="krds-input care-short" inputMode="numeric" autoComplete="off" value={d.account_id} {...a} onInput={set('account_id')} />}
            </Field>
          )}
          <Field id="care-gkf-training_date" label={t('care.field.training_date')} hint={t('care.gk.training.hint')} error={errorFor(errors, 'training_date')} required={false}>
            {(a) => <input class="krds-input" type="date" value={d.training_date} {...a} onInput={set('training_date')} />}
          </Field>
          <Field id="care-gkf-agreement_date" label={t('care.field.agreement_date')} hint={t('care.gk.agreement.hint')} error={errorFor(errors, 'agreement_date')} required={false}>
            {(a) => <input class="krds-input" type="date" value={d.agreement_date} {...a} onInput={set('agreement_date')} />}
          </Field>
        </div>
        {gk && (
          <div class="krds-form-check medium care-check">
            <input type="checkbox" id="care-gkf-active" checked={d.active} onChange={(e) => setD({ ...d, active: (e.target as HTMLInputElement).checked })} />
            <label for="care-gkf-active">{t('care.gk.activeLabel')}</label>
          </div>
        )}
        <div class="button-row">
          <button type="submit" class="krds-btn primary large" disabled={busy} aria-busy={busy ? 'true' : undefined}>
            {busy ? t('form.submitting') : gk ? t('care.gk.saveEdit') : t('care.gk.saveNew')}
          </button>
          <button type="button" class="krds-btn secondary large" onClick={onCancel}>{t('care.cancel')}</button>
        </div>
      </form>
    </section>
  );
}
