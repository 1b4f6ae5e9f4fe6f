// Online application pages (src/applications, docs/applications.md): a form the service defines
// (fields, documents, consents), a draft saved on the server and resumed, submission with a receipt
// number, 마이페이지's "나의 신청" with each status, the hand-over page of national programs applied
// for on their own portal, and the staff queue (open with a reason, review, ask for documents,
// decide with a written reason, apply on an offline resident's behalf).
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, Submission, request, type FieldError } from '../../api';
import { ErrorSummary, type FormError } from '../../forms';
import { Loading, Page } from '../../page';
import { Link, navigate, useSearch } from '../../router';
import { loadMyDong } from '../../service-apply';
import { useAppState } from '../../store';
import type { Feature } from '../index';
import { at, atMaybe, when, type AKey } from './texts';
import './applications.css';

interface Field { code: string; type: string; label_ko: string; label_en: string; help_ko: string; required: boolean; max: number; min?: number; choices: string[] }
interface Doc { code: string; label_ko: string; label_en: string; required: boolean }
interface Consent { code: string; purpose_ko: string; items_ko: string; retention_ko: string; basis: string; required: boolean }
export interface Form {
  code: string; title_ko: string; summary_ko: string; provider: { kind: string; name_ko: string }; service_names: string[];
  program_codes: string[]; fields: Field[]; documents: Doc[]; consents: Consent[]; source: string;
}
interface FileRow { id: number; document_code: string; content_type: string; size: number; uploaded_at: number }
interface App {
  id: number; receipt_no: string | null; form: string; form_title: string; dong_id: number; status: string; decision: string | null;
  decision_reason: string | null; request_note: string | null; answers: Record<string, unknown>; consents: Record<string, boolean>;
  on_behalf: boolean; documents: FileRow[]; history: { at: number; status: string; note: string }[]; submitted_at: number | null;
}
type Answers = Record<string, string | number | boolean>;

const ID = 'apply';
const STATUSES = ['received', 'under_review', 'more_documents', 'decided'];

function statusText(a: { status: string; decision?: string | null }): string {
  if (a.status === 'decided' && a.decision) return `${at('decided')} · ${at(a.decision as AKey)}`;
  return at(a.status as AKey);
}

function StatusBadge({ a }: { a: { status: string; decision?: string | null } }) {
  const tone = a.status === 'decided' ? (a.decision === 'approved' ? 'success' : 'danger') : a.status === 'more_documents' ? 'warning' : 'info';
  return <span class={`krds-badge app-badge app-badge-${tone}`}>{statusText(a)}</span>;
}

// Server field errors → messages next to the fields, worded in Korean with the form's own labels.
function toErrors(e: unknown, form: Form | null): FormError[] {
  if (!(e instanceof ApiError)) return [{ field: null, message: at('error') }];
  const list: FieldError[] = e.problem.errors || [];
  if (!list.length) return [{ field: null, message: e.problem.detail || e.problem.title || at('error') }];
  return list.map((fe) => {
    const [kind, code] = fe.field.split('.');
    const label = kind === 'answers' ? form?.fields.find((f) => f.code === code)?.label_ko
      : kind === 'documents' ? form?.documents.find((d) => d.code === code)?.label_ko
        : kind === 'consents' ? at('consents') : fe.field === 'dong_id' ? at('dong') : fe.field === 'file' ? at('documents')
          : fe.field === 'reason' ? at('reason') : fe.field === 'decision' ? at('decision') : fe.field === 'note' ? at('requestNote') : undefined;
    const msg = atMaybe(`code.${fe.code}`) || fe.message;
    return { field: fe.field, message: label ? `${label}: ${msg}` : msg };
  });
}

function useLoad<T>(path: string | null, opts: { reason?: string } = {}): [T | null, unknown, () => void] {
  const [data, setData] = useState<T | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    if (!path) return;
    request<T>('GET', path, opts.reason ? { reason: opts.reason } : {}).then((d) => { setData(d); setErr(null); }, setErr);
  }, [path, n, opts.reason]);
  return [data, err, () => setN((x) => x + 1)];
}

// KRDS check markup: the input, then its label.
function Check({ id, type, name, checked, disabled, onChange, label }: { id: string; type: 'radio' | 'checkbox'; name?: string; checked: boolean; disabled?: boolean; onChange: (v: boolean) => void; label: string }) {
  return (
    <div class="krds-form-check">
      <input type={type} name={name} id={id} checked={checked} disabled={disabled} onChange={(e) => onChange((e.target as HTMLInputElement).checked)} />
      <label for={id}>{label}</label>
    </div>
  );
}

