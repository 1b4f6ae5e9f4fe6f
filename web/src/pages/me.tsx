import { useEffect } from 'preact/hooks';
import { MyApplicationsPanel } from '../features/applications';
import { formatPhone } from '../site';
import { logout, refreshMe } from '../api';
import { Loading, Page } from '../page';
import { Link, navigate } from '../router';
import { districtName, roleName, t, useAppState, type Grant } from '../store';
import { MyEligibility } from './eligibility';
import { MyAlertsPanel } from './alerts';
import { MyConsents } from '../components/my-consents';

export function scopeLabel(g: Grant): string {
  const kind = g.scope_kind === 'district' || g.scope_kind === 'dong' || g.scope_kind === 'organization'
    ? t(`scope.${g.scope_kind}` as 'scope.district') : g.scope_kind;
  return g.scope_name ? `${g.scope_name} (${kind})` : kind;
}

export function Me() {
  const s = useAppState();
  useEffect(() => { refreshMe(); }, []);
  if (s.session === 'unknown') return <Page title={t('me.title')}><Loading /></Page>;
  if (s.session === 'anon' || !s.me) {
    return (
      <Page title={t('me.title')}>
        <div class="notice-box" role="status"><p>{t('me.needLogin')}</p></div>
        <div class="button-row">
          <Link href="/login?next=/me" class="krds-btn primary large">{t('nav.login')}</Link>
          <Link href="/signup" class="krds-btn secondary large">{t('nav.signup')}</Link>
        </div>
      </Page>
    );
  }
  const me = s.me;
  const none = <span class="muted">{t('me.none')}</span>;
  return (
    <Page title={t('me.title')}>
      <section class="panel" aria-labelledby="me-info">
        <h2 id="me-info" class="panel-title">{t('me.info')}</h2>
        <dl class="info-list">
          <div><dt>{t('me.name')}</dt><dd data-field="name">{me.name}</dd></div>
          <div><dt>{t('me.email')}</dt><dd data-field="email">{me.email || none}</dd></div>
          <div><dt>{t('me.phone')}</dt><dd data-field="phone">{me.phone ? formatPhone(me.phone) : none}</dd></div>
          <div><dt>{t('me.district')}</dt><dd data-field="district">{districtName(me.district_id) || none}</dd></div>
        </dl>
      </section>
      <MyAlertsPanel />
      <MyApplicationsPanel />
      <section class="panel" aria-labelledby="me-reports">
        <h2 id="me-reports" class="panel-title">{t('myReports.title')}</h2>
        <p>{t('myReports.lead')}</p>
        <div class="button-row">
          <Link href="/me/reports" class="krds-btn secondary">{t('myReports.title')}</Link>
          <Link href="/report" class="krds-btn tertiary">{t('nav.report')}</Link>
        </div>
      </section>
      <section class="panel" aria-labelledby="me-roles">
        <h2 id="me-roles" class="panel-title">{t('me.roles')}</h2>
        {me.roles.length ? (
          <ul class="role-list">
            {me.roles.map((g) => (
              <li key={g.id} class="role-item">
                <span class="krds-badge role-badge">{roleName(g.role)}</span>
                <span class="role-scope">{scopeLabel(g)}</span>
              </li>
            ))}
          </ul>
        ) : <p>{t('me.noRoles')}</p>}
      </section>
      <MyConsents />
      <section class="panel" aria-labelledby="me-privacy">
        <h2 id="me-privacy" class="panel-title">{t('privacy.title')}</h2>
        <p>{t('privacy.me.text')}</p>
        <div class="button-row"><Link href="/me/privacy" class="krds-btn secondary">{t('privacy.title')}</Link></div>
      </section>
      <MyEligibility />
      <div class="button-row">
        <button type="button" class="krds-btn secondary large" onClick={async () => { await logout(); navigate('/'); }}>
          {t('me.logout')}
        </button>
      </div>
    </Page>
  );
}
