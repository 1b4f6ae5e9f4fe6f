// Residents' rights (docs/privacy.md): 내 정보 열람·정정·삭제 (/me/privacy) — what the district
// holds, requests with their 10-day deadline, retention, account deletion — and the staff queue
// of requests (/staff/privacy, district_admin).
import { useEffect, useState } from 'preact/hooks';
import { api, logout } from '../api';
import { sentAt } from '../alerts';
import { ErrorSummary, errorFor, problemToErrors, type FormError } from '../forms';
import { Loading, Page } from '../page';
import { Link, navigate } from '../router';
import { getState, roleName, t, useAppState } from '../store';
import type { Key } from '../i18n';
import { MemberFrame } from './alerts';
import '../i18n-staff';
import '../i18n-care';

interface Law { deletable: boolean | null; deletion_ko: string; basis_ko: string }
interface Req {
  id: number; kind: string; record: string; status: string; received_at: number; due_date: string; overdue: boolean;
  details?: string; decision_reason?: string | null; law: Law; account?: { name: string | null; phone: string | null; email: string | null };
}
interface Kind { kind: string; label_ko: string; label_en: string; days: number | null; basis_ko: string; basis_en: string }
interface View {
  account: { name: string; email: string | null; phone: string | null; created_at: number };
  eligibility_profile: { updated_at: number } | null;
  simulations: unknown[]; screening_results: unknown[]; inbox: unknown[]; reports: unknown[];
  alert_settings: { email: boolean; sms: boolean } | null;
  consents: { kind: string; granted: boolean }[];
  linked_persons: { id: number; name: string; birth_date: string | null; address: string | null }[];
  access_log: { at: number; actor_role: string | null; actor_scope: string | null; reason: string; record?: string }[];
  requests: Req[]; retention: Kind[];
}

const KINDS = ['access', 'correction', 'deletion', 'suspension'];
const ko = () => getState().lang === 'ko';
const label = (k: Kind) => (ko() ? k.label_ko : k.label_en);

export function MyPrivacyPage() {
  return <MemberFrame title={t('privacy.title')} lead={t('privacy.lead')} path="/me/privacy">{() => <MyPrivacy />}</MemberFrame>;
}