function FieldInput({ f, value, onChange, disabled, error }: { f: Field; value: unknown; onChange: (v: string | number | boolean | null) => void; disabled: boolean; error?: string }) {
  const id = `${ID}-answers.${f.code}`;
  const hint = f.help_ko ? `${id}-hint` : undefined;
  const label = <>{f.label_ko} <span class="app-req">({f.required ? at('required') : at('optional')})</span></>;
  if (f.type === 'choice' || f.type === 'yes_no') {
    const options = f.type === 'yes_no' ? [[true, at('yes')], [false, at('no')]] as [boolean, string][] : f.choices.map((c) => [c, c] as [string, string]);
    return (
      <fieldset class={`form-group app-field${error ? ' has-error' : ''}`}>
        <legend class="fieldset-legend">{f.label_ko} ({f.required ? at('required') : at('optional')})</legend>
        <p class="fieldset-title app-legend" aria-hidden="true">{label}</p>
        {error && <p class="form-error-text">{error}</p>}
        <div class="krds-check-area app-choices">
          {options.map(([v, text], i) => (
            <Check key={String(v)} type="radio" name={id} id={i === 0 ? id : `${id}-${i}`} checked={value === v} disabled={disabled} onChange={() => onChange(v)} label={text} />
          ))}
        </div>
      </fieldset>
    );
  }
  const common = {
    id, class: 'krds-input', disabled, 'aria-describedby': hint, 'aria-invalid': error ? true : undefined,
  };
  return (
    <div class={`form-group app-field${error ? ' has-error' : ''}`}>
      <label class="form-tit" for={id}>{label}</label>
      {f.help_ko && <p class="form-hint" id={hint}>{f.help_ko}</p>}
      {error && <p class="form-error-text">{error}</p>}
      {f.type === 'textarea'
        ? <textarea {...common} rows={4} maxLength={f.max} value={String(value ?? '')} onInput={(e) => onChange((e.target as HTMLTextAreaElement).value)} />
        : f.type === 'number'
          ? <input {...common} inputMode="numeric" value={value === undefined || value === null ? '' : String(value)}
              onInput={(e) => { const s = (e.target as HTMLInputElement).value.trim(); onChange(s === '' ? null : /^-?\d+$/.test(s) ? Number(s) : s); }} />
          : <input {...common} type="text" inputMode={f.type === 'phone' ? 'tel' : undefined} placeholder={f.type === 'date' ? 'YYYY-MM-DD' : undefined}
              maxLength={f.type === 'text' ? f.max : undefined} value={String(value ?? '')} onInput={(e) => onChange((e.target as HTMLInputElement).value)} />}
    </div>
  );
}

function ConsentBox({ c, checked, onChange, disabled, error }: { c: Consent; checked: boolean; onChange: (v: boolean) => void; disabled: boolean; error?: string }) {
  const id = `${ID}-consents.${c.code}`;
  return (
    <div class={`app-consent${error ? ' has-error' : ''}`}>
      <dl class="info-list">
        <div><dt>{at('purpose')}</dt><dd>{c.purpose_ko}</dd></div>
        <div><dt>{at('items')}</dt><dd>{c.items_ko}</dd></div>
        <div><dt>{at('retention')}</dt><dd>{c.retention_ko}</dd></div>
        <div><dt>{at('basis')}</dt><dd class="app-basis">{c.basis}</dd></div>
      </dl>
      {error && <p class="form-error-text">{error}</p>}
      <div class="krds-check-area">
        <Check type="checkbox" id={id} checked={checked} disabled={disabled} onChange={onChange} label={`${at('agree')} (${c.required ? at('required') : at('optional')})`} />
      </div>
    </div>
  );
}

