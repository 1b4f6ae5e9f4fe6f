import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, refreshMe } from '../api';
import { ErrorSummary, errorFor, requiredMessage, Field, problemToErrors, type FormError } from '../forms';
import { Loading, Page } from '../page';
import { Link } from '../router';
import { districtName, isDistrictAdmin, placeName, roleName, t, useAppState, type Grant, type Me } from '../store';
import { scopeLabel } from './me';
import { DisclosureReviewQueue } from './disclosures';

interface Account extends Me { roles: Grant[] }
interface AccountPage { items: Account[]; total: number; page: number; page_size: number }

export function Admin() {
  const s = useAppState();
  useEffect(() => { refreshMe(); }, []);
  if (s.session === 'unknown') return <Page title={t('admin.title')}><Loading /></Page>;
  if (s.session === 'anon') {
    return (
      <Page title={t('admin.title')}>
        <div class="notice-box" role="status"><p>{t('admin.needLogin')}</p></div>
        <div class="button-row"><Link href="/login?next=/admin" class="krds-btn primary large">{t('nav.login')}</Link></div>
      </Page>
    );
  }
  if (!isDistrictAdmin(s.me)) return <Forbidden />;
  return <AdminConsole />;
}

function Forbidden() {
  return (
    <Page title={t('admin.forbidden.title')}>
      <div class="notice-box notice-warning" role="status"><p>{t('admin.forbidden.text')}</p></div>
      <div class="button-row"><Link href="/" class="krds-btn secondary large">{t('nav.home')}</Link></div>
    </Page>
  );
}