function MyPrivacy() {
  const [v, setV] = useState<View | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const load = () => api<View>('GET', '/api/v1/me/privacy').then(setV).catch((e) => setErrors(problemToErrors(e, [])));
  useEffect(() => { load(); }, []);
  if (!v) return errors.length ? <ErrorSummary errors={errors} idPrefix="pv" /> : <Loading />;
  const n = (x: unknown[]) => t('privacy.count', { n: x.length });
  return (
    <>
      <section class="panel" aria-labelledby="pv-held">
        <h2 id="pv-held" class="panel-title">{t('privacy.held')}</h2>
        <dl class="info-list" data-field="held">
          <div><dt>{t('privacy.account')}</dt><dd>{[v.account.name, v.account.email, v.account.phone].filter(Boolean).join(' · ')}</dd></div>
          <div><dt>{t('privacy.created')}</dt><dd>{sentAt(v.account.created_at)}</dd></div>
          <div><dt>{t('privacy.profile')}</dt><dd>{v.eligibility_profile ? t('privacy.profile.yes', { date: sentAt(v.eligibility_profile.updated_at) }) : t('privacy.profile.no')}</dd></div>
          <div><dt>{t('privacy.sims')}</dt><dd>{n(v.simulations)}</dd></div>
          <div><dt>{t('privacy.results')}</dt><dd>{n(v.screening_results)}</dd></div>
          <div><dt>{t('privacy.inbox')}</dt><dd>{n(v.inbox)}</dd></div>
          <div><dt>{t('privacy.reports')}</dt><dd>{n(v.reports)}</dd></div>
          <div>
            <dt>{t('privacy.consents')}</dt>
            <dd><ul class="pv-list">{v.consents.map((c) => (
              <li key={c.kind}>{t(`privacy.consent.${c.kind}` as Key)}: {c.granted ? t('privacy.consent.on') : t('privacy.consent.off')}</li>
            ))}</ul></dd>
          </div>
        </dl>
        <h3 class="section-title">{t('privacy.persons')}</h3>
        {v.linked_persons.length ? (
          <ul class="pv-list" data-field="persons">
            {v.linked_persons.map((p) => <li key={p.id}>{[p.name, p.birth_date, p.address].filter(Boolean).join(' · ')}</li>)}
          </ul>
        ) : <p class="muted">{t('privacy.persons.none')}</p>}
        <h3 class="section-title">{t('privacy.reads')}</h3>
        {v.access_log.length ? (
          <ul class="pv-list" data-field="reads">
            {v.access_log.map((a, i) => (
              <li key={i}>{t('privacy.reads.row', { when: sentAt(a.at), role: [a.actor_role ? roleName(a.actor_role) : '', a.actor_scope].filter(Boolean).join(' '), reason: a.reason })}{a.record && a.record !== 'person' ? ` · ${t(`privacy.reads.record.${a.record === 'case' ? 'case' : 'household'}` as Key)}` : ''}</li>
            ))}
          </ul>
        ) : <p class="muted">{t('privacy.reads.none')}</p>}
      </section>
      <RequestForm kinds={v.retention} onSent={load} />
      <section class="panel" aria-labelledby="pv-mine">
        <h2 id="pv-mine" class="panel-title">{t('privacy.mine')}</h2>
        {v.requests.length ? (
          <ul class="pv-list" data-field="requests">
            {v.requests.map((r) => (
              <li key={r.id} class="pv-request">
                <strong>{t(`privacy.kind.${r.kind}` as Key)}</strong> · {recordLabel(v.retention, r.record)} · {t(`privacy.status.${r.status}` as Key)}
                <br /><span class="muted">{t('privacy.due')}: {r.due_date}</span>
                {r.decision_reason && <p>{t('privacy.reason')}: {r.decision_reason}</p>}
              </li>
            ))}
          </ul>
        ) : <p class="muted">{t('privacy.mine.none')}</p>}
      </section>
      <section class="panel" aria-labelledby="pv-retention">
        <h2 id="pv-retention" class="panel-title">{t('privacy.retention')}</h2>
        <dl class="info-list">
          {v.retention.map((k) => (
            <div key={k.kind}>
              <dt>{label(k)}</dt>
              <dd>{k.days === null ? t('privacy.days.none') : t('privacy.days', { n: k.days })}. {ko() ? k.basis_ko : k.basis_en}</dd>
            </div>
          ))}
        </dl>
      </section>
      <DeleteAccount />
    </>
  );
}

function recordLabel(kinds: Kind[], record: string) {
  const k = kinds.find((x) => x.kind === record);
  return k ? label(k) : t('privacy.record.other');
}