function ApplyPage({ code }: { code: string }) {
  const s = useAppState();
  const search = useSearch();
  const byId = search.get('id');
  const [form, formErr] = useLoad<Form>(`/api/v1/applications/forms/${encodeURIComponent(code)}`);
  const [app, setApp] = useState<App | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [answers, setAnswers] = useState<Answers>({});
  const [consents, setConsents] = useState<Record<string, boolean>>({});
  const [dong, setDong] = useState(loadMyDong());
  const [errors, setErrors] = useState<FormError[]>([]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const submission = useRef(new Submission());
  const signedIn = s.session === 'user';

  useEffect(() => {
    if (!signedIn) return;
    const take = (a: App | undefined) => {
      if (a) {
        setApp(a);
        setAnswers(a.answers as Answers);
        setConsents(a.consents || {});
        setDong(String(a.dong_id));
      }
      setLoaded(true);
    };
    if (byId) request<App>('GET', `/api/v1/applications/${encodeURIComponent(byId)}`).then(take, () => take(undefined));
    else request<{ items: App[] }>('GET', '/api/v1/applications/mine')
      .then((r) => take(r.items.find((a) => a.form === code && (a.status === 'draft' || a.status === 'more_documents'))), () => take(undefined));
  }, [signedIn, code, byId]);

  if (formErr) return <Page title={at('apply')}><p>{at('noForm')}</p></Page>;
  if (!form) return <Page title={at('apply')}><Loading /></Page>;
  const crumbs = [{ href: '/me/applications', label: at('mine') }, { label: form.title_ko }];
  if (!signedIn) {
    return (
      <Page title={form.title_ko} lead={form.summary_ko} crumbs={crumbs}>
        <p>{at('loginFirst')}</p>
        <p><Link href={`/login?next=${encodeURIComponent(`/apply/${code}`)}`} class="krds-btn primary large">{at('login')}</Link></p>
      </Page>
    );
  }
  if (!loaded) return <Page title={form.title_ko}><Loading /></Page>;

  const editable = !app || app.status === 'draft';
  const canUpload = !app || app.status === 'draft' || app.status === 'more_documents';
  const errOf = (field: string) => errors.find((e) => e.field === field)?.message;
  const dongs = (s.districts || []).flatMap((d) => d.dongs);
  const body = () => ({ answers: Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== null && v !== '')), consents });

  async function ensureDraft(): Promise<App> {
    if (app && app.status !== 'draft') return app;
    const b = body();
    const r = app
      ? await request<App>('PUT', `/api/v1/applications/${app.id}`, { body: { ...b, dong_id: Number(dong) || undefined } })
      : await request<App>('POST', '/api/v1/applications', { body: { form: code, dong_id: Number(dong) || 0, ...b } });
    setApp(r);
    return r;
  }
  async function save(e?: Event) {
    e?.preventDefault();
    setBusy(true);
    try { await ensureDraft(); setErrors([]); setNote(at('saved')); } catch (x) { setErrors(toErrors(x, form)); setNote(''); }
    setBusy(false);
  }
  async function uploadFile(d: Doc, input: HTMLInputElement) {
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true);
    try {
      const a = await ensureDraft();
      await request('POST', `/api/v1/applications/${a.id}/documents/${encodeURIComponent(d.code)}`, { raw: { text: file, type: file.type || 'application/octet-stream' } });
      setApp(await request<App>('GET', `/api/v1/applications/${a.id}`));
      setErrors([]);
      input.value = '';
    } catch (x) {
      setErrors(toErrors(x, form).map((fe) => (fe.field === 'file' ? { ...fe, field: `documents.${d.code}` } : fe)));
    }
    setBusy(false);
  }
  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    try {
      const a = await ensureDraft();
      const r = await request<App>('POST', `/api/v1/applications/${a.id}/submit`, { body: {}, idempotencyKey: submission.current.keyFor({ id: a.id, status: a.status }) });
      submission.current.done();
      setApp(r);
      setErrors([]);
      setNote('');
    } catch (x) { setErrors(toErrors(x, form)); }
    setBusy(false);
  }

  if (app && app.receipt_no && (app.status === 'received' || app.status === 'under_review' || app.status === 'decided')) {
    return (
      <Page title={form.title_ko} crumbs={crumbs}>
        <div class="panel app-done" role="status">
          <h2 class="panel-title">{at('submitted')}</h2>
          <p class="app-receipt">{at('receipt')}: <strong>{app.receipt_no}</strong></p>
          <p>{at('status')}: <StatusBadge a={app} /></p>
          <p><Link href="/me/applications" class="krds-btn primary large btn-block-mobile">{at('mine')}</Link></p>
        </div>
      </Page>
    );
  }

  return (
    <Page title={form.title_ko} lead={form.summary_ko} crumbs={crumbs}>
      <p class="muted">{at('provider')}: {form.provider.name_ko} · {at('applyLead')}</p>
      <ErrorSummary errors={errors} idPrefix={ID} />
      {app?.status === 'more_documents' && (
        <div class="notice-box app-request" role="note">
          <p><strong>{at('requestNote')}:</strong> {app.request_note}</p>
          <p>{at('readOnly')}</p>
        </div>
      )}
      <form noValidate onSubmit={submit} class="app-form">
        <div class={`form-group${errOf('dong_id') ? ' has-error' : ''}`}>
          <label class="form-tit" for={`${ID}-dong_id`}>{at('dong')} <span class="app-req">({at('required')})</span></label>
          <p class="form-hint">{at('dongHint')}</p>
          {errOf('dong_id') && <p class="form-error-text">{errOf('dong_id')}</p>}
          <select id={`${ID}-dong_id`} class="krds-input app-select" value={dong} disabled={!editable} onChange={(e) => setDong((e.target as HTMLSelectElement).value)}>
            <option value="">{at('choose')}</option>
            {dongs.map((g) => <option key={g.id} value={String(g.id)}>{g.name_ko}</option>)}
          </select>
        </div>
        {form.fields.map((f) => (
          <FieldInput key={f.code} f={f} value={answers[f.code]} disabled={!editable} error={errOf(`answers.${f.code}`)}
            onChange={(v) => setAnswers({ ...answers, [f.code]: v as string })} />
        ))}
        {form.documents.length > 0 && (
          <section class="app-section" aria-labelledby="app-docs">
            <h2 class="section-title" id="app-docs">{at('documents')}</h2>
            <p class="form-hint">{at('fileHint')}</p>
            {form.documents.map((d) => {
              const have = (app?.documents || []).filter((x) => x.document_code === d.code);
              const id = `${ID}-documents.${d.code}`;
              return (
                <div key={d.code} class={`form-group app-doc${errOf(`documents.${d.code}`) ? ' has-error' : ''}`}>
                  <label class="form-tit" for={id}>{d.label_ko} <span class="app-req">({d.required ? at('required') : at('optional')})</span></label>
                  {errOf(`documents.${d.code}`) && <p class="form-error-text">{errOf(`documents.${d.code}`)}</p>}
                  {have.length > 0 && <p class="app-uploaded">{at('uploaded')}: {have.map((x) => `${x.content_type.split('/')[1].toUpperCase()} ${Math.ceil(x.size / 1024)}KB`).join(', ')}</p>}
                  <input type="file" id={id} class="app-file" accept="application/pdf,image/jpeg,image/png" disabled={!canUpload || busy}
                    onChange={(e) => uploadFile(d, e.target as HTMLInputElement)} />
                </div>
              );
            })}
          </section>
        )}
        <section class="app-section" aria-labelledby="app-consents">
          <h2 class="section-title" id="app-consents">{at('consents')}</h2>
          {form.consents.map((c) => (
            <ConsentBox key={c.code} c={c} checked={!!consents[c.code]} disabled={!editable} error={errOf(`consents.${c.code}`)}
              onChange={(v) => setConsents({ ...consents, [c.code]: v })} />
          ))}
        </section>
        <p class="muted app-source">{at('source')}: {form.source}</p>
        {note && <p role="status" class="app-note">{note}</p>}
        <div class="button-row">
          {editable && <button type="button" class="krds-btn secondary large btn-block-mobile" disabled={busy} onClick={() => save()}>{at('save')}</button>}
          <button type="submit" class="krds-btn primary large btn-block-mobile" disabled={busy}>{app?.status === 'more_documents' ? at('resubmit') : at('submit')}</button>
        </div>
      </form>
    </Page>
  );
}

