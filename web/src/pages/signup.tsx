import { useEffect, useState } from 'preact/hooks';
import { consentItems, loadConsentTexts, type ConsentText } from '../consents';
import { api, loadReference } from '../api';
import { ErrorSummary, errorFor, requiredMessage, Field, problemToErrors, SubmitButton, TextField, type FormError } from '../forms';
import { Page } from '../page';
import { Link, navigate } from '../router';
import { placeName, setState, t, useAppState, type Me } from '../store';

const FIELDS = ['email', 'phone', 'name', 'password', 'district_id'];

// Where to go after sign-up or log-in: the page the person came from (?next=, a path on this
// site only), else 마이페이지.
export function nextPath(): string {
  const next = new URLSearchParams(location.search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/me';
}
export function withNext(path: string): string {
  const next = new URLSearchParams(location.search).get('next');
  return next ? `${path}?next=${encodeURIComponent(next)}` : path;
}

// The two required consents of a Korean public site's sign-up (이용약관, 개인정보 수집·이용 under
// PIPA art. 15(2): items, purpose, retention, the right to refuse and what refusing means). The
// optional ones (saving a household, alerts) are asked separately where they are used.
function Consent({ id, checked, onChange, label, error, children }: {
  id: string; checked: boolean; onChange: (v: boolean) => void; label: string; error?: string; children: preact.ComponentChildren;
}) {
  return (
    <div class="signup-consent">
      {error && <p id={`${id}-error`} class="form-hint-invalid">{error}</p>}
      <div class={`krds-form-check medium${error ? ' is-error' : ''}`}>
        <input type="checkbox" id={id} checked={checked} aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `${id}-error` : undefined} onChange={(e) => onChange((e.target as HTMLInputElement).checked)} />
        <label for={id}>{label}</label>
      </div>
      <details class="consent-details">
        <summary>{t('signup.consent.read')}<span class="sr-only"> ({label})</span></summary>
        <div class="consent-body">{children}</div>
      </details>
    </div>
  );
}

function ConsentItems({ text, failed }: { text?: ConsentText; failed: boolean }) {
  if (!text) return <p class="form-hint" role="status">{failed ? t('consent.unavailable') : t('loading')}</p>;
  return (
    <>
      <ol class="policy-bullets">{consentItems(text).map((x, i) => <li key={i}>{x}</li>)}</ol>
      <p class="form-hint" data-field="consent-version">{t('consent.version', { v: text.version })}</p>
    </>
  );
}