function RequestForm({ kinds, onSent }: { kinds: Kind[]; onSent: () => void }) {
  const [form, setForm] = useState({ kind: 'access', record: 'account', details: '' });
  const [errors, setErrors] = useState<FormError[]>([]);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setStatus('');
    try {
      const r = await api<Req>('POST', '/api/v1/me/privacy/requests', { ...form, details: form.details || undefined });
      setErrors([]);
      setStatus(t('privacy.sent', { date: r.due_date }));
      setForm({ ...form, details: '' });
      onSent();
    } catch (err) {
      setErrors(problemToErrors(err, ['kind', 'record', 'details']));
    } finally {
      setBusy(false);
    }
  };
  const detailsErr = errorFor(errors, 'details');
  return (
    <section class="panel" aria-labelledby="pv-request">
      <h2 id="pv-request" class="panel-title">{t('privacy.request')}</h2>
      <p>{t('privacy.request.hint')}</p>
      <form noValidate onSubmit={submit}>
        <ErrorSummary errors={errors} idPrefix="pv" />
        <p class={`status-message${status ? ' is-visible' : ''}`} role="status">{status}</p>
        <fieldset class="form-group">
          <legend class="form-tit">{t('privacy.kind')}</legend>
          <div class="form-conts">
            {KINDS.map((k, i) => (
              <div class="krds-form-check medium" key={k}>
                <input type="radio" name="pv-kind" id={i === 0 ? 'pv-kind' : `pv-kind-${k}`} value={k} checked={form.kind === k}
                  onChange={() => setForm({ ...form, kind: k })} />
                <label for={i === 0 ? 'pv-kind' : `pv-kind-${k}`}>{t(`privacy.kind.${k}` as Key)}</label>
              </div>
            ))}
          </div>
        </fieldset>
        <div class="form-group">
          <div class="form-tit"><label for="pv-record">{t('privacy.record')}</label></div>
          <div class="form-conts">
            <select class="krds-form-select" id="pv-record" value={form.record} aria-describedby="pv-record-law"
              onChange={(e) => setForm({ ...form, record: (e.target as HTMLSelectElement).value })}>
              {kinds.map((k) => <option key={k.kind} value={k.kind}>{label(k)}</option>)}
              <option value="other">{t('privacy.record.other')}</option>
            </select>
          </div>
          <p class="form-hint" id="pv-record-law">{(() => { const k = kinds.find((x) => x.kind === form.record); return k ? (ko() ? k.basis_ko : k.basis_en) : ''; })()}</p>
        </div>
        <div class={`form-group${detailsErr ? ' is-error' : ''}`}>
          <div class="form-tit"><label for="pv-details">{t('privacy.details')}</label></div>
          <p class="form-hint" id="pv-details-hint">{t('privacy.details.hint')}</p>
          {detailsErr && <p class="form-hint-invalid" id="pv-details-error">{detailsErr}</p>}
          <div class="form-conts">
            <textarea class="krds-input" id="pv-details" rows={4} maxLength={2000} value={form.details}
              aria-describedby={`pv-details-hint${detailsErr ? ' pv-details-error' : ''}`} aria-invalid={detailsErr ? 'true' : undefined}
              onInput={(e) => setForm({ ...form, details: (e.target as HTMLTextAreaElement).value })} />
          </div>
        </div>
        <div class="form-actions">
          <button type="submit" class="krds-btn primary large btn-block-mobile" disabled={busy}>{t('privacy.submit')}</button>
        </div>
      </form>
    </section>
  );
}

function DeleteAccount() {
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormError[]>([]);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await api('DELETE', '/api/v1/me', { password });
      await logout();
      navigate('/');
    } catch (err) {
      setErrors(problemToErrors(err, ['password']));
    }
  };
  const err = errorFor(errors, 'password');
  return (
    <section class="panel" aria-labelledby="pv-delete">
      <h2 id="pv-delete" class="panel-title">{t('privacy.delete')}</h2>
      <p>{t('privacy.delete.what')}</p>
      <p>{t('privacy.delete.kept')}</p>
      <form noValidate onSubmit={submit}>
        <ErrorSummary errors={errors} idPrefix="pvd" />
        <div class={`form-group${err ? ' is-error' : ''}`}>
          <div class="form-tit"><label for="pvd-password">{t('privacy.password')}</label></div>
          {err && <p class="form-hint-invalid" id="pvd-password-error">{err}</p>}
          <div class="form-conts">
            <input type="password" class="krds-input" id="pvd-password" autocomplete="current-password" value={password}
              aria-invalid={err ? 'true' : undefined} aria-describedby={err ? 'pvd-password-error' : undefined}
              onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
          </div>
        </div>
        <div class="form-actions">
          <button type="submit" class="krds-btn secondary large btn-block-mobile">{t('privacy.delete.button')}</button>
        </div>
      </form>
    </section>
  );
}

// ---- staff: the queue of requests --------------------------------------------------------------
export function StaffPrivacyPage() {
  const s = useAppState();
  const title = t('privacy.staff');
  const crumbs = [{ href: '/staff', label: t('work.title') }, { label: title }];
  if (s.session === 'unknown') return <Page title={title} crumbs={crumbs}><Loading /></Page>;
  if (!s.me || !s.me.roles.some((g) => g.role === 'district_admin' || g.role === 'privacy_officer')) {
    return (
      <Page title={title} crumbs={crumbs}>
        <div class="notice-box" role="status"><p>{s.me ? t('privacy.staff.forbidden') : t('work.needLogin')}</p></div>
        {!s.me && <div class="button-row"><Link href="/login?next=/staff/privacy" class="krds-btn primary large">{t('nav.login')}</Link></div>}
      </Page>
    );
  }
  return <Page title={title} lead={t('privacy.staff.lead')} crumbs={crumbs}><Queue /></Page>;
}

