// 위기이웃 제보 (/report): the public, mobile-first form to report a household that may be in
// crisis (anonymous or logged in), and 내 제보 (/me/reports): a reporter's own reports with their
// status and nothing about the household. API: docs/outreach.md.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, request, Submission, type Body } from '../api';
import { isoTime, sentAt } from '../alerts';
import { ErrorSummary, errorFor, Field, fieldErrorMessage, problemToErrors, SubmitButton, TextField, type FormError } from '../forms';
import { Loading, Page } from '../page';
import { Link } from '../router';
import { Pager } from '../components/pager';
import { getState, placeName, t, tKey, useAppState, type District } from '../store';
import type { Key } from '../i18n';
import '../styles/report.css';

// ---- the API ----------------------------------------------------------------------------------
interface Code { code: string; ko: string; en: string }
interface UrgencyRule extends Code { contact_within_hours: number }
interface Vocabulary { urgencies: UrgencyRule[]; signs: Code[] }
interface Receipt { receipt_no: string; status: string; received_at: string | null; message?: string }
interface OwnReport {
  receipt_no: string; received_at: string | null; channel: string; urgency: string; status: string; dong_id: number | null;
}
interface OwnReports { items: OwnReport[]; total: number; page: number; page_size: number }

type Urgency = 'urgent' | 'high' | 'normal';
const URGENCIES: Urgency[] = ['urgent', 'high', 'normal'];
// Used when the vocabulary cannot be loaded; the server's table is deadline_rules() in triage.cpp.
const FALLBACK_HOURS: Record<Urgency, number> = { urgent: 24, high: 72, normal: 168 };

let vocabulary: Promise<Vocabulary> | null = null;
function loadVocabulary(): Promise<Vocabulary> {
  if (!vocabulary) {
    vocabulary = api<Vocabulary>('GET', '/api/v1/outreach/vocabulary');
    vocabulary.catch(() => { vocabulary = null; });
  }
  return vocabulary;
}

const ID = 'report';
const FIELDS = ['district_id', 'dong_id', 'address', 'place', 'signs', 'concern', 'urgency', 'subject_name', 'subject_phone', 'contact', 'contact_consent'];
const CONCERN_MAX = 2000;

// "24시간", "3일" / "24 hours", "3 days".
function within(hours: number): string {
  return hours > 24 && hours % 24 === 0 ? t('report.days', { n: hours / 24 }) : t('report.hours', { n: hours });
}

function codeLabel(c: Code): string {
  return getState().lang === 'ko' ? c.ko : c.en;
}

function receivedAt(iso: string | null): { text: string; iso: string } {
  const ms = iso ? Date.parse(iso) : NaN;
  if (isNaN(ms)) return { text: '', iso: '' };
  return { text: sentAt(ms / 1000), iso: isoTime(ms / 1000) };
}

// Server errors in this form's words: per field, then per code, else the shared messages.
function reportErrors(e: unknown): FormError[] {
  if (e instanceof ApiError && e.status === 429) {
    const minutes = Math.max(1, Math.ceil((e.retryAfter || 600) / 60));
    return [{ field: null, message: t('report.err.throttled', { minutes }) }];
  }
  if (e instanceof ApiError && e.problem.errors?.length) {
    return e.problem.errors.map((fe) => {
      // This form words some fields whatever the code (report.err.{field}); otherwise the one translation.
      const message = tKey(`report.err.${fe.field}.${fe.code}`) ?? tKey(`report.err.${fe.field}`) ?? fieldErrorMessage(fe);
      return { field: FIELDS.includes(fe.field) ? fe.field : null, message };
    });
  }
  return problemToErrors(e, FIELDS);
}

// ---- 위기이웃 제보 ----------------------------------------------------------------------------------
interface Form {
  district: string; dong: string; address: string; place: string; signs: string[]; concern: string;
  urgency: Urgency | ''; subjectName: string; subjectPhone: string; contactName: string; contactPhone: string; consent: boolean;
}
const EMPTY: Form = {
  district: '', dong: '', address: '', place: '', signs: [], concern: '', urgency: '',
  subjectName: '', subjectPhone: '', contactName: '', contactPhone: '', consent: false,
};