export function Signup() {
  const s = useAppState();
  const [method, setMethod] = useState<'email' | 'phone'>('email');
  const [login, setLogin] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [district, setDistrict] = useState('');
  const [errors, setErrors] = useState<FormError[]>([]);
  const [busy, setBusy] = useState(false);
  const [terms, setTerms] = useState(false);
  const [privacy, setPrivacy] = useState(false);
  // The required texts as the server holds them: their versions go with the sign-up.
  const [texts, setTexts] = useState<ConsentText[] | null>(null);
  const [textsFailed, setTextsFailed] = useState(false);
  useEffect(() => { loadConsentTexts().then(setTexts).catch(() => setTextsFailed(true)); }, []);
  const text = (kind: string) => texts?.find((x) => x.kind === kind);

  const districts = s.districts || [];
  const districtValue = district || (districts.length === 1 ? String(districts[0].id) : '');

  async function submit(e: Event) {
    e.preventDefault();
    const missing: FormError[] = [];
    if (!login.trim()) missing.push({ field: method, message: requiredMessage(method) });
    if (!name.trim()) missing.push({ field: 'name', message: requiredMessage('name') });
    if (!password) missing.push({ field: 'password', message: requiredMessage('password') });
    if (!terms) missing.push({ field: 'terms', message: t('signup.terms.required') });
    if (!privacy) missing.push({ field: 'privacy', message: t('signup.privacy.required') });
    if (missing.length) { setErrors(missing); return; }
    setBusy(true);
    try {
      const list = texts ?? await loadConsentTexts();
      const body: Record<string, unknown> = {
        name: name.trim(), password,
        consents: list.filter((c) => c.required).map((c) => ({ kind: c.kind, version: c.version })),
      };
      body[method] = login.trim();
      if (districtValue) body.district_id = isNaN(Number(districtValue)) ? districtValue : Number(districtValue);
      const res = await api<{ account: Me; csrf_token: string }>('POST', '/api/v1/auth/signup', body);
      setState({ session: 'user', csrf: res.csrf_token, me: { ...res.account, roles: res.account.roles || [] } });
      setErrors([]);
      loadReference();
      navigate(nextPath());
    } catch (err) {
      setErrors(problemToErrors(err, FIELDS, { 409: t('signup.taken') }).map((fe) =>
        fe.field === null && (err as any)?.status === 409 ? { field: method, message: fe.message } : fe));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={t('signup.title')} lead={t('signup.lead')}>
      <ErrorSummary errors={errors} idPrefix="signup" />
      <form class="krds-form" noValidate onSubmit={submit}>
        <fieldset class="form-fieldset">
          <legend class="fieldset-legend">{t('signup.method')}</legend>
          <p class="fieldset-title" aria-hidden="true">{t('signup.method')}</p>
          <div class="krds-check-area">
            {(['email', 'phone'] as const).map((m) => (
              <div class="krds-form-check large" key={m}>
                <input type="radio" name="method" id={`signup-method-${m}`} value={m} checked={method === m}
                  onChange={() => { setMethod(m); setLogin(''); }} />
                <label for={`signup-method-${m}`}>{t(`signup.method.${m}`)}</label>
              </div>
            ))}
          </div>
        </fieldset>
        {method === 'email' ? (
          <TextField id="signup-email" label={t('signup.email')} hint={t('signup.email.hint')} error={errorFor(errors, 'email')}
            input={{ type: 'email', name: 'email', autocomplete: 'email', value: login, onInput: (e: Event) => setLogin((e.target as HTMLInputElement).value) }} />
        ) : (
          <TextField id="signup-phone" label={t('signup.phone')} hint={t('signup.phone.hint')} error={errorFor(errors, 'phone')}
            input={{ type: 'tel', name: 'phone', autocomplete: 'tel', inputMode: 'tel', value: login, onInput: (e: Event) => setLogin((e.target as HTMLInputElement).value) }} />
        )}
        <TextField id="signup-name" label={t('signup.name')} error={errorFor(errors, 'name')}
          input={{ type: 'text', name: 'name', autocomplete: 'name', value: name, onInput: (e: Event) => setName((e.target as HTMLInputElement).value) }} />
        <TextField id="signup-password" label={t('signup.password')} hint={t('signup.password.hint')} error={errorFor(errors, 'password')}
          input={{ type: 'password', name: 'password', autocomplete: 'new-password', value: password, onInput: (e: Event) => setPassword((e.target as HTMLInputElement).value) }} />
        <Field id="signup-district_id" label={t('signup.district')} hint={t('signup.district.hint')} error={errorFor(errors, 'district_id')} required={false}>
          {(a) => (
            <select class={`krds-form-select${districtValue ? ' completed' : ''}`} name="district_id" value={districtValue}
              onChange={(e) => setDistrict((e.target as HTMLSelectElement).value)} {...a}>
              <option value="">{t('form.choose')}</option>
              {districts.map((d) => <option key={d.id} value={String(d.id)}>{placeName(d)}</option>)}
            </select>
          )}
        </Field>
        <fieldset class="form-fieldset signup-consents">
          <legend class="fieldset-title">{t('signup.consents')}</legend>
          <Consent id="signup-terms" checked={terms} onChange={setTerms} label={t('signup.terms')} error={errorFor(errors, 'terms')}>
            <ConsentItems text={text('terms')} failed={textsFailed} />
          </Consent>
          <Consent id="signup-privacy" checked={privacy} onChange={setPrivacy} label={t('signup.privacy')} error={errorFor(errors, 'privacy')}>
            <ConsentItems text={text('privacy')} failed={textsFailed} />
            <p><Link href="/privacy" class="text-link">{t('footer.privacy')}</Link></p>
          </Consent>
          <p class="form-hint field-hint">{t('signup.optional')}</p>
        </fieldset>
        <div class="form-actions">
          <SubmitButton busy={busy} label="signup.submit" />
        </div>
      </form>
      <p class="form-aside">{t('signup.haveAccount')} <Link href={withNext('/login')} class="text-link">{t('nav.login')}</Link></p>
    </Page>
  );
}