function Queue() {
  const [items, setItems] = useState<Req[] | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const load = () => api<{ items: Req[] }>('GET', '/api/v1/admin/privacy/requests').then((r) => setItems(r.items)).catch(() => setItems([]));
  useEffect(() => { load(); }, []);
  if (!items) return <Loading />;
  if (!items.length) return <p class="muted">{t('privacy.staff.none')}</p>;
  return (
    <ul class="pv-list pv-queue" data-field="queue">
      {items.map((r) => (
        <li key={r.id} class="panel pv-request" data-id={r.id}>
          <h2 class="panel-title">#{r.id} {t(`privacy.kind.${r.kind}` as Key)} · {r.record}</h2>
          <p>
            {t(`privacy.status.${r.status}` as Key)} · {t('privacy.due')} {r.due_date}
            {r.overdue && <strong class="krds-badge"> {t('privacy.staff.overdue')}</strong>}
          </p>
          {r.status === 'received' && (open === r.id
            ? <Decide id={r.id} onDone={() => { setOpen(null); load(); }} />
            : <button type="button" class="krds-btn secondary medium" onClick={() => setOpen(r.id)}>{t('privacy.staff.handle')}</button>)}
        </li>
      ))}
    </ul>
  );
}

const CORR = ['name', 'phone', 'birth_date', 'address'];

