// The member's alerts and recommendations: 알림함 (/me/inbox), 알림 설정 (/me/alerts), 맞춤 추천
// (/me/recommendations), the panel on 마이페이지 that leads to them and the menu between them.
import { Fragment, type ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import {
  FEATURES, hourLabel, isoTime, refreshUnread, sentAt, setUnread,
  type AlertSettings, type Feedback, type Inbox, type InboxItem, type Interests, type Profile, type Recommendation, type Recommendations,
} from '../alerts';
import { label, loadVocabulary, type Term, type Vocabulary } from '../catalog';
import { ErrorSummary, fieldErrorMessage, problemToErrors, type FormError } from '../forms';
import { Loading, Page } from '../page';
import { Link } from '../router';
import { getState, t, tKey, useAppState } from '../store';
import type { Key } from '../i18n';

// ---- the frame: login, breadcrumb, the menu between the member's pages -------------------------
const SUB: { href: string; key: Key }[] = [
  { href: '/me', key: 'nav.me' },
  { href: '/me/inbox', key: 'inbox.title' },
  { href: '/me/alerts', key: 'alerts.title' },
  { href: '/me/recommendations', key: 'rec.title' },
  { href: '/me/privacy', key: 'privacy.title' },
];

// The unread count for a link: the digit is shown, the words are read out (unless the text next
// to the link says it already: `silent`).
export function UnreadBadge({ n, silent }: { n: number; silent?: boolean }) {
  if (n <= 0) return null;
  return (
    <>
      <span class="count-badge" aria-hidden="true">{n > 99 ? '99+' : n}</span>
      {!silent && <span class="sr-only"> ({t('nav.unread', { n })})</span>}
    </>
  );
}

function SubNav({ path }: { path: string }) {
  const s = useAppState();
  return (
    <nav class="me-subnav" aria-label={t('me.sub.label')}>
      <ul>
        {SUB.map((x) => (
          <li key={x.href}>
            <Link href={x.href} class="me-subnav-link" aria-current={x.href === path ? 'page' : undefined}>
              {t(x.key)}
              {x.href === '/me/inbox' && <UnreadBadge n={s.unread} />}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function MemberFrame({ title, lead, path, children }: { title: string; lead?: string; path: string; children: () => ComponentChildren }) {
  const s = useAppState();
  const crumbs = [{ href: '/me', label: t('nav.me') }, { label: title }];
  if (s.session === 'unknown') return <Page title={title} crumbs={crumbs}><Loading /></Page>;
  if (s.session === 'anon' || !s.me) {
    return (
      <Page title={title} crumbs={crumbs}>
        <div class="notice-box" role="status"><p>{t('me.needLogin')}</p></div>
        <div class="button-row">
          <Link href={`/login?next=${encodeURIComponent(path)}`} class="krds-btn primary large">{t('nav.login')}</Link>
          <Link href="/signup" class="krds-btn secondary large">{t('nav.signup')}</Link>
        </div>
      </Page>
    );
  }
  return (
    <Page title={title} lead={lead} crumbs={crumbs}>
      <SubNav path={path} />
      {children()}
    </Page>
  );
}

// ---- 마이페이지: where the three pages start ------------------------------------------------------
export function MyAlertsPanel() {
  const s = useAppState();
  const [settings, setSettings] = useState<AlertSettings | null>(null);
  useEffect(() => {
    refreshUnread();
    api<AlertSettings>('GET', '/api/v1/me/alerts').then(setSettings).catch(() => setSettings(null));
  }, []);
  return (
    <section class="panel me-alerts" aria-labelledby="me-alerts-title">
      <h2 id="me-alerts-title" class="panel-title">{t('me.alerts.title')}</h2>
      <ul class="me-links">
        <li class="me-link">
          <Link href="/me/inbox" class="me-link-title">{t('inbox.title')}<UnreadBadge n={s.unread} silent /></Link>
          <p class="me-link-text">
            {s.unread > 0 ? <strong class="me-unread">{t('me.alerts.unread', { n: s.unread })}</strong> : t('me.alerts.noUnread')}
            {' '}{t('me.alerts.inbox.text')}
          </p>
        </li>
        <li class="me-link">
          <Link href="/me/alerts" class="me-link-title">{t('alerts.title')}</Link>
          <p class="me-link-text" data-field="alerts-state">
            {settings ? (settings.alerts_consent ? t('me.alerts.settings.on') : t('me.alerts.settings.off')) : t('alerts.lead')}
          </p>
        </li>
        <li class="me-link">
          <Link href="/me/recommendations" class="me-link-title">{t('rec.title')}</Link>
          <p class="me-link-text">{t('me.alerts.recs.text')}</p>
        </li>
      </ul>
    </section>
  );
}

// ---- 알림함 ---------------------------------------------------------------------------------------
export function InboxPage() {
  return <MemberFrame title={t('inbox.title')} lead={t('inbox.lead')} path="/me/inbox">{() => <InboxBody />}</MemberFrame>;
}

function InboxBody() {
  const s = useAppState();
  const [inbox, setInbox] = useState<Inbox | null>(null);
  const [consent, setConsent] = useState<boolean | null>(null);
  const [open, setOpen] = useState<string[]>([]);
  const [errors, setErrors] = useState<FormError[]>([]);
  useEffect(() => {
    api<Inbox>('GET', '/api/v1/me/inbox').then((r) => {
      const items = [...(r.items || [])].sort((a, b) => b.created_at - a.created_at || Number(b.id) - Number(a.id));
      const unread = typeof r.unread === 'number' ? r.unread : items.filter((x) => !x.read).length;
      setInbox({ items, unread });
    }).catch((e) => { setInbox({ items: [], unread: 0 }); setErrors(problemToErrors(e, [])); });
    api<AlertSettings>('GET', '/api/v1/me/alerts').then((a) => setConsent(a.alerts_consent)).catch(() => setConsent(null));
  }, []);

  // The header badge follows the count shown here.
  useEffect(() => { if (inbox) setUnread(inbox.unread); }, [inbox?.unread]);

  async function toggle(item: InboxItem) {
    const id = String(item.id);
    const opening = !open.includes(id);
    setOpen(opening ? [...open, id] : open.filter((x) => x !== id));
    if (!opening || item.read || !inbox) return;
    // Shown as read at once; put back if the server says no.
    const mark = (read: boolean) => setInbox((cur) => {
      if (!cur) return cur;
      const items = cur.items.map((x) => (String(x.id) === id ? { ...x, read } : x));
      return { items, unread: items.filter((x) => !x.read).length };
    });
    mark(true);
    try {
      await api('POST', `/api/v1/me/inbox/${encodeURIComponent(id)}/read`);
    } catch (e) {
      mark(false);
      setErrors(problemToErrors(e, []));
    }
  }

  if (!inbox) return <Loading />;
  const ko = s.lang === 'ko';
  return (
    <section class="inbox" aria-labelledby="inbox-list-title">
      <ErrorSummary errors={errors} idPrefix="inbox" />
      <h2 id="inbox-list-title" class="section-title">{t('inbox.list')}</h2>
      <p class="inbox-count" aria-live="polite" data-field="inbox-count">
        {t('inbox.count', { total: inbox.items.length, n: inbox.unread })}
      </p>
      {!ko && inbox.items.length > 0 && <p class="inbox-lang-note">{t('inbox.koNote')}</p>}
      {inbox.items.length === 0 ? (
        <div class="notice-box inbox-empty">
          <p><strong>{t('inbox.empty')}</strong></p>
          <p>{consent === false ? t('inbox.empty.off') : t('inbox.empty.on')}</p>
          <div class="button-row"><Link href="/me/alerts" class="krds-btn secondary medium">{t('inbox.goSettings')}</Link></div>
        </div>
      ) : (
        <ul class="inbox-list">
          {inbox.items.map((m) => {
            const id = String(m.id);
            const isOpen = open.includes(id);
            return (
              <li key={id} class={`inbox-item${m.read ? '' : ' is-unread'}${isOpen ? ' is-open' : ''}`} data-id={id}>
                <h3 class="inbox-item-head">
                  <button type="button" class="inbox-toggle" id={`inbox-btn-${id}`} aria-expanded={isOpen} aria-controls={`inbox-body-${id}`}
                    onClick={() => toggle(m)}>
                    <span class="inbox-item-title" lang="ko">{m.title}</span>
                    <span class="inbox-item-meta">
                      {!m.read && <span class="inbox-new">{t('inbox.new')}</span>}
                      <time dateTime={isoTime(m.created_at)}>{sentAt(m.created_at)}</time>
                      {m.read && <span class="inbox-read">{t('inbox.read')}</span>}
                    </span>
                  </button>
                </h3>
                <div class="inbox-body" id={`inbox-body-${id}`} hidden={!isOpen}>
                  <MessageText text={m.body} />
                  {m.kind === 'checkin_escalation' ? (
                    // A check-in escalation for the staff who must act: where to act, nothing about benefits.
                    <div class="button-row inbox-actions">
                      <Link href="/staff/checkins" class="krds-btn primary medium">{t('inbox.goCheckins')}</Link>
                    </div>
                  ) : m.kind === 'privacy' ? (
                    // The decision on a request about the resident's own data (열람·정정·삭제·처리정지).
                    <div class="button-row inbox-actions">
                      <Link href="/me/privacy" class="krds-btn secondary medium">{t('privacy.title')}</Link>
                    </div>
                  ) : (
                    <>
                      <p class="inbox-note">{t('inbox.notDecision')}</p>
                      <p class="inbox-note">{t('inbox.apply')}</p>
                      <div class="button-row inbox-actions">
                        <Link href="/eligibility" class="krds-btn secondary medium">{t('inbox.goElig')}</Link>
                        <Link href="/me/recommendations" class="krds-btn tertiary medium">{t('inbox.goRecs')}</Link>
                      </div>
                    </>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

// The message body is plain text from the server: rendered as text (never as HTML), one block per
// line so that the line breaks stay and a wrapped line hangs under its bullet ("•", "✔").
function MessageText({ text }: { text: string }) {
  const lines = (text || '').replace(/\s+$/, '').split(/\r?\n/);
  return (
    <div class="inbox-text" lang="ko">
      {lines.map((line, i) => {
        const m = /^(\s*)(([•✔✖·\-*])\s)?(.*)$/.exec(line)!;
        const cls = `inbox-line${m[1] ? ' is-sub' : ''}${m[3] ? ' has-mark' : ''}${line.trim() ? '' : ' is-blank'}`;
        return <Fragment key={i}>{i > 0 && '\n'}<span class={cls}>{line.trim()}</span></Fragment>;
      })}
    </div>
  );
}

// ---- 알림 설정 ------------------------------------------------------------------------------------
const HOURS = Array.from({ length: 24 }, (_, h) => h);
const ALERT_FIELDS = ['alerts_consent', 'email', 'sms', 'quiet_start', 'quiet_end'];

function alertErrors(e: unknown): FormError[] {
  if (e instanceof ApiError && e.status === 422 && e.problem.errors?.length) {
    return e.problem.errors.map((fe) => ALERT_FIELDS.includes(fe.field)
      ? { field: fe.field, message: t(`alerts.err.${fe.field}` as Key) }
      : { field: null, message: tKey(`alerts.err.${fe.field}`) ?? fieldErrorMessage(fe) });
  }
  return problemToErrors(e, []);
}
function errorOf(errors: FormError[], field: string): string | undefined {
  const list = errors.filter((e) => e.field === field).map((e) => e.message);
  return list.length ? list.join(' ') : undefined;
}

export function AlertSettingsPage() {
  return <MemberFrame title={t('alerts.title')} lead={t('alerts.lead')} path="/me/alerts">{() => <AlertSettingsBody />}</MemberFrame>;
}

interface AlertForm { consent: boolean; email: boolean; sms: boolean; quiet_start: number; quiet_end: number }

function AlertSettingsBody() {
  const s = useAppState();
  const [settings, setSettings] = useState<AlertSettings | null>(null);
  const [form, setForm] = useState<AlertForm | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const statusRef = useRef<HTMLParagraphElement>(null);
  function load() {
    return api<AlertSettings>('GET', '/api/v1/me/alerts').then((a) => {
      setSettings(a);
      setForm({ consent: a.alerts_consent, email: a.email, sms: a.sms, quiet_start: a.quiet_start, quiet_end: a.quiet_end });
      return a;
    });
  }
  useEffect(() => { load().catch((e) => setErrors(problemToErrors(e, []))); }, []);
  useEffect(() => { if (status) statusRef.current?.focus(); }, [status]);

  if (!settings || !form) return errors.length ? <ErrorSummary errors={errors} idPrefix="alerts" /> : <Loading />;
  const set = (patch: Partial<AlertForm>) => { setForm({ ...form, ...patch }); setStatus(''); };

  async function submit(e: Event) {
    e.preventDefault();
    if (!form || !settings) return;
    setBusy(true); setErrors([]); setStatus('');
    const body: Record<string, unknown> = { quiet_start: form.quiet_start, quiet_end: form.quiet_end };
    if (settings.email_available) body.email = form.email;
    if (settings.sms_available) body.sms = form.sms;
    try {
      await api('PUT', '/api/v1/me/alerts', body);
      if (form.consent !== settings.alerts_consent) await api('PUT', '/api/v1/me/eligibility', { alerts_consent: form.consent });
      const now = await load();
      setStatus(now.alerts_consent && !now.has_household ? t('alerts.saved.noHousehold') : t('alerts.saved'));
    } catch (err) {
      setErrors(alertErrors(err));
    } finally {
      setBusy(false);
    }
  }

  const me = s.me;
  const channelHint = (ch: 'email' | 'sms'): string => {
    const to = ch === 'email' ? me?.email : me?.phone;
    if (!to) return t(`alerts.channel.${ch}.noAddress` as Key);
    if (!settings[`${ch}_available` as 'email_available']) return t(`alerts.channel.${ch}.off` as Key);
    return t(`alerts.channel.${ch}.to` as Key, { to });
  };
  const quietError = { start: errorOf(errors, 'quiet_start'), end: errorOf(errors, 'quiet_end') };
  const consentError = errorOf(errors, 'alerts_consent');
  return (
    <>
      {!settings.has_household && (
        <div class="notice-box notice-warning alerts-household" role="note" aria-labelledby="alerts-household-title">
          <h2 class="alerts-notice-title" id="alerts-household-title">{t('alerts.noHousehold.title')}</h2>
          <p>{t('alerts.noHousehold')}</p>
          <div class="button-row"><Link href="/eligibility" class="krds-btn secondary medium">{t('alerts.noHousehold.link')}</Link></div>
        </div>
      )}
      <form class="alerts-form" noValidate onSubmit={submit}>
        <ErrorSummary errors={errors} idPrefix="alerts" />
        <p class={`status-message${status ? ' is-visible' : ''}`} role="status" tabIndex={-1} ref={statusRef}>{status}</p>

        <section class="alerts-section" aria-labelledby="alerts-consent-title">
          <h2 class="alerts-section-title" id="alerts-consent-title">{t('alerts.consent.title')}</h2>
          <div class="alerts-explain">
            <p id="alerts-consent-what">{t('alerts.consent.what')}</p>
            <p id="alerts-consent-privacy">{t('alerts.consent.privacy')}</p>
            <p id="alerts-consent-stop">{t('alerts.consent.stop')}</p>
          </div>
          {consentError && <p class="form-hint-invalid alerts-error" id="alerts-alerts_consent-error">{consentError}</p>}
          <div class={`krds-form-toggle-switch alerts-switch${form.consent ? ' is-on' : ''}`}>
            <input type="checkbox" role="switch" id="alerts-alerts_consent" checked={form.consent}
              aria-describedby={`alerts-consent-what alerts-consent-privacy${consentError ? ' alerts-alerts_consent-error' : ''}`}
              aria-invalid={consentError ? 'true' : undefined}
              onChange={(e) => set({ consent: (e.target as HTMLInputElement).checked })} />
            <label for="alerts-alerts_consent">
              <span class="switch-toggle"><i></i></span>
              <span class="alerts-switch-label">{t('alerts.consent.label')}</span>
              <span class="alerts-switch-state" aria-hidden="true">{form.consent ? t('alerts.consent.on') : t('alerts.consent.off')}</span>
            </label>
          </div>
        </section>

        <div class="alerts-section">
        <fieldset class="alerts-fieldset" aria-describedby="alerts-channels-hint">
          <legend><h2 class="alerts-section-title">{t('alerts.channels.title')}</h2></legend>
          <p class="alerts-hint" id="alerts-channels-hint">{t('alerts.channels.hint')}</p>
          <ul class="alerts-channels">
            <li class="alerts-channel is-always">
              <div class="krds-form-check medium">
                <input type="checkbox" id="alerts-app" checked disabled aria-describedby="alerts-app-hint" />
                <label for="alerts-app">{t('alerts.channel.app')}</label>
              </div>
              <p class="alerts-channel-hint" id="alerts-app-hint">{t('alerts.channel.app.hint')}</p>
            </li>
            {(['email', 'sms'] as const).map((ch) => {
              const available = settings[`${ch}_available`];
              const err = errorOf(errors, ch);
              return (
                <li class={`alerts-channel${available ? '' : ' is-unavailable'}`} key={ch}>
                  {err && <p class="form-hint-invalid alerts-error" id={`alerts-${ch}-error`}>{err}</p>}
                  <div class="krds-form-check medium">
                    <input type="checkbox" id={`alerts-${ch}`} checked={available && form[ch]} disabled={!available}
                      aria-describedby={`alerts-${ch}-hint${err ? ` alerts-${ch}-error` : ''}`} aria-invalid={err ? 'true' : undefined}
                      onChange={(e) => set({ [ch]: (e.target as HTMLInputElement).checked } as Partial<AlertForm>)} />
                    <label for={`alerts-${ch}`}>{t(`alerts.channel.${ch}` as Key)}</label>
                  </div>
                  <p class="alerts-channel-hint" id={`alerts-${ch}-hint`}>{channelHint(ch)}</p>
                </li>
              );
            })}
          </ul>
        </fieldset>
        </div>

        <div class="alerts-section">
        <fieldset class="alerts-fieldset" aria-describedby="alerts-quiet-hint">
          <legend><h2 class="alerts-section-title">{t('alerts.quiet.title')}</h2></legend>
          <p class="alerts-hint" id="alerts-quiet-hint">{t('alerts.quiet.hint')}</p>
          <div class="alerts-quiet-row">
            {(['start', 'end'] as const).map((k) => {
              const field = `quiet_${k}` as 'quiet_start' | 'quiet_end';
              const err = quietError[k];
              return (
                <div class={`form-group alerts-quiet-field${err ? ' is-error' : ''}`} key={k}>
                  <div class="form-tit"><label for={`alerts-${field}`}>{t(`alerts.quiet.${k}` as Key)}</label></div>
                  {err && <p class="form-hint-invalid" id={`alerts-${field}-error`}>{err}</p>}
                  <div class={`form-conts${err ? ' is-error' : ''}`}>
                    <select class="krds-form-select completed" id={`alerts-${field}`} value={String(form[field])}
                      aria-invalid={err ? 'true' : undefined} aria-describedby={err ? `alerts-${field}-error` : undefined}
                      onChange={(e) => set({ [field]: Number((e.target as HTMLSelectElement).value) } as Partial<AlertForm>)}>
                      {HOURS.map((h) => <option key={h} value={String(h)}>{hourLabel(h)}</option>)}
                    </select>
                  </div>
                </div>
              );
            })}
          </div>
          <p class="alerts-quiet-summary" aria-live="polite" data-field="quiet-summary">
            {form.quiet_start === form.quiet_end
              ? t('alerts.quiet.none')
              : t('alerts.quiet.summary', { start: hourLabel(form.quiet_start), end: hourLabel(form.quiet_end) })}
          </p>
        </fieldset>
        </div>

        <div class="form-actions">
          <button type="submit" class="krds-btn primary large btn-block-mobile" disabled={busy} aria-busy={busy ? 'true' : undefined}>
            {busy ? t('alerts.saving') : t('alerts.save')}
          </button>
        </div>
      </form>
    </>
  );
}

// ---- 맞춤 추천 ------------------------------------------------------------------------------------
export function RecommendationsPage() {
  return <MemberFrame title={t('rec.title')} lead={t('rec.lead')} path="/me/recommendations">{() => <RecommendationsBody />}</MemberFrame>;
}

const FIRST = 6; // recommendations shown before "더 보기"

function sendFeedback(service_id: string, action: Feedback) {
  return api('POST', '/api/v1/me/recommendations/feedback', { service_id, action });
}

function RecommendationsBody() {
  const s = useAppState();
  const [recs, setRecs] = useState<Recommendations | null>(null);
  const [profile, setProfile] = useState<Profile | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [status, setStatus] = useState('');
  const [all, setAll] = useState(false);
  const listTitle = useRef<HTMLHeadingElement>(null);
  function loadRecs() {
    return api<Recommendations>('GET', '/api/v1/me/recommendations').then(setRecs);
  }
  useEffect(() => {
    loadRecs().catch((e) => { setRecs({ items: [], model: {} }); setErrors(problemToErrors(e, [])); });
    api<Profile>('GET', '/api/v1/me/eligibility').then(setProfile).catch(() => setProfile({ alerts_consent: false, interests: {}, household: null }));
  }, []);

  async function act(r: Recommendation, action: 'applied' | 'dismissed') {
    setErrors([]); setStatus('');
    try {
      await sendFeedback(r.service_id, action);
    } catch (e) { setErrors(problemToErrors(e, [])); return; }
    if (!recs) return;
    if (action === 'applied') {
      setRecs({ ...recs, items: recs.items.map((x) => (x.service_id === r.service_id ? { ...x, applied: true } : x)) });
      setStatus(t('rec.applied.done', { name: r.name }));
      return;
    }
    // The item goes; focus moves to the next one (or the list's heading) so the keyboard is not lost.
    const i = recs.items.findIndex((x) => x.service_id === r.service_id);
    const items = recs.items.filter((x) => x.service_id !== r.service_id);
    setRecs({ ...recs, items });
    setStatus(t('rec.dismissed', { name: r.name }));
    const next = items[i] || items[i - 1];
    setTimeout(() => {
      const el = next ? document.querySelector<HTMLElement>(`[data-service-id="${CSS.escape(next.service_id)}"] .rec-name a`) : null;
      (el || listTitle.current)?.focus();
    }, 0);
  }

  const ko = s.lang === 'ko';
  const hasHousehold = !!profile?.household;
  return (
    <>
      <HowItWorks model={recs?.model} />
      {profile && !hasHousehold && (
        <div class="notice-box rec-household">
          <p>{t('rec.noHousehold')}</p>
          <div class="button-row"><Link href="/eligibility" class="krds-btn secondary medium">{t('rec.noHousehold.link')}</Link></div>
        </div>
      )}
      <section class="rec-section" aria-labelledby="rec-list-title">
        <div class="rec-list-head">
          <h2 class="section-title" id="rec-list-title" ref={listTitle} tabIndex={-1}>
            {t('rec.list.title')}
            {recs && <span class="rec-count">{t('rec.count', { n: recs.items.length })}</span>}
          </h2>
          <a href="#rec-interests-title" class="text-link rec-jump" onClick={(e) => {
            e.preventDefault();
            const el = document.getElementById('rec-interests-title');
            if (el) { el.focus(); el.scrollIntoView(); }
          }}>{t('rec.toInterests')}</a>
        </div>
        <ErrorSummary errors={errors} idPrefix="rec" />
        <p class={`status-message${status ? ' is-visible' : ''}`} role="status">{status}</p>
        {!recs ? <Loading /> : recs.items.length === 0 ? <p class="rec-empty">{t('rec.empty')}</p> : (
          <ul class="rec-list" id="rec-list">
            {(all ? recs.items : recs.items.slice(0, FIRST)).map((r) => {
              const why = (ko ? r.why_ko : r.why_en?.length ? r.why_en : r.why_ko) || [];
              const whyId = `rec-why-${r.service_id}`;
              return (
                <li key={r.service_id} class={`rec-card${r.applied ? ' is-applied' : ''}`} data-service-id={r.service_id}>
                  <h3 class="rec-name">
                    <Link href={`/services/${encodeURIComponent(r.service_id)}`} class="text-link" lang="ko"
                      onClick={() => { sendFeedback(r.service_id, 'viewed').catch(() => { /* a missed view only teaches the model less */ }); }}>
                      {r.name}
                    </Link>
                    {r.applied && <span class="rec-applied-badge">{t('rec.appliedBadge')}</span>}
                  </h3>
                  {why.length > 0 && (
                    <>
                      <p class="rec-why-title" id={whyId}>{t('rec.why')}</p>
                      <ul class="rec-why" aria-labelledby={whyId}>
                        {why.map((w, i) => <li key={i}><span class="rec-why-mark" aria-hidden="true">✔</span>{w}</li>)}
                      </ul>
                    </>
                  )}
                  <div class="button-row rec-actions">
                    <button type="button" class="krds-btn secondary medium rec-applied" aria-disabled={r.applied ? 'true' : undefined}
                      onClick={() => { if (!r.applied) act(r, 'applied'); }}>
                      {t('rec.applied')}<span class="sr-only"> ({r.name})</span>
                    </button>
                    <button type="button" class="krds-btn tertiary medium rec-dismiss" onClick={() => act(r, 'dismissed')}>
                      {t('rec.dismiss')}<span class="sr-only"> ({r.name})</span>
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
        {recs && recs.items.length > FIRST && (
          <div class="button-row rec-more">
            <button type="button" class="krds-btn secondary medium" aria-expanded={all} aria-controls="rec-list" onClick={() => {
              setAll(!all);
              // Showing more: go on at the first item that was hidden.
              if (!all) setTimeout(() => document.querySelector<HTMLElement>(`#rec-list > li:nth-child(${FIRST + 1}) .rec-name a`)?.focus(), 0);
            }}>
              {all ? t('rec.less') : t('rec.more', { n: recs.items.length - FIRST })}
            </button>
          </div>
        )}
      </section>
      {profile && <InterestsForm profile={profile} onSaved={async (p) => { setProfile(p); setStatus(''); await loadRecs().catch(() => { /* shown on reload */ }); }} />}
    </>
  );
}

function HowItWorks({ model }: { model?: Record<string, number> }) {
  const names = model ? [...FEATURES.filter((f) => f in model), ...Object.keys(model).filter((f) => !FEATURES.includes(f))] : [];
  const fmt = (w: number) => (w > 0 ? '+' : w < 0 ? '−' : '') + Math.abs(w).toLocaleString(getState().lang === 'ko' ? 'ko-KR' : 'en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return (
    <details class="elig-details rec-how">
      <summary class="elig-summary">{t('rec.how')}</summary>
      <div class="elig-details-body">
        <p>{t('rec.how.text')}</p>
        <p>{t('rec.how.learn')}</p>
        {names.length > 0 && (
          <table class="rec-weights">
            <caption>{t('rec.how.table')}</caption>
            <thead><tr><th scope="col">{t('rec.how.feature')}</th><th scope="col">{t('rec.how.weight')}</th></tr></thead>
            <tbody>
              {names.map((f) => (
                <tr key={f}><th scope="row">{tKey(`rec.feature.${f}`) ?? f}</th><td>{fmt(model![f])}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </details>
  );
}

function InterestsForm({ profile, onSaved }: { profile: Profile; onSaved: (p: Profile) => Promise<void> }) {
  useAppState();
  const [vocab, setVocab] = useState<Vocabulary | null>(null);
  const [topics, setTopics] = useState<string[]>(profile.interests?.topics || []);
  const [stages, setStages] = useState<string[]>(profile.interests?.life_stages || []);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const statusRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => { loadVocabulary().then(setVocab).catch((e) => setErrors(problemToErrors(e, []))); }, []);
  useEffect(() => { if (status) statusRef.current?.focus(); }, [status]);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true); setErrors([]); setStatus('');
    const interests: Interests = { ...(profile.interests || {}), topics, life_stages: stages };
    try {
      await api('PUT', '/api/v1/me/eligibility', { interests });
      await onSaved({ ...profile, interests });
      setStatus(t('rec.interests.saved'));
    } catch (err) {
      const list = err instanceof ApiError && err.status === 422 && err.problem.errors?.some((x) => x.field.startsWith('interests'))
        ? [{ field: 'topics', message: t('rec.err.interests') }] : problemToErrors(err, []);
      setErrors(list);
    } finally {
      setBusy(false);
    }
  }

  const group = (name: 'topics' | 'stages', terms: Term[], chosen: string[], setChosen: (v: string[]) => void) => (
    <fieldset class="alerts-fieldset rec-group" aria-describedby={`rec-${name}-hint`}>
      <legend><h3 class="rec-group-title">{t(name === 'topics' ? 'rec.topics' : 'rec.stages')}</h3></legend>
      <p class="alerts-hint" id={`rec-${name}-hint`}>{t(name === 'topics' ? 'rec.topics.hint' : 'rec.stages.hint')}</p>
      <div class="rec-checks">
        {terms.map((term, i) => {
          const id = i === 0 ? `interests-${name}` : `interests-${name}-${term.code}`;
          return (
            <div class="krds-form-check medium rec-check" key={term.code}>
              <input type="checkbox" id={id} value={term.code} checked={chosen.includes(term.code)}
                onChange={(e) => {
                  const on = (e.target as HTMLInputElement).checked;
                  setChosen(on ? [...chosen.filter((c) => c !== term.code), term.code] : chosen.filter((c) => c !== term.code));
                  setStatus('');
                }} />
              <label for={id}>{label(term)}</label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );

  return (
    <section class="rec-section rec-interests" aria-labelledby="rec-interests-title">
      <h2 class="section-title" id="rec-interests-title" tabIndex={-1}>{t('rec.interests.title')}</h2>
      <p class="section-lead">{t('rec.interests.lead')}</p>
      <form noValidate onSubmit={submit}>
        <ErrorSummary errors={errors} idPrefix="interests" />
        <p class={`status-message${status ? ' is-visible' : ''}`} role="status" tabIndex={-1} ref={statusRef}>{status}</p>
        {!vocab ? <Loading /> : (
          <>
            {group('topics', vocab.topic, topics, setTopics)}
            {group('stages', vocab.life_stage, stages, setStages)}
          </>
        )}
        <div class="form-actions">
          <button type="submit" class="krds-btn primary large btn-block-mobile" disabled={busy || !vocab} aria-busy={busy ? 'true' : undefined}>
            {busy ? t('rec.interests.saving') : t('rec.interests.save')}
          </button>
        </div>
      </form>
    </section>
  );
}