function History({ a }: { a: App }) {
  return (
    <ol class="app-history">
      {a.history.map((h, i) => <li key={i}><span class="app-when">{when(h.at)}</span> {at(h.status as AKey)}{h.note ? ` — ${h.note}` : ''}</li>)}
    </ol>
  );
}

function MyApplicationsPage() {
  const s = useAppState();
  const [data, err] = useLoad<{ items: App[] }>(s.session === 'user' ? '/api/v1/applications/mine' : null);
  if (s.session !== 'user') return <Page title={at('mine')}><p><Link href="/login?next=/me/applications" class="krds-btn primary large">{at('loginFirst')}</Link></p></Page>;
  return (
    <Page title={at('mine')} lead={at('mineLead')} crumbs={[{ href: '/me', label: '마이페이지' }, { label: at('mine') }]}>
      {err ? <div class="notice-box" role="alert"><p>{at('error')}</p></div> : null}
      {!data && !err && <Loading />}
      {data && (data.items.length === 0 ? <p>{at('none')}</p> : (
        <ul class="card-list app-list">
          {data.items.map((a) => (
            <li key={a.id} class="panel">
              <h2 class="panel-title">{a.form_title}</h2>
              <p><StatusBadge a={a} />{a.receipt_no && <span class="app-receipt-inline"> {at('receipt')} {a.receipt_no}</span>}</p>
              {a.status === 'more_documents' && a.request_note && <p class="app-request-note"><strong>{at('requestNote')}:</strong> {a.request_note}</p>}
              {a.status === 'decided' && <p><strong>{at('reason')}:</strong> {a.decision_reason}</p>}
              <details class="app-details"><summary>{at('history')}</summary><History a={a} /></details>
              {(a.status === 'draft' || a.status === 'more_documents') && (
                <p><Link href={`/apply/${a.form}?id=${a.id}`} class="krds-btn primary">{a.status === 'draft' ? at('continue') : at('addDocs')}</Link></p>
              )}
            </li>
          ))}
        </ul>
      ))}
    </Page>
  );
}