export function ReportPage() {
  const s = useAppState();
  const [vocab, setVocab] = useState<Vocabulary | null>(null);
  const [vocabFailed, setVocabFailed] = useState(false);
  const [form, setForm] = useState<Form>(EMPTY);
  const submission = useRef(new Submission());
  const [errors, setErrors] = useState<FormError[]>([]);
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<{ r: Receipt; hours: number; user: boolean } | null>(null);

  useEffect(() => {
    loadVocabulary().then(setVocab).catch(() => setVocabFailed(true));
  }, []);

  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const hours = (u: Urgency) => vocab?.urgencies.find((x) => x.code === u)?.contact_within_hours ?? FALLBACK_HOURS[u];

  // The district the report is about: the one chosen, the member's own, or the only one.
  const districts: District[] = s.districts || [];
  const own = s.me?.district_id != null ? districts.find((d) => String(d.id) === String(s.me!.district_id)) : undefined;
  const district = form.district ? districts.find((d) => String(d.id) === form.district)
    : districts.length === 1 ? districts[0] : own;
  const districtValue = district ? String(district.id) : '';

  async function submit(e: Event) {
    e.preventDefault();
    const contact = [form.contactName.trim(), form.contactPhone.trim()].filter(Boolean).join(' ');
    const missing: FormError[] = [];
    if (!form.address.trim() && !form.place.trim()) missing.push({ field: 'address', message: t('report.err.address.address_or_place') });
    if (!form.concern.trim()) missing.push({ field: 'concern', message: t('report.err.concern.required') });
    if (contact && !form.consent) missing.push({ field: 'contact_consent', message: t('report.err.contact_consent') });
    if (missing.length) { setErrors(missing); return; }
    const body: Body<'postOutreachReports'> = { concern: form.concern.trim() };
    if (district) body.district_id = Number(district.id);
    if (form.dong && district) body.dong_id = Number(form.dong);
    if (form.address.trim()) body.address = form.address.trim();
    if (form.place.trim()) body.place = form.place.trim();
    if (form.urgency) body.urgency = form.urgency;
    if (form.signs.length) body.signs = form.signs;
    if (form.subjectName.trim()) body.subject_name = form.subjectName.trim();
    if (form.subjectPhone.trim()) body.subject_phone = form.subjectPhone.trim();
    if (contact) body.contact = contact;
    setBusy(true);
    try {
      // Sent again after a lost answer, the same report keeps its key: filed once, same receipt.
      const r = await request<Receipt>('POST', '/api/v1/outreach/reports', { body, idempotencyKey: submission.current.keyFor(body) });
      submission.current.done();
      setErrors([]);
      setReceipt({ r, hours: hours(form.urgency || 'normal'), user: getState().session === 'user' });
      setForm(EMPTY);
    } catch (err) {
      setErrors(reportErrors(err));
    } finally {
      setBusy(false);
    }
  }

  if (receipt) {
    return (
      <Page title={t('report.title')}>
        <ReceiptView receipt={receipt.r} hours={receipt.hours} user={receipt.user}
          onAgain={() => { setReceipt(null); setErrors([]); window.scrollTo(0, 0); }} />
      </Page>
    );
  }

  const err = (f: string) => errorFor(errors, f);
  const input = (value: string, on: (v: string) => void, extra: Record<string, unknown> = {}) => ({
    type: 'text', value, onInput: (e: Event) => on((e.target as HTMLInputElement).value), ...extra,
  });
  const signsError = err('signs');
  const urgencyError = err('urgency');
  const consentError = err('contact_consent');
  const contactGiven = !!(form.contactName.trim() || form.contactPhone.trim());

  return (
    <Page title={t('report.title')} lead={t('report.lead')}>
      <ErrorSummary errors={errors} idPrefix={ID} />
      <section class="report-emergency" aria-labelledby="report-emergency-title">
        <h2 class="report-emergency-title" id="report-emergency-title">{t('report.emergency.title')}</h2>
        <p>{t('report.emergency.text')}</p>
        <div class="report-calls">
          <a class="report-call" href="tel:112"><span class="report-call-no">112</span>{' '}<span>{t('report.emergency.call112')}</span></a>
          <a class="report-call" href="tel:119"><span class="report-call-no">119</span>{' '}<span>{t('report.emergency.call119')}</span></a>
        </div>
        <p class="report-emergency-more">{t('report.emergency.109')}</p>
      </section>

      <section class="report-promise" aria-labelledby="report-promise-title">
        <h2 class="report-promise-title" id="report-promise-title">{t('report.promise.title')}</h2>
        <ul class="report-promise-list">
          <li>{t('report.promise.anonymous')}</li>
          <li><strong>{t('report.promise.secret')}</strong></li>
          <li>{t('report.promise.partial')}</li>
          <li>{t('report.promise.private')}</li>
        </ul>
      </section>

      {s.session === 'user' && s.me ? (
        <div class="notice-box report-who" data-field="report-who">
          <p>{t('report.user.note', { name: s.me.name })}</p>
          <div class="button-row"><Link href="/me/reports" class="krds-btn tertiary medium">{t('report.user.mine')}</Link></div>
        </div>
      ) : s.session === 'anon' ? (
        <div class="notice-box report-who" data-field="report-who">
          <p>{t('report.anon.note')}</p>
          <div class="button-row"><Link href="/login?next=%2Freport" class="krds-btn tertiary medium">{t('report.anon.login')}</Link></div>
        </div>
      ) : null}

      {vocabFailed && <p class="notice-box notice-warning report-vocab-failed" role="status">{t('report.vocab.failed')}</p>}

      <form class="krds-form report-form" noValidate onSubmit={submit}>
        <section class="report-section" aria-labelledby="report-where-title">
          <h2 class="report-section-title" id="report-where-title">{t('report.where.title')}</h2>
          <p class="report-section-hint">{t('report.where.hint')}</p>
          <TextField id={`${ID}-address`} label={t('report.address')} hint={t('report.address.hint')} error={err('address')}
            input={input(form.address, (v) => set({ address: v }), { name: 'address', autocomplete: 'off', maxLength: 200 })} />
          <TextField id={`${ID}-place`} label={t('report.place')} hint={t('report.place.hint')} error={err('place')}
            input={input(form.place, (v) => set({ place: v }), { name: 'place', autocomplete: 'off', maxLength: 200 })} />
          {districts.length > 1 && (
            <Field id={`${ID}-district_id`} label={t('report.district')} error={err('district_id')}>
              {(a) => (
                <select class={`krds-form-select${districtValue ? ' completed' : ''}`} name="district_id" value={districtValue}
                  onChange={(e) => set({ district: (e.target as HTMLSelectElement).value, dong: '' })} {...a}>
                  <option value="">{t('form.choose')}</option>
                  {districts.map((d) => <option key={d.id} value={String(d.id)}>{placeName(d)}</option>)}
                </select>
              )}
            </Field>
          )}
          {district && (
            <Field id={`${ID}-dong_id`} label={t('report.dong')} hint={t('report.dong.hint', { district: placeName(district) })}
              error={err('dong_id')} required={false}>
              {(a) => (
                <select class={`krds-form-select${form.dong ? ' completed' : ''}`} name="dong_id" value={form.dong}
                  onChange={(e) => set({ dong: (e.target as HTMLSelectElement).value })} {...a}>
                  <option value="">{t('report.dong.unknown')}</option>
                  {district.dongs.map((d) => <option key={d.id} value={String(d.id)}>{placeName(d)}</option>)}
                </select>
              )}
            </Field>
          )}
        </section>

        <section class="report-section" aria-labelledby="report-what-title">
          <h2 class="report-section-title" id="report-what-title">{t('report.what.title')}</h2>
          {vocab && vocab.signs.length > 0 && (
            <ChoiceGroup id={`${ID}-signs`} legend={t('report.signs')} hint={t('report.signs.hint')} error={signsError} optional cls="report-signs">
              {vocab.signs.map((c, i) => {
                const id = i === 0 ? `${ID}-signs` : `${ID}-sign-${c.code}`;
                return (
                  <div class="krds-form-check large elig-option report-option" key={c.code}>
                    <input type="checkbox" id={id} name="signs" value={c.code} checked={form.signs.includes(c.code)}
                      aria-invalid={signsError ? 'true' : undefined}
                      onChange={(e) => {
                        const on = (e.target as HTMLInputElement).checked;
                        setForm((f) => ({ ...f, signs: on ? [...f.signs.filter((x) => x !== c.code), c.code] : f.signs.filter((x) => x !== c.code) }));
                      }} />
                    <label for={id}>{codeLabel(c)}</label>
                  </div>
                );
              })}
            </ChoiceGroup>
          )}
          <Field id={`${ID}-concern`} label={t('report.concern')} hint={t('report.concern.hint')} error={err('concern')}>
            {(a) => (
              <>
                <textarea class="krds-input textarea report-concern" name="concern" rows={6} maxLength={CONCERN_MAX} value={form.concern}
                  onInput={(e) => set({ concern: (e.target as HTMLTextAreaElement).value })} {...a} />
                <p class="report-count" data-field="concern-count">
                  {t('report.concern.count', { n: form.concern.length.toLocaleString(), max: CONCERN_MAX.toLocaleString() })}
                </p>
              </>
            )}
          </Field>
        </section>

        <section class="report-section" aria-labelledby="report-urgency-title">
          <h2 class="report-section-title" id="report-urgency-title">{t('report.urgency.title')}</h2>
          <p class="report-urgency-emergency"><strong>{t('report.urgency.emergency')}</strong></p>
          <ChoiceGroup id={`${ID}-urgency`} legend={t('report.urgency.title')} legendHidden hint={t('report.urgency.hint')} error={urgencyError} cls="report-urgencies">
            {URGENCIES.map((u, i) => {
              const id = i === 0 ? `${ID}-urgency` : `${ID}-urgency-${u}`;
              return (
                // The whole card chooses (a larger target than the label); the radio is what the keyboard uses.
                <div class={`krds-form-check large report-urgency is-${u}`} key={u} onClick={() => set({ urgency: u })}>
                  <input type="radio" id={id} name="urgency" value={u} checked={form.urgency === u}
                    aria-invalid={urgencyError ? 'true' : undefined} aria-describedby={`${id}-desc`}
                    onChange={() => set({ urgency: u })} />
                  <label for={id}>
                    <span class="report-urgency-text">
                      <strong class="report-urgency-name">{t(`report.urgency.${u}` as Key)}</strong>
                      <span class="report-urgency-when">{t('report.urgency.within', { when: within(hours(u)) })}</span>
                    </span>
                  </label>
                  <div class="krds-form-check-cnt">
                    <p class="krds-form-check-p report-urgency-desc" id={`${id}-desc`}>{t(`report.urgency.${u}.desc` as Key)}</p>
                  </div>
                </div>
              );
            })}
          </ChoiceGroup>
        </section>

        <section class="report-section" aria-labelledby="report-subject-title">
          <h2 class="report-section-title" id="report-subject-title">
            {t('report.subject.title')}<span class="label-optional"> ({t('form.optional')})</span>
          </h2>
          <p class="report-section-hint">{t('report.subject.hint')}</p>
          <fieldset class="report-plain-fieldset">
            <legend class="sr-only">{t('report.subject.title')}</legend>
            <TextField id={`${ID}-subject_name`} label={t('report.subject_name')} error={err('subject_name')} required={false}
              input={input(form.subjectName, (v) => set({ subjectName: v }), { name: 'subject_name', autocomplete: 'off', maxLength: 50 })} />
            <TextField id={`${ID}-subject_phone`} label={t('report.subject_phone')} hint={t('report.subject_phone.hint')} error={err('subject_phone')} required={false}
              input={input(form.subjectPhone, (v) => set({ subjectPhone: v }), { type: 'tel', name: 'subject_phone', autocomplete: 'off', inputMode: 'tel', maxLength: 30 })} />
          </fieldset>
        </section>

        <section class="report-section" aria-labelledby="report-contact-title">
          <h2 class="report-section-title" id="report-contact-title">
            {t('report.contact.title')}<span class="label-optional"> ({t('form.optional')})</span>
          </h2>
          <div class="report-consent-text" id="report-contact-explain">
            <p>{t('report.contact.use')}</p>
            <p><strong>{t('report.contact.secret')}</strong></p>
            <p>{t('report.contact.keep')}</p>
          </div>
          <fieldset class="report-plain-fieldset">
            <legend class="sr-only">{t('report.contact.title')}</legend>
            <TextField id={`${ID}-contact_name`} label={t('report.contact_name')} required={false}
              input={input(form.contactName, (v) => set({ contactName: v }), { name: 'contact_name', autocomplete: 'name', maxLength: 50 })} />
            <TextField id={`${ID}-contact`} label={t('report.contact_phone')} hint={t('report.contact_phone.hint')} error={err('contact')} required={false}
              input={input(form.contactPhone, (v) => set({ contactPhone: v }), { type: 'tel', name: 'contact', autocomplete: 'tel', inputMode: 'tel', maxLength: 40 })} />
            <div class={`form-group report-consent${consentError ? ' is-error' : ''}${contactGiven ? ' is-needed' : ''}`}>
              {consentError && <p class="form-hint-invalid" id={`${ID}-contact_consent-error`}>{consentError}</p>}
              <div class="krds-form-check large elig-option report-option">
                <input type="checkbox" id={`${ID}-contact_consent`} name="contact_consent" checked={form.consent}
                  aria-invalid={consentError ? 'true' : undefined}
                  aria-describedby={`report-contact-explain${consentError ? ` ${ID}-contact_consent-error` : ''}`}
                  onChange={(e) => set({ consent: (e.target as HTMLInputElement).checked })} />
                <label for={`${ID}-contact_consent`}>{t('report.contact_consent')}</label>
              </div>
            </div>
          </fieldset>
        </section>

        <div class="form-actions report-actions">
          <p class="report-submit-note" id="report-submit-note">{t('report.submit.note')}</p>
          <SubmitButton busy={busy} label="report.submit" />
        </div>
      </form>
    </Page>
  );
}