function Decide({ id, onDone }: { id: number; onDone: () => void }) {
  const [r, setR] = useState<Req | null>(null);
  const [form, setForm] = useState({ decision: 'granted', reason: '', person_id: '', household_id: '' });
  const [corr, setCorr] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<FormError[]>([]);
  useEffect(() => { api<Req>('GET', `/api/v1/admin/privacy/requests/${id}`).then(setR).catch((e) => setErrors(problemToErrors(e, []))); }, [id]);
  // A granted 정정 of a registered person carries the corrected values (docs/privacy.md).
  const correcting = r?.kind === 'correction' && r.record === 'person_record' && form.decision !== 'refused';
  const submit = async (e: Event) => {
    e.preventDefault();
    const correction = Object.fromEntries(Object.entries(corr).filter(([, v]) => v.trim() !== ''));
    try {
      await api('POST', `/api/v1/admin/privacy/requests/${id}/decision`, {
        decision: form.decision, reason: form.reason, person_id: form.person_id ? Number(form.person_id) : undefined,
        household_id: form.household_id && r?.kind === 'access' ? Number(form.household_id) : undefined,
        correction: correcting && Object.keys(correction).length ? correction : undefined });
      onDone();
    } catch (err) {
      setErrors(problemToErrors(err, ['decision', 'reason', 'person_id', 'household_id', 'correction', ...CORR.map((f) => `correction.${f}`)]));
    }
  };
  const p = `pq${id}`;
  const reasonErr = errorFor(errors, 'reason');
  const acting = (r?.kind === 'correction' || r?.kind === 'deletion') && r.record === 'person_record';
  return (
    <form noValidate onSubmit={submit}>
      <ErrorSummary errors={errors} idPrefix={p} />
      {r && (
        <dl class="info-list">
          <div><dt>{t('privacy.staff.account')}</dt><dd>{[r.account?.name, r.account?.phone, r.account?.email].filter(Boolean).join(' · ')}</dd></div>
          <div><dt>{t('privacy.details')}</dt><dd class="pv-text">{r.details}</dd></div>
          <div><dt>{t('privacy.reason')}</dt><dd>{r.law.basis_ko}</dd></div>
        </dl>
      )}
      <fieldset class="form-group">
        <legend class="form-tit">{t('privacy.staff.decision')}</legend>
        <div class="form-conts">
          {['granted', 'partly_granted', 'refused'].map((d, i) => (
            <div class="krds-form-check medium" key={d}>
              <input type="radio" name={`${p}-decision`} id={i === 0 ? `${p}-decision` : `${p}-decision-${d}`} checked={form.decision === d}
                onChange={() => setForm({ ...form, decision: d })} />
              <label for={i === 0 ? `${p}-decision` : `${p}-decision-${d}`}>{t(`privacy.status.${d}` as Key)}</label>
            </div>
          ))}
        </div>
      </fieldset>
      <div class={`form-group${reasonErr ? ' is-error' : ''}`}>
        <div class="form-tit"><label for={`${p}-reason`}>{t('privacy.reason')}</label></div>
        <p class="form-hint" id={`${p}-reason-hint`}>{t('privacy.staff.reasonHint')}</p>
        {reasonErr && <p class="form-hint-invalid" id={`${p}-reason-error`}>{reasonErr}</p>}
        <div class="form-conts">
          <textarea class="krds-input" id={`${p}-reason`} rows={3} value={form.reason} aria-invalid={reasonErr ? 'true' : undefined}
            aria-describedby={`${p}-reason-hint${reasonErr ? ` ${p}-reason-error` : ''}`}
            onInput={(e) => setForm({ ...form, reason: (e.target as HTMLTextAreaElement).value })} />
        </div>
      </div>
      <div class="form-group">
        <div class="form-tit"><label for={`${p}-person_id`}>{t(acting ? 'privacy.staff.personActed' : 'privacy.staff.person')}</label></div>
        <div class="form-conts">
          <input class="krds-input" id={`${p}-person_id`} inputMode="numeric" value={form.person_id}
            onInput={(e) => setForm({ ...form, person_id: (e.target as HTMLInputElement).value.replace(/\D/g, '') })} />
        </div>
      </div>
      {r?.kind === 'access' && form.decision !== 'refused' && (
        <div class={`form-group${errorFor(errors, 'household_id') ? ' is-error' : ''}`}>
          <div class="form-tit"><label for={`${p}-household_id`}>{t('privacy.staff.household')}</label></div>
          <p class="form-hint" id={`${p}-household_id-hint`}>{t('privacy.staff.householdHint')}</p>
          {errorFor(errors, 'household_id') && <p class="form-hint-invalid" id={`${p}-household_id-error`}>{errorFor(errors, 'household_id')}</p>}
          <div class="form-conts">
            <input class="krds-input" id={`${p}-household_id`} inputMode="numeric" value={form.household_id}
              aria-describedby={`${p}-household_id-hint${errorFor(errors, 'household_id') ? ` ${p}-household_id-error` : ''}`}
              aria-invalid={errorFor(errors, 'household_id') ? 'true' : undefined}
              onInput={(e) => setForm({ ...form, household_id: (e.target as HTMLInputElement).value.replace(/\D/g, '') })} />
          </div>
        </div>
      )}
      {r?.kind === 'deletion' && r.record === 'person_record' && form.decision !== 'refused' && <p class="form-hint">{t('privacy.staff.deletionNote')}</p>}
      {correcting && (
        <fieldset class="form-group">
          <legend class="form-tit">{t('privacy.staff.correction')}</legend>
          {CORR.map((f) => {
            const err = errorFor(errors, `correction.${f}`);
            return (
              <div class={`form-conts${err ? ' is-error' : ''}`} key={f}>
                <label for={`${p}-correction.${f}`}>{t(`privacy.staff.c.${f}` as Key)}</label>
                {err && <p class="form-hint-invalid" id={`${p}-correction.${f}-error`}>{err}</p>}
                <input class="krds-input" id={`${p}-correction.${f}`} value={corr[f] ?? ''} aria-invalid={err ? 'true' : undefined}
                  aria-describedby={err ? `${p}-correction.${f}-error` : undefined} inputMode={f === 'phone' ? 'tel' : undefined}
                  onInput={(e) => setCorr({ ...corr, [f]: (e.target as HTMLInputElement).value })} />
              </div>
            );
          })}
        </fieldset>
      )}
      <div class="form-actions">
        <button type="submit" class="krds-btn primary medium btn-block-mobile">{t('privacy.staff.save')}</button>
      </div>
    </form>
  );
}