// A link block for 마이페이지.
export function MyApplicationsPanel() {
  return (
    <section class="panel" aria-labelledby="me-applications">
      <h2 id="me-applications" class="panel-title">{at('mine')}</h2>
      <p>{at('mineLead')}</p>
      <div class="button-row"><Link href="/me/applications" class="krds-btn secondary">{at('mine')}</Link></div>
    </section>
  );
}

// For the service page: the forms that apply for a service (by its exact name or program code).
// A national program with a hand-over page gets a link to it (its checklist), never a form here.
export interface ServiceApply { forms: Form[]; handover: string | null }
let formsCache: Promise<{ items: Form[]; handover_programs: string[] }> | null = null;
export function applyFor(name: string, program: string | null | undefined): Promise<ServiceApply> {
  formsCache ||= request<{ items: Form[]; handover_programs: string[] }>('GET', '/api/v1/applications/forms')
    .catch(() => { formsCache = null; return { items: [], handover_programs: [] }; });
  return formsCache.then((r) => ({
    forms: r.items.filter((f) => f.service_names.includes(name) || (!!program && f.program_codes.includes(program))),
    handover: program && r.handover_programs.includes(program) ? program : null,
  }));
}

// The service page's "온라인 신청" way: the district's or partner's form, or the hand-over checklist.
export function OnlineApplyWay({ apply }: { apply: ServiceApply }) {
  if (!apply.forms.length && !apply.handover) return null;
  return (
    <li class="apply-way apply-way-online-form">
      <h3 class="apply-way-title">{at('apply')}</h3>
      <ul class="apply-links">
        {apply.forms.map((f) => <li key={f.code}><Link class="text-link" href={`/apply/${f.code}`}>{at('apply')}: {f.title_ko}</Link></li>)}
        {apply.handover && <li><Link class="text-link" href={`/apply/handover/${apply.handover}`}>{at('handover')} ({at('checklist')})</Link></li>}
      </ul>
    </li>
  );
}

interface Handover { program_code: string; name_ko: string; portal: { name: string; url: string }; checklist: string[]; legal_basis: string; source: string }
interface SavedSim { id: number | string; created_at: number | string; household: { members?: unknown[] } | null; summary: { program: string; status: string; monthly_amount?: number }[] }

function HandoverPage({ program }: { program: string }) {
  const s = useAppState();
  const [h, err] = useLoad<Handover>(`/api/v1/applications/handover/${encodeURIComponent(program)}`);
  const [sims] = useLoad<{ items: SavedSim[] }>(s.session === 'user' ? '/api/v1/me/simulations' : null);
  if (err) return <Page title={at('handover')}><p>{at('noForm')}</p></Page>;
  if (!h) return <Page title={at('handover')}><Loading /></Page>;
  const latest = sims?.items?.find((x) => x.summary.some((p) => p.program === program));
  const mine = latest?.summary.find((p) => p.program === program);
  return (
    <Page title={`${h.name_ko} ${at('handover')}`} lead={at('handoverLead')} crumbs={[{ href: '/services', label: '복지서비스' }, { label: h.name_ko }]}>
      <section class="panel" aria-labelledby="ho-list">
        <h2 class="panel-title" id="ho-list">{at('checklist')}</h2>
        <ul class="app-checklist">{h.checklist.map((c) => <li key={c}>{c}</li>)}</ul>
        <p class="muted app-source">{at('basis')}: {h.legal_basis}<br />{at('source')}: {h.source}</p>
      </section>
      <section class="panel" aria-labelledby="ho-mine">
        <h2 class="panel-title" id="ho-mine">{at('myCheck')}</h2>
        <p class="app-private">{at('myCheckNote')}</p>
        {s.session !== 'user' ? <p><Link href={`/login?next=${encodeURIComponent(`/apply/handover/${program}`)}`} class="text-link">{at('loginFirst')}</Link></p>
          : !mine ? <p>{at('noCheck')} <Link href={`/eligibility?program=${encodeURIComponent(program)}`} class="text-link">복지 모의계산</Link></p> : (
            <dl class="info-list">
              <div><dt>{at('checkStatus')}</dt><dd>{at(mine.status as AKey)}</dd></div>
              {typeof mine.monthly_amount === 'number' && <div><dt>{at('estimate')}</dt><dd>{mine.monthly_amount.toLocaleString('ko-KR')}원</dd></div>}
              {latest?.household?.members && <div><dt>{at('household')}</dt><dd>{latest.household.members.length}명</dd></div>}
            </dl>
          )}
      </section>
      <p><a class="krds-btn primary large btn-block-mobile" href={h.portal.url} target="_blank" rel="noopener noreferrer">{at('goPortal', { site: h.portal.name })}<span class="sr-only"> {at('newWindow')}</span></a></p>
    </Page>
  );
}