// A group of radios or checkboxes with its legend, hint and error, in the KRDS form-group frame.
function ChoiceGroup({ id, legend, legendHidden, hint, error, optional, cls, children }: {
  id: string; legend: string; legendHidden?: boolean; hint?: string; error?: string; optional?: boolean; cls?: string; children: ComponentChildren;
}) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`form-group report-group${cls ? ' ' + cls : ''}`}>
      <fieldset class="report-fieldset" aria-describedby={describedBy}>
        <legend class={legendHidden ? 'sr-only' : 'report-legend'}>
          {legend}{optional && <span class="label-optional"> ({t('form.optional')})</span>}
        </legend>
        {hint && <p class="form-hint field-hint" id={`${id}-hint`}>{hint}</p>}
        {error && <p class="form-hint-invalid" id={`${id}-error`}>{error}</p>}
        <div class={`elig-options report-options${error ? ' is-error' : ''}`}>{children}</div>
      </fieldset>
    </div>
  );
}

function ReceiptView({ receipt, hours, user, onAgain }: { receipt: Receipt; hours: number; user: boolean; onAgain: () => void }) {
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    title.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, []);
  const at = receivedAt(receipt.received_at);
  return (
    <section class="report-receipt" aria-labelledby="report-receipt-title" data-field="receipt">
      <h2 class="report-receipt-title" id="report-receipt-title" ref={title} tabIndex={-1}>{t('report.done.title')}</h2>
      <p class="report-receipt-thanks">{t('report.done.thanks')}</p>
      <dl class="report-receipt-info">
        <div>
          <dt>{t('report.done.receipt')}</dt>
          <dd class="report-receipt-no" data-field="receipt-no">{receipt.receipt_no}</dd>
        </div>
        {at.text && (
          <div>
            <dt>{t('report.done.at')}</dt>
            <dd><time dateTime={at.iso}>{at.text}</time></dd>
          </div>
        )}
      </dl>
      <p class="report-receipt-keep">{t('report.done.keep')}</p>
      <h3 class="report-next-title">{t('report.next.title')}</h3>
      <ol class="report-steps">
        <li>{t('report.next.1')}</li>
        <li>{t('report.next.2', { when: within(hours) })}</li>
        <li>{t('report.next.3')}</li>
        <li>{t('report.next.4')}</li>
      </ol>
      <p class="report-receipt-follow">{user ? t('report.done.user') : t('report.done.anon')}</p>
      <p class="report-receipt-worse"><strong>{t('report.done.worse')}</strong></p>
      <div class="button-row report-receipt-actions">
        {user && <Link href="/me/reports" class="krds-btn primary large">{t('report.user.mine')}</Link>}
        <button type="button" class={`krds-btn ${user ? 'secondary' : 'primary'} large`} onClick={onAgain}>{t('report.done.again')}</button>
        <Link href="/" class="krds-btn tertiary large">{t('nav.home')}</Link>
      </div>
    </section>
  );
}

