import { useState } from 'preact/hooks';
import { api, ApiError, loadReference, refreshMe } from '../api';
import { ErrorSummary, errorFor, requiredMessage, problemToErrors, SubmitButton, TextField, type FormError } from '../forms';
import { Page } from '../page';
import { Link, navigate } from '../router';
import { setState, t, type Me } from '../store';
import { nextPath, withNext } from './signup';

export function Login() {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormError[]>([]);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    const missing: FormError[] = [];
    if (!login.trim()) missing.push({ field: 'login', message: requiredMessage('login') });
    if (!password) missing.push({ field: 'password', message: requiredMessage('password') });
    if (missing.length) { setErrors(missing); return; }
    setBusy(true);
    try {
      const res = await api<{ account: Me; csrf_token: string }>('POST', '/api/v1/auth/login', { login: login.trim(), password });
      setState({ session: 'user', csrf: res.csrf_token, me: { ...res.account, roles: res.account.roles || [] } });
      setErrors([]);
      // The login response's account may not carry roles; /me does.
      await Promise.all([refreshMe(), loadReference()]);
      navigate(nextPath());
    } catch (err) {
      let throttled = t('login.throttled');
      if (err instanceof ApiError && err.retryAfter) throttled = t('login.throttledFor', { minutes: Math.max(1, Math.ceil(err.retryAfter / 60)) });
      setErrors(problemToErrors(err, ['login', 'password'], { 401: t('login.wrong'), 429: throttled }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={t('login.title')} lead={t('login.lead')}>
      <ErrorSummary errors={errors} idPrefix="login" />
      <form class="krds-form" noValidate onSubmit={submit}>
        <TextField id="login-login" label={t('login.login')} error={errorFor(errors, 'login')}
          input={{ type: 'text', name: 'login', autocomplete: 'username', value: login, onInput: (e: Event) => setLogin((e.target as HTMLInputElement).value) }} />
        <TextField id="login-password" label={t('login.password')} error={errorFor(errors, 'password')}
          input={{ type: 'password', name: 'password', autocomplete: 'current-password', value: password, onInput: (e: Event) => setPassword((e.target as HTMLInputElement).value) }} />
        <div class="form-actions">
          <SubmitButton busy={busy} label="login.submit" />
        </div>
      </form>
      <p class="form-aside">{t('login.noAccount')} <Link href={withNext('/signup')} class="text-link">{t('nav.signup')}</Link></p>
    </Page>
  );
}
