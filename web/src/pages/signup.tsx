import { useState } from 'preact/hooks';
import { api, loadReference } from '../api';
import { ErrorSummary, errorFor, requiredMessage, Field, problemToErrors, SubmitButton, TextField, type FormError } from '../forms';
import { Page } from '../page';
import { Link, navigate } from '../router';
import { placeName, setState, t, useAppState, type Me } from '../store';

const FIELDS = ['email', 'phone', 'name', 'password', 'district_id'];

export function Signup() {
  const s = useAppState();
  const [method, setMethod] = useState<'email' | 'phone'>('email');
  const [login, setLogin] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [district, setDistrict] = useState('');
  const [errors, setErrors] = useState<FormError[]>([]);
  const [busy, setBusy] = useState(false);

  const districts = s.districts || [];
  const districtValue = district || (districts.length === 1 ? String(districts[0].id) : '');

  async function submit(e: Event) {
    e.preventDefault();
    const missing: FormError[] = [];
    if (!login.trim()) missing.push({ field: method, message: requiredMessage(method) });
    if (!name.trim()) missing.push({ field: 'name', message: requiredMessage('name') });
    if (!password) missing.push({ field: 'password', message: requiredMessage('password') });
    if (missing.length) { setErrors(missing); return; }
    setBusy(true);
    try {
      const body: Record<string, unknown> = { name: name.trim(), password };
      body[method] = login.trim();
      if (districtValue) body.district_id = isNaN(Number(districtValue)) ? districtValue : Number(districtValue);
      const res = await api<{ account: Me; csrf_token: string }>('POST', '/api/v1/auth/signup', body);
      setState({ session: 'user', csrf: res.csrf_token, me: { ...res.account, roles: res.account.roles || [] } });
      setErrors([]);
      loadReference();
      navigate('/me');
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
        <div class="form-actions">
          <SubmitButton busy={busy} label="signup.submit" />
        </div>
      </form>
      <p class="form-aside">{t('signup.haveAccount')} <Link href="/login" class="text-link">{t('nav.login')}</Link></p>
    </Page>
  );
}