// "접수번호 261124-K7QD3MX" with the number kept on one line.
function ReceiptLabel({ no }: { no: string }) {
  const [pre, post] = t('myReports.receipt', { no: '\u0000' }).split('\u0000');
  return <>{pre}<span class="myreports-no">{no}</span>{post}</>;
}

// ---- 내 제보 ------------------------------------------------------------------------------------
export function MyReportsPage() {
  const s = useAppState();
  const title = t('myReports.title');
  const crumbs = [{ href: '/me', label: t('nav.me') }, { label: title }];
  if (s.session === 'unknown') return <Page title={title} crumbs={crumbs}><Loading /></Page>;
  if (s.session === 'anon' || !s.me) {
    return (
      <Page title={title} crumbs={crumbs}>
        <div class="notice-box" role="status"><p>{t('myReports.needLogin')}</p></div>
        <div class="button-row">
          <Link href={`/login?next=${encodeURIComponent('/me/reports')}`} class="krds-btn primary large">{t('nav.login')}</Link>
          <Link href="/signup" class="krds-btn secondary large">{t('nav.signup')}</Link>
        </div>
      </Page>
    );
  }
  return (
    <Page title={title} lead={t('myReports.lead')} crumbs={crumbs}>
      <MyReportsBody />
    </Page>
  );
}