function AdminConsole() {
  const s = useAppState();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState({ q: '', page: 1 });
  const [data, setData] = useState<AccountPage | null>(null);
  const [forbidden, setForbidden] = useState(false);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [grantFor, setGrantFor] = useState<Account | null>(null);
  const [status, setStatus] = useState('');
  const statusRef = useRef<HTMLParagraphElement>(null);

  async function load(qq = query) {
    try {
      // A search by e-mail or mobile number goes in a POST body: a URL would put it in proxy logs.
      const res = qq.q
        ? await api<AccountPage>('POST', '/api/v1/admin/accounts/search', { q: qq.q, page: qq.page })
        : await api<AccountPage>('GET', `/api/v1/admin/accounts${qq.page > 1 ? `?page=${qq.page}` : ''}`);
      setData(res);
      setErrors([]);
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) setForbidden(true);
      else setErrors(problemToErrors(e, ['q']));
    }
  }
  useEffect(() => { load(query); }, [query]);

  function announce(msg: string) {
    setStatus(msg);
    setTimeout(() => statusRef.current?.focus(), 0);
  }

  async function revoke(a: Account, g: Grant) {
    try {
      await api('DELETE', `/api/v1/admin/accounts/${encodeURIComponent(String(a.id))}/roles/${encodeURIComponent(String(g.id))}`);
      announce(t('admin.revoked', { name: a.name, role: roleName(g.role) }));
      await load();
      if (String(a.id) === String(s.me?.id)) refreshMe();
    } catch (e) {
      setErrors(problemToErrors(e, []));
    }
  }

  if (forbidden) return <Forbidden />;
  const pages = data ? Math.max(1, Math.ceil(data.total / Math.max(1, data.page_size))) : 1;

  return (
    <Page title={t('admin.title')} lead={t('admin.lead')} wide>
      <ErrorSummary errors={errors} idPrefix="admin" />
      <p class={`status-message${status ? ' is-visible' : ''}`} role="status" tabIndex={-1} ref={statusRef}>{status}</p>

      <p class="button-row"><Link href="/staff/privacy" class="krds-btn tertiary medium">{t('privacy.staff')}</Link></p>
      <DisclosureReviewQueue />
      <section class="panel" aria-labelledby="admin-search-title">
        <h2 id="admin-search-title" class="panel-title">{t('admin.search')}</h2>
        <form class="search-form" role="search" noValidate onSubmit={(e) => { e.preventDefault(); setStatus(''); setQuery({ q: q.trim(), page: 1 }); }}>
          <Field id="admin-q" label={t('admin.q')} hint={t('admin.q.hint')} error={errorFor(errors, 'q')} required={false}>
            {(a) => (
              <div class="search-row">
                <input class="krds-input" type="search" name="q" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} {...a} />
                <button type="submit" class="krds-btn primary large">{t('admin.searchBtn')}</button>
              </div>
            )}
          </Field>
        </form>
      </section>

      {grantFor && (
        <GrantForm account={grantFor} onCancel={() => setGrantFor(null)}
          onGranted={async (role) => {
            const name = grantFor.name;
            const self = String(grantFor.id) === String(s.me?.id);
            setGrantFor(null);
            announce(t('admin.granted', { name, role: roleName(role) }));
            await load();
            if (self) refreshMe();
          }} />
      )}

      {!data ? <Loading /> : (
        <section aria-labelledby="admin-results-title">
          <h2 id="admin-results-title" class="section-title">{t('admin.results', { total: data.total })}</h2>
          {data.items.length === 0 ? <p>{t('admin.noResults')}</p> : (
            <ul class="account-list">
              {data.items.map((a) => (
                <li key={a.id} class="account-card" data-account-id={String(a.id)}>
                  <div class="account-head">
                    <h3 class="account-name">{a.name}</h3>
                    <p class="account-contact">
                      {[a.email, a.phone, districtName(a.district_id)].filter(Boolean).join(' · ')}
                    </p>
                  </div>
                  <div class="account-roles">
                    <h4 class="sr-only">{t('admin.col.roles')}</h4>
                    {a.roles.length ? (
                      <ul class="role-list">
                        {a.roles.map((g) => (
                          <li key={g.id} class="role-item">
                            <span class="krds-badge role-badge">{roleName(g.role)}</span>
                            <span class="role-scope">{scopeLabel(g)}</span>
                            <button type="button" class="krds-btn tertiary small revoke-btn"
                              aria-label={t('admin.revokeLabel', { name: a.name, role: roleName(g.role), scope: scopeLabel(g) })}
                              onClick={() => revoke(a, g)}>{t('admin.revoke')}</button>
                          </li>
                        ))}
                      </ul>
                    ) : <p class="muted">{t('me.noRoles')}</p>}
                  </div>
                  <div class="account-actions">
                    <button type="button" class="krds-btn secondary medium grant-btn"
                      aria-label={t('admin.grantFor', { name: a.name })}
                      onClick={() => { setStatus(''); setGrantFor(a); }}>{t('admin.grant')}</button>
                  </div>
                </li>
              ))}
            </ul>
          )}
          {pages > 1 && (
            <nav class="krds-pagination" aria-label={t('admin.pagination')}>
              <button type="button" class="page-navi prev" disabled={data.page <= 1}
                onClick={() => setQuery({ ...query, page: data.page - 1 })}>{t('admin.prev')}</button>
              <span class="page-status">{t('admin.page', { page: data.page, pages })}</span>
              <button type="button" class="page-navi next" disabled={data.page >= pages}
                onClick={() => setQuery({ ...query, page: data.page + 1 })}>{t('admin.next')}</button>
            </nav>
          )}
        </section>
      )}
    </Page>
  );
}

interface Organization { id: number; district_id: number; dong_id: number | null; kind: string; name: string }

