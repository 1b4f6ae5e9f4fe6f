// Page frame: skip link, KRDS official-site masthead, header with display settings and the
// user menu, and the footer.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Link, navigate } from './router';
import { logout } from './api';
import { forgetUnread, refreshUnread } from './alerts';
import { hasRole, isDistrictAdmin, STAFF_ROLES, setState, t, TEXT_SIZES, useAppState, type TextSize } from './store';
import type { Key } from './i18n';
import { districtLabel, formatPhone, useSite } from './site';
import { FEATURES } from './features';

export function SkipLink() {
  return (
    <div id="krds-skip-link">
      <a href="#main" onClick={(e) => {
        e.preventDefault();
        const main = document.getElementById('main');
        if (main) { main.focus(); main.scrollIntoView(); }
      }}>{t('skip.main')}</a>
    </div>
  );
}

function Masthead() {
  return (
    <div id="krds-masthead">
      <div class="toggle-wrap">
        <div class="toggle-head">
          <div class="inner">
            <span class="nuri-txt">{t('masthead')}</span>
          </div>
        </div>
      </div>
    </div>
  );
}

// The language, text-size and contrast controls. On wider screens they are always shown at the top
// right; on phones they fold behind the 화면 설정 button of the header row (see Header).
function DisplaySettings() {
  const s = useAppState();
  return (
    <div id="display-settings-more" class="display-settings" role="group" aria-label={t('settings.label')}>
      <div class="setting" role="group" aria-label={t('lang.label')}>
        <button type="button" class={`setting-btn${s.lang === 'ko' ? ' is-active' : ''}`} lang="ko"
          aria-pressed={s.lang === 'ko'} onClick={() => setState({ lang: 'ko' })}>{t('lang.ko')}</button>
        <button type="button" class={`setting-btn${s.lang === 'en' ? ' is-active' : ''}`} lang="en"
          aria-pressed={s.lang === 'en'} onClick={() => setState({ lang: 'en' })}>{t('lang.en')}</button>
      </div>
      <div class="setting setting-size" role="group" aria-labelledby="size-label">
        <span class="setting-label" id="size-label">{t('size.label')}</span>
        {TEXT_SIZES.map((size: TextSize) => (
          <button key={size} type="button" class={`setting-btn size-${size}${s.textSize === size ? ' is-active' : ''}`}
            aria-pressed={s.textSize === size} data-size={size}
            onClick={() => setState({ textSize: size })}>{t(`size.${size}` as Key)}</button>
        ))}
      </div>
      <div class="setting">
        <button type="button" class={`setting-btn contrast-btn${s.highContrast ? ' is-active' : ''}`}
          aria-pressed={s.highContrast} onClick={() => setState({ highContrast: !s.highContrast })}>
          <span class="contrast-icon" aria-hidden="true" />{t('contrast.label')}
        </button>
      </div>
    </div>
  );
}