// ---- staff ----

interface QueueRow { id: number; receipt_no: string; form_title: string; dong_id: number; status: string; decision: string | null; on_behalf: boolean; submitted_at: number }

function dongName(s: ReturnType<typeof useAppState>, id: number): string {
  return (s.districts || []).flatMap((d) => d.dongs).find((g) => Number(g.id) === id)?.name_ko || String(id);
}

function StaffQueuePage() {
  const s = useAppState();
  const [status, setStatus] = useState('received');
  const [data, err] = useLoad<{ items: QueueRow[] }>(s.session === 'user' ? `/api/v1/staff/applications${status ? `?status=${status}` : ''}` : null);
  return (
    <Page title={at('staffQueue')} lead={at('staffLead')} wide>
      <div class="form-group">
        <label class="form-tit" for="queue-status">{at('status')}</label>
        <select id="queue-status" class="krds-input app-select" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
          <option value="">{at('all')}</option>
          {STATUSES.map((x) => <option key={x} value={x}>{at(x as AKey)}</option>)}
        </select>
      </div>
      <p><Link href="/staff/applications/new" class="krds-btn secondary">{at('onBehalf')}</Link></p>
      {err ? <div class="notice-box" role="alert"><p>{err instanceof ApiError && err.status === 403 ? '권한이 없습니다.' : at('error')}</p></div> : null}
      {!data && !err && <Loading />}
      {data && (data.items.length === 0 ? <p>{at('none')}</p> : (
        <ul class="card-list app-list">
          {data.items.map((a) => (
            <li key={a.id} class="panel">
              <h2 class="panel-title"><Link href={`/staff/applications/${a.id}`}>{a.receipt_no} · {a.form_title}</Link></h2>
              <p><StatusBadge a={a} /> {dongName(s, a.dong_id)} · {at('submittedAt')} {when(a.submitted_at)}{a.on_behalf ? ` · ${at('onBehalfBadge')}` : ''}</p>
            </li>
          ))}
        </ul>
      ))}
    </Page>
  );
}

interface StaffApp extends App {
  applicant_name: string; resident: { name: string; phone: string } | null;
  consent_record: { method: string; at: number; details: { given_by: string; note: string } } | null; form_definition: Form;
}