function MyReportsBody() {
  const s = useAppState();
  const [page, setPage] = useState(() => {
    const p = Number(new URLSearchParams(location.search).get('page'));
    return Number.isInteger(p) && p > 0 ? p : 1;
  });
  const [list, setList] = useState<OwnReports | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const listTitle = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);

  useEffect(() => {
    let live = true;
    api<OwnReports>('GET', `/api/v1/outreach/my-reports?page=${page}`).then((r) => {
      if (!live) return;
      setList(r);
      setErrors([]);
      if (moved.current) listTitle.current?.focus();
    }).catch((e) => { if (live) { setList({ items: [], total: 0, page, page_size: 20 }); setErrors(problemToErrors(e, [])); } });
    return () => { live = false; };
  }, [page]);

  const dongName = (id: number | null) => {
    if (id == null) return t('myReports.dong.none');
    for (const d of s.districts || []) {
      const g = d.dongs.find((x) => String(x.id) === String(id));
      if (g) return placeName(g);
    }
    return t('myReports.dong.none');
  };

  if (!list) return <Loading />;
  const pages = Math.max(1, Math.ceil(list.total / (list.page_size || 20)));
  return (
    <>
      <p class="notice-box myreports-privacy">{t('myReports.privacy')}</p>
      <ErrorSummary errors={errors} idPrefix="myreports" />
      <section class="myreports" aria-labelledby="myreports-list-title">
        <h2 class="section-title myreports-title" id="myreports-list-title" ref={listTitle} tabIndex={-1}>{t('myReports.list')}</h2>
        {!errors.length && list.total === 0 ? (
          <div class="empty-state myreports-empty">
            <p class="empty-title">{t('myReports.empty')}</p>
            <p>{t('myReports.empty.text')}</p>
            <div class="button-row"><Link href="/report" class="krds-btn primary large">{t('myReports.new')}</Link></div>
          </div>
        ) : (
          <>
            <p class="myreports-total" data-field="myreports-total">{t('myReports.total', { n: list.total })}</p>
            <ul class="myreports-list">
              {list.items.map((r) => {
                const at = receivedAt(r.received_at);
                const status = ['received', 'under_review', 'closed'].includes(r.status) ? r.status : 'received';
                const urgency = (URGENCIES as string[]).includes(r.urgency) ? r.urgency : 'normal';
                return (
                  <li class={`myreports-item is-${status}`} key={r.receipt_no} data-receipt={r.receipt_no}>
                    <h3 class="myreports-receipt"><ReceiptLabel no={r.receipt_no} /></h3>
                    <p class="myreports-status">
                      <span class="sr-only">{t('myReports.status')}: </span>
                      <span class={`myreports-badge is-${status}`} data-field="status">{t(`myReports.status.${status}` as Key)}</span>
                      <span class="myreports-status-desc">{t(`myReports.status.${status}.desc` as Key)}</span>
                    </p>
                    <dl class="myreports-info">
                      <div><dt>{t('myReports.date')}</dt><dd>{at.text ? <time dateTime={at.iso}>{at.text}</time> : '—'}</dd></div>
                      <div><dt>{t('myReports.urgency')}</dt><dd>{t(`report.urgency.${urgency}` as Key)}</dd></div>
                      <div><dt>{t('myReports.dong')}</dt><dd>{dongName(r.dong_id)}</dd></div>
                      <div><dt>{t('myReports.channel')}</dt><dd>{tKey(`myReports.channel.${r.channel}`) ?? r.channel}</dd></div>
                    </dl>
                  </li>
                );
              })}
            </ul>
            <Pager page={page} pages={pages} label={t('myReports.pages')} href={(p) => `/me/reports?page=${p}`}
              onGo={(p) => { moved.current = true; setPage(p); }} />
            <p class="myreports-anon">{t('myReports.anonNote')}</p>
            <div class="button-row"><Link href="/report" class="krds-btn secondary large">{t('myReports.new')}</Link></div>
          </>
        )}
      </section>
    </>
  );
}