function UserNav({ path }: { path: string }) {
  const s = useAppState();
  const cur = (p: string) => (path === p ? 'page' : path.startsWith(p + '/') ? 'true' : undefined);
  // The unread count of the inbox (알림함) rides on 마이페이지; asked again at most every 30 s as the
  // member moves between pages.
  useEffect(() => {
    if (s.session === 'user') refreshUnread(30000);
    else { forgetUnread(); if (s.unread) setState({ unread: 0 }); }
  }, [s.session, path]);
  const unread = s.session === 'user' ? s.unread : 0;
  // Log-in and sign-up bring the person back to the page they were on.
  const here = path + (typeof location !== 'undefined' ? location.search : '');
  const back = (to: string) => (path === '/' || path === '/login' || path === '/signup' ? to : `${to}?next=${encodeURIComponent(here)}`);
  return (
    <nav class="header-actions user-nav" aria-label={t('nav.label')}>
      {s.session === 'user' ? (
        <>
          {hasRole(s.me, ...STAFF_ROLES) && (
            <Link href="/staff" class="btn-navi staff" aria-current={cur('/staff')}>{t('nav.staff')}</Link>
          )}
          {isDistrictAdmin(s.me) && (
            <Link href="/admin" class="btn-navi admin" aria-current={cur('/admin')}>{t('nav.admin')}</Link>
          )}
          <Link href="/me" class="btn-navi my" aria-current={cur('/me')}>
            {t('nav.me')}
            {unread > 0 && (
              <>
                <span class="nav-badge" aria-hidden="true">{unread > 99 ? '99+' : unread}</span>
                <span class="sr-only"> ({t('nav.unread', { n: unread })})</span>
              </>
            )}
          </Link>
          <button type="button" class="btn-navi logout" onClick={async () => { await logout(); navigate('/'); }}>
            {t('nav.logout')}
          </button>
        </>
      ) : s.session === 'anon' ? (
        <>
          <Link href={back('/login')} class="btn-navi login" aria-current={cur('/login')}>{t('nav.login')}</Link>
          <Link href={back('/signup')} class="btn-navi join" aria-current={cur('/signup')}>{t('nav.signup')}</Link>
        </>
      ) : null}
    </nav>
  );
}

// The site's sections: 복지서비스, 복지 모의계산, 복지시설, 복지 현황 (지도·통계) and 소식 (복지 소식·일자리); each
// marks itself current on its own pages and their detail pages.
function MainNav({ path }: { path: string }) {
  const under = (p: string) => path === p || path.startsWith(p + '/');
  const cur = (p: string, also: string[] = []) => (path === p ? 'page' : under(p) || also.some(under) ? 'true' : undefined);
  return (
    <nav class="main-nav" aria-label={t('nav.main')}>
      <ul>
        <li><Link href="/services" class="main-nav-link" aria-current={cur('/services')}>{t('nav.services')}</Link></li>
        <li><Link href="/eligibility" class="main-nav-link" aria-current={cur('/eligibility')}>{t('nav.eligibility')}</Link></li>
        <li><Link href="/facilities" class="main-nav-link" aria-current={cur('/facilities', ['/disclosures'])}>{t('nav.facilities')}</Link></li>
        <li><Link href="/map" class="main-nav-link" aria-current={cur('/map', ['/statistics'])}>{t('nav.atlas')}</Link></li>
        <li><Link href="/news" class="main-nav-link" aria-current={cur('/news', ['/jobs'])}>{t('nav.newsMenu')}</Link></li>
        <li><Link href="/report" class="main-nav-link" aria-current={cur('/report')}>{t('nav.report')}</Link></li>
        {FEATURES.filter((f) => f.nav).map((f) => <li key={f.name}><Link href={f.nav!.href} class="main-nav-link" aria-current={cur(f.nav!.href)}>{f.nav!.label()}</Link></li>)}
      </ul>
    </nav>
  );
}