function StaffApplicationPage({ id }: { id: string }) {
  const s = useAppState();
  const [reason, setReason] = useState('');
  const [given, setGiven] = useState<string | undefined>(undefined);
  const [a, err, reload] = useLoad<StaffApp>(given ? `/api/v1/staff/applications/${encodeURIComponent(id)}` : null, { reason: given });
  const [note, setNote] = useState('');
  const [decision, setDecision] = useState('');
  const [errors, setErrors] = useState<FormError[]>([]);
  const [msg, setMsg] = useState('');
  const submission = useRef(new Submission());
  if (!given || (err && !a)) {
    return (
      <Page title={at('openRecord')} crumbs={[{ href: '/staff/applications', label: at('staffQueue') }, { label: at('openRecord') }]}>
        {err ? <ErrorSummary errors={toErrors(err, null)} idPrefix="open" /> : null}
        <form class="panel" noValidate onSubmit={(e) => { e.preventDefault(); setGiven(reason.trim()); }}>
          <label class="form-tit" for="open-reason">{at('viewReason')}</label>
          <p class="form-hint">{at('viewReasonHint')}</p>
          <input id="open-reason" class="krds-input" value={reason} maxLength={200} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
          <div class="button-row"><button type="submit" class="krds-btn primary large btn-block-mobile">{at('openRecord')}</button></div>
        </form>
      </Page>
    );
  }
  if (!a) return <Page title={at('openRecord')}><Loading /></Page>;
  const f = a.form_definition;
  async function act(path: string, body: object) {
    try {
      await request('POST', `/api/v1/staff/applications/${a!.id}/${path}`, { body, idempotencyKey: submission.current.keyFor({ path, body }) });
      submission.current.done();
      setErrors([]); setNote(''); setMsg(at('done')); reload();
    } catch (x) { setErrors(toErrors(x, f).map((fe) => (fe.field === 'reason' ? { ...fe, field: 'note' } : fe))); }
  }
  async function download(file: FileRow) {
    const res = await fetch(`/api/v1/applications/${a!.id}/files/${file.id}`, { credentials: 'same-origin', headers: { 'X-Access-Reason': Array.from(new TextEncoder().encode(given!), (b) => String.fromCharCode(b)).join('') } });
    if (!res.ok) { setErrors([{ field: null, message: at('error') }]); return; }
    const url = URL.createObjectURL(await res.blob());
    const link = document.createElement('a');
    link.href = url; link.download = `${a!.receipt_no || a!.id}-${file.document_code}.${file.content_type.split('/')[1]}`; link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
  const answerText = (fd: Field) => {
    const v = a.answers[fd.code];
    return v === undefined || v === null || v === '' ? '-' : typeof v === 'boolean' ? (v ? at('yes') : at('no')) : String(v);
  };
  return (
    <Page title={`${a.receipt_no || ''} ${a.form_title}`} wide crumbs={[{ href: '/staff/applications', label: at('staffQueue') }, { label: a.receipt_no || String(a.id) }]}>
      <p><StatusBadge a={a} /> {dongName(s, a.dong_id)}</p>
      <ErrorSummary errors={errors} idPrefix="staff" />
      {msg && <p role="status">{msg}</p>}
      <section class="panel" aria-labelledby="sa-answers">
        <h2 class="panel-title" id="sa-answers">{at('answers')}</h2>
        <dl class="info-list">
          {a.applicant_name && <div><dt>{at('applicant')}</dt><dd>{a.applicant_name}</dd></div>}
          {f.fields.map((fd) => <div key={fd.code}><dt>{fd.label_ko}</dt><dd class="app-answer">{answerText(fd)}</dd></div>)}
        </dl>
      </section>
      {a.consent_record && (
        <section class="panel" aria-labelledby="sa-consent">
          <h2 class="panel-title" id="sa-consent">{at('consentRecord')}</h2>
          <dl class="info-list">
            <div><dt>{at('residentName')}</dt><dd>{a.resident?.name}</dd></div>
            <div><dt>{at('consentMethod')}</dt><dd>{at(a.consent_record.method as AKey)}</dd></div>
            <div><dt>{at('consentAt')}</dt><dd>{when(a.consent_record.at)}</dd></div>
            <div><dt>{at('consentBy')}</dt><dd>{a.consent_record.details.given_by}</dd></div>
          </dl>
        </section>
      )}
      <section class="panel" aria-labelledby="sa-docs">
        <h2 class="panel-title" id="sa-docs">{at('documents')}</h2>
        {a.documents.length === 0 ? <p>-</p> : (
          <ul class="app-files">
            {a.documents.map((d) => (
              <li key={d.id}>{f.documents.find((x) => x.code === d.document_code)?.label_ko || d.document_code} ({Math.ceil(d.size / 1024)}KB)
                {' '}<button type="button" class="krds-btn tertiary small" onClick={() => download(d)}>{at('download')}</button></li>
            ))}
          </ul>
        )}
      </section>
      <section class="panel" aria-labelledby="sa-history">
        <h2 class="panel-title" id="sa-history">{at('history')}</h2>
        <History a={a} />
      </section>
      {a.status !== 'decided' && (
        <section class="panel" aria-labelledby="sa-act">
          <h2 class="panel-title" id="sa-act">{at('decide')}</h2>
          <p class="form-hint">{at('decideHint')}</p>
          {a.status === 'received' && <div class="button-row"><button type="button" class="krds-btn secondary" onClick={() => act('review', {})}>{at('review')}</button></div>}
          <label class="form-tit" for="staff-note">{at('askNote')} / {at('decideNote')}</label>
          <textarea id="staff-note" class="krds-input" rows={3} maxLength={2000} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
          {a.status !== 'more_documents' && <div class="button-row"><button type="button" class="krds-btn secondary" onClick={() => act('request-documents', { note })}>{at('askDocs')}</button></div>}
          <fieldset class="form-group">
            <legend class="fieldset-legend">{at('decision')}</legend>
            <p class="fieldset-title app-legend" aria-hidden="true">{at('decision')}</p>
            <div class="krds-check-area app-choices">
              {['approved', 'rejected'].map((d) => (
                <Check key={d} type="radio" name="decision" id={d === 'approved' ? 'staff-decision' : 'staff-decision-rejected'} checked={decision === d} onChange={() => setDecision(d)} label={at(d as AKey)} />
              ))}
            </div>
          </fieldset>
          <div class="button-row"><button type="button" class="krds-btn primary" onClick={() => act('decide', { decision, reason: note })}>{at('decide')}</button></div>
        </section>
      )}
    </Page>
  );
}

function OnBehalfPage() {
  const s = useAppState();
  const [forms] = useLoad<{ items: Form[]; on_behalf: { text_ko: string; basis: string; verified: boolean } }>('/api/v1/applications/forms');
  const [v, setV] = useState({ form: '', dong: '', name: '', phone: '', method: '', at: '', given_by: '', note: '' });
  const [errors, setErrors] = useState<FormError[]>([]);
  const submission = useRef(new Submission());
  const dongs = (s.districts || []).flatMap((d) => d.dongs);
  const set = (k: keyof typeof v) => (e: Event) => setV({ ...v, [k]: (e.target as HTMLInputElement).value });
  async function create(e: Event) {
    e.preventDefault();
    const body = {
      form: v.form, dong_id: Number(v.dong) || 0, resident: { name: v.name, phone: v.phone || undefined },
      consent: { method: v.method, at: v.at ? Math.floor(new Date(v.at).getTime() / 1000) : undefined, given_by: v.given_by, note: v.note || undefined },
    };
    try {
      const r = await request<App>('POST', '/api/v1/staff/applications', { body, idempotencyKey: submission.current.keyFor(body) });
      submission.current.done();
      navigate(`/apply/${r.form}?id=${r.id}`);
    } catch (x) { setErrors(toErrors(x, null).map((fe) => ({ ...fe, field: fe.field ? fe.field.replace('dong_id', 'dong') : null }))); }
  }
  const fid = (k: string) => `ob-${k}`;
  return (
    <Page title={at('onBehalf')} lead={at('onBehalfLead')} crumbs={[{ href: '/staff/applications', label: at('staffQueue') }, { label: at('onBehalf') }]}>
      {forms?.on_behalf && <div class="notice-box"><p>{forms.on_behalf.text_ko}</p><p class="app-basis">{at('basis')}: {forms.on_behalf.basis}{forms.on_behalf.verified ? '' : ' (조문 원문 대조 필요)'}</p></div>}
      <ErrorSummary errors={errors} idPrefix="ob" />
      <form class="panel" noValidate onSubmit={create}>
        <label class="form-tit" for={fid('form')}>{at('form')}</label>
        <select id={fid('form')} class="krds-input app-select" value={v.form} onChange={set('form')}>
          <option value="">{at('choose')}</option>
          {(forms?.items || []).map((f) => <option key={f.code} value={f.code}>{f.title_ko}</option>)}
        </select>
        <label class="form-tit" for={fid('dong')}>{at('dong')}</label>
        <select id={fid('dong')} class="krds-input app-select" value={v.dong} onChange={set('dong')}>
          <option value="">{at('choose')}</option>
          {dongs.map((g) => <option key={g.id} value={String(g.id)}>{g.name_ko}</option>)}
        </select>
        <label class="form-tit" for={fid('resident.name')}>{at('residentName')}</label>
        <input id={fid('resident.name')} class="krds-input" value={v.name} maxLength={50} onInput={set('name')} />
        <label class="form-tit" for={fid('resident.phone')}>{at('residentPhone')}</label>
        <input id={fid('resident.phone')} class="krds-input" inputMode="tel" value={v.phone} maxLength={20} onInput={set('phone')} />
        <fieldset class="form-group">
          <legend class="fieldset-legend">{at('consentMethod')}</legend>
          <p class="fieldset-title app-legend" aria-hidden="true">{at('consentMethod')}</p>
          <div class="krds-check-area app-choices">
            {['written', 'phone', 'visit'].map((m, i) => (
              <Check key={m} type="radio" name="ob-method" id={i === 0 ? fid('consent.method') : fid(`consent.method-${m}`)} checked={v.method === m} onChange={() => setV({ ...v, method: m })} label={at(m as AKey)} />
            ))}
          </div>
        </fieldset>
        <label class="form-tit" for={fid('consent.at')}>{at('consentAt')}</label>
        <input id={fid('consent.at')} class="krds-input" type="datetime-local" value={v.at} onInput={set('at')} />
        <label class="form-tit" for={fid('consent.given_by')}>{at('consentBy')}</label>
        <input id={fid('consent.given_by')} class="krds-input" value={v.given_by} maxLength={50} onInput={set('given_by')} />
        <label class="form-tit" for={fid('consent.note')}>{at('consentNote')}</label>
        <input id={fid('consent.note')} class="krds-input" value={v.note} maxLength={500} onInput={set('note')} />
        <div class="button-row"><button type="submit" class="krds-btn primary large btn-block-mobile">{at('create')}</button></div>
      </form>
    </Page>
  );
}

export const applications: Feature = {
  name: 'applications',
  routes: {
    '/me/applications': MyApplicationsPage,
    '/staff/applications': StaffQueuePage,
    '/staff/applications/new': OnBehalfPage,
  },
  match: (path) => {
    let m = /^\/apply\/handover\/([a-z0-9_]+)$/.exec(path);
    if (m) return <HandoverPage program={m[1]} />;
    m = /^\/apply\/([a-z0-9-]+)$/.exec(path);
    if (m) return <ApplyPage code={m[1]} />;
    m = /^\/staff\/applications\/(\d+)$/.exec(path);
    if (m) return <StaffApplicationPage id={m[1]} />;
    return null;
  },
};


