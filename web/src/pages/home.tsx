import { useEffect } from 'preact/hooks';
import { Link } from '../router';
import { isDistrictAdmin, t, useAppState } from '../store';
import type { Key } from '../i18n';

const SOON = ['catalog', 'eligibility', 'sharing', 'outreach', 'giving', 'community'] as const;

export function Home() {
  const s = useAppState();
  useEffect(() => { document.title = t('app.title'); }, [s.lang]);
  return (
    <div class="home">
      <section class="hero" aria-labelledby="home-title">
        <p class="hero-eyebrow">{t('home.eyebrow')}</p>
        <h1 id="home-title" class="hero-title">
          <span class="hero-name">{t('app.name')}</span>
          <span class="hero-tagline">{t('app.tagline')}</span>
        </h1>
        <p class="hero-lead">{t('home.lead')}</p>
        {s.session === 'user' && s.me ? (
          <div class="hero-actions">
            <p class="hero-welcome">{t('home.welcome', { name: s.me.name })}</p>
            <Link href="/me" class="krds-btn primary xlarge">{t('home.cta.me')}</Link>
            {isDistrictAdmin(s.me) && <Link href="/admin" class="krds-btn secondary xlarge">{t('home.cta.admin')}</Link>}
          </div>
        ) : (
          <div class="hero-actions">
            <Link href="/signup" class="krds-btn primary xlarge">{t('home.cta.signup')}</Link>
            <Link href="/login" class="krds-btn secondary xlarge">{t('home.cta.login')}</Link>
          </div>
        )}
      </section>

      <section class="home-section" aria-labelledby="now-title">
        <h2 id="now-title" class="section-title">{t('home.now.title')}</h2>
        <ul class="card-grid">
          <li class="card card-link">
            <h3 class="card-title"><Link href={s.session === 'user' ? '/me' : '/signup'}>{t('home.now.account.title')}</Link></h3>
            <p class="card-text">{t('home.now.account.text')}</p>
          </li>
          <li class="card card-link">
            <h3 class="card-title"><Link href="/me">{t('home.now.me.title')}</Link></h3>
            <p class="card-text">{t('home.now.me.text')}</p>
          </li>
          <li class="card card-link">
            <h3 class="card-title"><Link href="/admin">{t('home.now.admin.title')}</Link></h3>
            <p class="card-text">{t('home.now.admin.text')}</p>
          </li>
        </ul>
      </section>

      <section class="home-section" aria-labelledby="soon-title">
        <h2 id="soon-title" class="section-title">{t('home.soon.title')}</h2>
        <p class="section-lead">{t('home.soon.text')}</p>
        <ul class="card-grid">
          {SOON.map((m) => (
            <li key={m} class="card card-soon">
              <span class="krds-badge soon-badge">{t('home.soon.badge')}</span>
              <h3 class="card-title">{t(`home.soon.${m}.title` as Key)}</h3>
              <p class="card-text">{t(`home.soon.${m}.text` as Key)}</p>
            </li>
          ))}
        </ul>
      </section>

      <section class="home-section help-box" aria-labelledby="help-title">
        <h2 id="help-title" class="section-title">{t('home.help.title')}</h2>
        <p>{t('home.help.text')}</p>
        <ul class="help-lines">
          <li><a href="tel:129" class="help-line"><strong>{t('home.help.129')}</strong><span>{t('home.help.129.text')}</span></a></li>
          <li><a href="tel:109" class="help-line"><strong>{t('home.help.109')}</strong><span>{t('home.help.109.text')}</span></a></li>
        </ul>
      </section>
    </div>
  );
}