// KRDS mobile header: on phones one row (logo, 화면 설정, 전체 메뉴) and the account links and the
// main menu behind the menu button, so the page starts near the top at every text size; on wider
// screens everything is shown (the two buttons are hidden by CSS and the panels are always open).
function Header({ path }: { path: string }) {
  const s = useAppState();
  const [open, setOpen] = useState<'none' | 'menu' | 'settings'>('none');
  useEffect(() => { setOpen('none'); }, [path]);
  const toggle = (which: 'menu' | 'settings') => setOpen(open === which ? 'none' : which);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || open === 'none') return;
    const button = document.querySelector<HTMLButtonElement>(open === 'menu' ? '.menu-toggle' : '.settings-toggle');
    setOpen('none');
    button?.focus();
  };
  const unread = s.session === 'user' ? s.unread : 0;
  const site = useSite();
  const district = districtLabel(site);
  return (
    <header id="krds-header" class={open === 'none' ? '' : `is-${open}-open`} onKeyDown={onKeyDown}>
      <div class="header-in">
        <div class="header-container">
          <div class="inner">
            <div class="header-branding">
              <p class="logo dure-logo">
                <Link href="/">
                  {site?.emblem ? <img class="district-emblem" src={site.emblem} alt="" width={48} height={48} />
                    : <span class="dure-mark">{t('app.name')}</span>}
                  <span class="logo-text">
                    {district && <span class="logo-district">{district}</span>}
                    <span class="logo-name">{district ? t('logo.service') : t('app.tagline')}</span>
                  </span>
                  <span class="sr-only">{t('logo.home')}</span>
                </Link>
              </p>
              <div class="phone-actions">
                <button type="button" class="phone-btn settings-toggle" aria-expanded={open === 'settings'}
                  aria-controls="display-settings-more" onClick={() => toggle('settings')}>
                  <span class="phone-btn-icon size-icon" aria-hidden="true">가</span>{t('settings.label')}
                </button>
                <span class="menu-toggle-wrap">
                  <button type="button" class="phone-btn menu-toggle" aria-expanded={open === 'menu'} aria-controls="site-menu"
                    aria-label={unread > 0 ? `${t('menu.all')} (${t('nav.unread', { n: unread })})` : t('menu.all')}
                    onClick={() => toggle('menu')}>
                    <span class="phone-btn-icon menu-icon" aria-hidden="true"><span /></span>{t('menu.short')}
                  </button>
                  {unread > 0 && <span class="nav-badge menu-badge" aria-hidden="true">{unread > 99 ? '99+' : unread}</span>}
                </span>
              </div>
            </div>
            <div id="site-menu" class="site-menu">
              <UserNav path={path} />
              <MainNav path={path} />
            </div>
            <div class="header-utility">
              <DisplaySettings />
            </div>
          </div>
        </div>
      </div>
    </header>
  );
}

// The district's office from the site settings (GET /api/v1/site); a line is left out when the
// district has not set it.
function Footer() {
  useAppState();
  const site = useSite();
  const district = districtLabel(site);
  const o = site?.office;
  const year = new Date().getFullYear();
  return (
    <footer id="krds-footer">
      <div class="inner">
        <div class="dure-footer-logo">
          {site?.emblem && <img class="district-emblem" src={site.emblem} alt="" width={40} height={40} />}
          <strong>{district ? `${district} ${t('logo.service')}` : t('footer.platform')}</strong>
        </div>
        <div class="f-cnt">
          <div class="f-info">
            {o?.name && <p class="info-office">{o.name}</p>}
            {o?.address && <p class="info-addr"><span class="f-label">{t('footer.address')}</span> {o.address}</p>}
            <ul class="info-cs">
              {o?.phone && <li><span class="f-label">{t('footer.phone')}</span> <a href={`tel:${o.phone.replace(/\D/g, '')}`}>{formatPhone(o.phone)}</a></li>}
              {o?.hours && <li><span class="f-label">{t('footer.hoursLabel')}</span> {o.hours}</li>}
              {o?.email && <li><span class="f-label">{t('footer.email')}</span> <a href={`mailto:${o.email}`}>{o.email}</a></li>}
              <li><span class="f-label">{t('footer.helpline')}</span> <a href="tel:129">129</a> {t('footer.helpline.text')}</li>
            </ul>
          </div>
        </div>
        <div class="f-btm">
          <div class="f-btm-text">
            <div class="f-menu">
              <Link href="/privacy" class="point">{t('footer.privacy')}</Link>
              <Link href="/accessibility">{t('footer.a11y')}</Link>
            </div>
            <p class="f-copy">© {year} {district || t('app.name')}. {t('footer.oss')} — {t('footer.copy')}</p>
          </div>
        </div>
      </div>
    </footer>
  );
}

export function Layout({ path, children }: { path: string; children: ComponentChildren }) {
  return (
    <div id="wrap">
      <SkipLink />
      <Masthead />
      <Header path={path} />
      <main id="main" tabIndex={-1}>
        <div class="inner page">{children}</div>
      </main>
      <Footer />
    </div>
  );
}
