import { useEffect } from 'preact/hooks';
import { label, useVocabulary } from '../catalog';
import { Icon } from '../components/icons';
import { Link, navigate } from '../router';
import { isDistrictAdmin, t, useAppState } from '../store';
import type { Key } from '../i18n';
import { SearchBox, SUGGESTED } from '../components/search-box';
import { EligibilityCallout } from '../components/eligibility-callout';
import { FEATURES } from '../features';

const STAGES = ['pregnancy_birth', 'infant', 'child', 'youth', 'young_adult', 'middle_age', 'senior'] as const;
const TOPICS = ['livelihood', 'housing', 'employment', 'physical_health', 'mental_health', 'childcare', 'care', 'finance', 'energy', 'safety_crisis'];

// What the site offers today, each a working page; feature modules add theirs (Feature.home).
const NOW: [string, string][] = [
  ['/services', 'services'], ['/eligibility', 'eligibility'], ['/facilities', 'facilities'],
  ['/report', 'report'], ['/map', 'atlas'], ['/news', 'news'],
];

export function Home() {
  const s = useAppState();
  const vocab = useVocabulary();
  useEffect(() => { document.title = t('app.title'); }, [s.lang]);
  const topics = vocab ? TOPICS.map((c) => vocab.topic.find((x) => x.code === c)).filter(Boolean) : [];
  return (
    <div class="home">
      <section class="hero" aria-labelledby="home-title">
        <p class="hero-eyebrow">{t('home.eyebrow')}</p>
        <h1 id="home-title" class="hero-title">
          <span class="hero-name">{t('app.name')}</span>
          <span class="hero-tagline">{t('app.tagline')}</span>
        </h1>
        <p class="hero-lead">{t('home.lead')}</p>
        <div class="hero-search">
          <SearchBox id="home-q" initial="" big onSearch={(q) => navigate(q.trim() ? `/services?q=${encodeURIComponent(q.trim())}` : '/services')} />
          <p class="hero-popular">
            <span class="popular-label">{t('home.popular')}</span>
            {SUGGESTED.slice(0, 4).map((q) => (
              <Link key={q} href={`/services?q=${encodeURIComponent(q)}`} class="popular-link">{q}</Link>
            ))}
          </p>
        </div>
      </section>

      <EligibilityCallout />

      <section class="home-section" aria-labelledby="stage-title">
        <h2 id="stage-title" class="section-title">{t('home.stages.title')}</h2>
        <p class="section-lead">{t('home.stages.text')}</p>
        <ul class="stage-grid">
          {STAGES.map((code) => (
            <li key={code}>
              <Link href={`/services?life_stage=${code}`} class="stage-link">
                <Icon name={code} class="stage-icon" />
                <span class="stage-name">{t(`stage.${code}` as Key)}</span>
                <span class="stage-hint">{t(`stage.${code}.hint` as Key)}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      {topics.length > 0 && (
        <section class="home-section" aria-labelledby="topic-title">
          <h2 id="topic-title" class="section-title">{t('home.topics.title')}</h2>
          <ul class="topic-grid">
            {topics.map((tp) => (
              <li key={tp!.code}><Link href={`/services?topic=${tp!.code}`} class="topic-link">{label(tp)}</Link></li>
            ))}
          </ul>
        </section>
      )}

      <section class="home-section" aria-labelledby="now-title">
        <h2 id="now-title" class="section-title">{t('home.now.title')}</h2>
        <ul class="card-grid">
          {NOW.map(([href, key]) => (
            <li key={href} class="card card-link">
              <h3 class="card-title"><Link href={href}>{t(`home.now.${key}.title` as Key)}</Link></h3>
              <p class="card-text">{t(`home.now.${key}.text` as Key)}</p>
            </li>
          ))}
          {FEATURES.filter((f) => f.home).map((f) => (
            <li key={f.name} class="card card-link">
              <h3 class="card-title"><Link href={f.home!.href}>{f.home!.title()}</Link></h3>
              <p class="card-text">{f.home!.text()}</p>
            </li>
          ))}
          <li class="card card-link">
            <h3 class="card-title"><Link href={s.session === 'user' ? '/me' : '/signup'}>{t(s.session === 'user' ? 'home.now.me.title' : 'home.now.account.title')}</Link></h3>
            <p class="card-text">{t(s.session === 'user' ? 'home.now.me.text' : 'home.now.account.text')}</p>
          </li>
        </ul>
        {s.session === 'user' && s.me ? (
          <div class="hero-actions home-account">
            <p class="hero-welcome">{t('home.welcome', { name: s.me.name })}</p>
            <Link href="/me" class="krds-btn secondary large">{t('home.cta.me')}</Link>
            {isDistrictAdmin(s.me) && <Link href="/admin" class="krds-btn secondary large">{t('home.cta.admin')}</Link>}
          </div>
        ) : (
          <div class="hero-actions home-account">
            <Link href="/signup" class="krds-btn secondary large">{t('home.cta.signup')}</Link>
            <Link href="/login" class="krds-btn tertiary large">{t('home.cta.login')}</Link>
          </div>
        )}
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
