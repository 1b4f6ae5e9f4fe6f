// 마이페이지 "동의 내역": what the resident agreed to (which text, which version, when), each
// optional consent withdrawable here (the withdrawal is recorded and what rested on it stops),
// and every act, oldest first. Required consents are withdrawn by leaving (회원 탈퇴).
import { useEffect, useRef, useState } from 'preact/hooks';
import { consentTitle, loadMyConsents, withdrawConsent, type ConsentAct, type MyConsent } from '../consents';
import { ErrorSummary, problemToErrors, type FormError } from '../forms';
import { Loading } from '../page';
import { Link } from '../router';
import { getState, t } from '../store';

function day(unix: number | null | undefined): string {
  if (!unix) return '';
  return new Date(unix * 1000).toLocaleDateString(getState().lang === 'ko' ? 'ko-KR' : 'en-GB',
    { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'Asia/Seoul' });
}

export function MyConsents() {
  const [data, setData] = useState<{ items: MyConsent[]; history: ConsentAct[] } | null>(null);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState('');
  const statusRef = useRef<HTMLParagraphElement>(null);
  const load = () => loadMyConsents().then(setData).catch((e) => setErrors(problemToErrors(e, [])));
  useEffect(() => { load(); }, []);

  async function withdraw(c: MyConsent) {
    if (busy) return;
    setBusy(c.kind);
    try {
      await withdrawConsent(c.kind);
      setErrors([]);
      setStatus(t('consent.withdrawDone', { title: consentTitle(c) }));
      setTimeout(() => statusRef.current?.focus(), 0);
      await load();
    } catch (e) {
      setErrors(problemToErrors(e, []));
    } finally { setBusy(''); }
  }

  return (
    <section class="panel my-consents" aria-labelledby="me-consents" data-field="my-consents">
      <h2 id="me-consents" class="panel-title">{t('consent.title')}</h2>
      <p>{t('consent.lead')}</p>
      <ErrorSummary errors={errors} idPrefix="consents" />
      <p class={`status-message${status ? ' is-visible' : ''}`} role="status" tabIndex={-1} ref={statusRef}>{status}</p>
      {!data ? <Loading /> : data.items.length === 0 ? <p>{t('consent.none')}</p> : (
        <ul class="consent-list">
          {data.items.map((c) => (
            <li key={c.kind} class="consent-item" data-consent={c.kind} data-given={c.given ? 'yes' : 'no'}>
              <strong class="consent-name">{consentTitle(c)}</strong>
              <span class="consent-state">
                {c.given ? t('consent.given', { date: day(c.changed_at) }) : t('consent.withdrawn', { date: day(c.changed_at) })}
                {' · '}{t('consent.version', { v: c.version })}
              </span>
              {c.given && c.current_version && c.current_version !== c.version && <span class="form-hint">{t('consent.outdated', { v: c.current_version })}</span>}
              {c.given && c.withdraw === 'any_time' && (
                <button type="button" class="krds-btn secondary small" disabled={busy === c.kind} aria-busy={busy === c.kind ? 'true' : undefined}
                  onClick={() => withdraw(c)}>
                  {t('consent.withdraw')}<span class="sr-only"> ({consentTitle(c)})</span>
                </button>
              )}
              {c.given && c.required && (
                <span class="form-hint">{t('consent.requiredNote')} <Link href="/me/privacy" class="text-link">{t('consent.leave')}</Link></span>
              )}
            </li>
          ))}
        </ul>
      )}
      {data && data.history.length > 0 && (
        <details class="consent-history">
          <summary>{t('consent.history', { n: data.history.length })}</summary>
          <ol>
            {data.history.map((h, i) => (
              <li key={i}>{day(h.at)} · {consentTitle(data.items.find((x) => x.kind === h.kind) ?? { kind: h.kind })} · {t(`consent.act.${h.action}` as 'consent.act.given')} ({t(`consent.channel.${h.channel}` as 'consent.channel.me')}, {t('consent.version', { v: h.version })})</li>
            ))}
          </ol>
        </details>
      )}
    </section>
  );
}