function GrantForm({ account, onCancel, onGranted }: { account: Account; onCancel: () => void; onGranted: (role: string) => void }) {
  const s = useAppState();
  const roles = s.roles || [];
  const [role, setRole] = useState('');
  const [kind, setKind] = useState('');
  const [scope, setScope] = useState('');
  const [errors, setErrors] = useState<FormError[]>([]);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => { heading.current?.focus(); }, [account.id]);

  const roleInfo = roles.find((r) => r.role === role);
  const kinds = roleInfo ? roleInfo.scope_kinds : [];
  // An administrator grants within the district(s) of their district_admin grants; fall back to
  // their home district, then to every district.
  const adminOf = (s.me?.roles || []).filter((g) => g.role === 'district_admin' && g.scope_kind === 'district').map((g) => String(g.scope_id));
  const home = s.me?.district_id;
  const districts = (s.districts || []).filter((d) =>
    adminOf.length ? adminOf.includes(String(d.id)) : home == null || String(d.id) === String(home));
  const [orgs, setOrgs] = useState<{ id: string; label: string }[]>([]);
  const districtIds = districts.map((d) => String(d.id)).join(',');
  useEffect(() => {
    let live = true;
    Promise.all(districts.map((d) => api<Organization[]>('GET', `/api/v1/organizations?district_id=${encodeURIComponent(String(d.id))}`)))
      .then((lists) => { if (live) setOrgs(lists.flat().map((o) => ({ id: String(o.id), label: `${o.name} (${o.kind})` }))); })
      .catch(() => { if (live) setOrgs([]); });
    return () => { live = false; };
  }, [districtIds]);
  const scopes: { id: string; label: string }[] =
    kind === 'district' ? districts.map((d) => ({ id: String(d.id), label: placeName(d) }))
    : kind === 'dong' ? districts.flatMap((d) => d.dongs.map((g) => ({ id: String(g.id), label: `${placeName(g)} (${placeName(d)})` })))
    : kind === 'organization' ? orgs
    : [];

  async function submit(e: Event) {
    e.preventDefault();
    const missing: FormError[] = [];
    if (!role) missing.push({ field: 'role', message: requiredMessage('role') });
    if (!kind) missing.push({ field: 'scope_kind', message: requiredMessage('scope_kind') });
    if (!scope) missing.push({ field: 'scope_id', message: requiredMessage('scope_id') });
    if (missing.length) { setErrors(missing); return; }
    setBusy(true);
    try {
      const scopeId = isNaN(Number(scope)) ? scope : Number(scope);
      await api('POST', `/api/v1/admin/accounts/${encodeURIComponent(String(account.id))}/roles`, { role, scope_kind: kind, scope_id: scopeId });
      onGranted(role);
    } catch (err) {
      setErrors(problemToErrors(err, ['role', 'scope_kind', 'scope_id']));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="panel grant-panel" aria-labelledby="grant-title">
      <h2 id="grant-title" class="panel-title" tabIndex={-1} ref={heading}>{t('admin.grantFor', { name: account.name })}</h2>
      <ErrorSummary errors={errors} idPrefix="grant" />
      <form noValidate onSubmit={submit}>
        <Field id="grant-role" label={t('admin.role')} error={errorFor(errors, 'role')}>
          {(a) => (
            <select class={`krds-form-select${role ? ' completed' : ''}`} name="role" value={role} {...a}
              onChange={(e) => {
                const r = (e.target as HTMLSelectElement).value;
                setRole(r);
                const k = roles.find((x) => x.role === r)?.scope_kinds || [];
                setKind(k.length === 1 ? k[0] : k.includes(kind) ? kind : '');
                setScope('');
              }}>
              <option value="">{t('form.choose')}</option>
              {roles.map((r) => <option key={r.role} value={r.role}>{roleName(r.role)}</option>)}
            </select>
          )}
        </Field>
        <Field id="grant-scope_kind" label={t('admin.scopeKind')} error={errorFor(errors, 'scope_kind')}>
          {(a) => (
            <select class={`krds-form-select${kind ? ' completed' : ''}`} name="scope_kind" value={kind} disabled={!role} {...a}
              onChange={(e) => { setKind((e.target as HTMLSelectElement).value); setScope(''); }}>
              <option value="">{t('form.choose')}</option>
              {kinds.map((k) => <option key={k} value={k}>{t(`scope.${k}` as 'scope.district')}</option>)}
            </select>
          )}
        </Field>
        <Field id="grant-scope_id" label={t('admin.scope')} error={errorFor(errors, 'scope_id')}>
          {(a) => (
            <select class={`krds-form-select${scope ? ' completed' : ''}`} name="scope_id" value={scope} disabled={!kind || scopes.length === 0} {...a}
              onChange={(e) => setScope((e.target as HTMLSelectElement).value)}>
              <option value="">{t('form.choose')}</option>
              {scopes.map((o) => <option key={o.id} value={o.id}>{o.label}</option>)}
            </select>
          )}
        </Field>
        <div class="button-row">
          <button type="submit" class="krds-btn primary large" disabled={busy}>{busy ? t('form.submitting') : t('admin.grantSubmit')}</button>
          <button type="button" class="krds-btn tertiary large" onClick={onCancel}>{t('admin.cancel')}</button>
        </div>
      </form>
    </section>
  );
}
