// Community pages (src/community): events, an event with registration, the member's own
// registrations, public draws, meeting spaces, and the organizers' event desk.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import { Loading, Page } from '../../page';
import { Link } from '../../router';
import { useAppState } from '../../store';
import type { Feature } from '../index';
import { ct, statusText, when } from './texts';
import { DeskPage, StaffCommunityPage } from './staff';
import { SpacePage } from './space';
import { AcademyPage, CourseSheetPage } from './academy';
import { MarketPage, MarketReviewPage, MyMarketPage } from './market';

interface Ev {
  id: number; title: string; summary: string; mode: string; place: string; eligibility: string;
  starts_at: number; ends_at: number; closes_at: number; capacity: number; places_left: number;
  waitlist: boolean; waitlisted: number; allocation: string; status: string;
}
interface Reg { id: number; event_id: number; event_title: string | null; starts_at: number | null; status: string; position: number; offer_expires_at: number | null; entry_code: string | null; attendance: string }

function useLoad<T>(path: string | null, deps: unknown[] = []): [T | null, string | null, () => void] {
  const [data, setData] = useState<T | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    if (!path) return;
    api<T>('GET', path).then(setData, (e) => setErr(e instanceof ApiError ? `${e.status} ${e.problem.detail || e.problem.title || ''}` : String(e)));
  }, [path, n, ...deps]);
  return [data, err, () => setN(n + 1)];
}

function Problem({ text }: { text: string | null }) {
  return text ? <div class="notice-box" role="alert"><p>{ct('error')}: {text}</p></div> : null;
}

function EventsPage() {
  useAppState();
  const [data, err] = useLoad<{ items: Ev[] }>('/api/v1/community/events');
  return (
    <Page title={ct('events')} lead={ct('eventsLead')}>
      <Problem text={err} />
      {!data && !err && <Loading />}
      {data && (data.items.length === 0 ? <p>{ct('none')}</p> : (
        <ul class="card-list">
          {data.items.map((e) => (
            <li key={e.id} class="panel">
              <h2 class="panel-title"><Link href={`/events/${e.id}`}>{e.title}</Link></h2>
              <p>{when(e.starts_at)} · {ct(e.mode as 'online')} · {e.status === 'open' ? `${ct('left')} ${e.places_left} / ${e.capacity}` : statusText('event_cancelled')}</p>
            </li>
          ))}
        </ul>
      ))}
      <p><Link href="/me/events">{ct('mine')}</Link> · <Link href="/academy">{ct('academy')}</Link> · <Link href="/market">{ct('market')}</Link> · <Link href="/spaces">{ct('spaces')}</Link></p>
    </Page>
  );
}

function EventPage({ id }: { id: string }) {
  const s = useAppState();
  const [e, err, reload] = useLoad<Ev>(`/api/v1/community/events/${encodeURIComponent(id)}`);
  const [msg, setMsg] = useState<string | null>(null);
  const [fail, setFail] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  async function register(ev: Event) {
    ev.preventDefault();
    try {
      const r = await api<Reg>('POST', `/api/v1/community/events/${encodeURIComponent(id)}/registrations`, name || phone ? { name, phone } : {});
      setMsg(`${ct('registered')}: ${statusText(r.status)} (${ct('position')} ${r.position})`);
      setFail(null);
      reload();
    } catch (x) {
      setFail(x instanceof ApiError ? (x.problem.errors || []).map((f) => `${f.field}: ${f.message}`).join(' ') || x.problem.detail || x.problem.title || '' : String(x));
    }
  }
  if (err) return <Page title={ct('events')}><Problem text={err} /></Page>;
  if (!e) return <Page title={ct('events')}><Loading /></Page>;
  const open = e.status === 'open' && Date.now() / 1000 < e.closes_at;
  return (
    <Page title={e.title} crumbs={[{ href: '/events', label: ct('events') }, { label: e.title }]}>
      <section class="panel">
        <p class="prose">{e.summary}</p>
        <dl class="info-list">
          <dt>{ct('when')}</dt><dd>{when(e.starts_at)}</dd>
          <dt>{ct('where')}</dt><dd>{e.place || '-'}</dd>
          <dt>{ct('mode')}</dt><dd>{ct(e.mode as 'online')}</dd>
          <dt>{ct('capacity')}</dt><dd>{e.capacity} ({ct('left')} {e.places_left}{e.waitlist ? `, ${ct('waitlisted')} ${e.waitlisted}` : ''})</dd>
          <dt>{ct('closes')}</dt><dd>{when(e.closes_at)}</dd>
          <dt>{ct('status')}</dt><dd>{e.status !== 'open' ? statusText('event_cancelled') : e.allocation === 'draw' ? ct('allocationDraw') : `${ct('left')} ${e.places_left}`}</dd>
        </dl>
      </section>
      {open && (s.session === 'user' ? (
        <form class="panel" noValidate onSubmit={register} aria-labelledby="reg-title">
          <h2 class="panel-title" id="reg-title">{ct('register')}</h2>
          {e.places_left === 0 && e.allocation !== 'draw' && <p>{ct('full')}</p>}
          <label class="krds-form-label" for="reg-name">{ct('name')}</label>
          <input id="reg-name" class="krds-input" value={name} maxLength={50} onInput={(x) => setName((x.target as HTMLInputElement).value)} />
          <label class="krds-form-label" for="reg-phone">{ct('phone')}</label>
          <input id="reg-phone" class="krds-input" inputMode="tel" value={phone} maxLength={20} onInput={(x) => setPhone((x.target as HTMLInputElement).value)} />
          <div class="button-row"><button type="submit" class="krds-btn primary large btn-block-mobile">{ct('register')}</button></div>
          {msg && <p role="status">{msg}</p>}
          {fail && <p role="alert" class="error-text">{fail}</p>}
        </form>
      ) : <p><Link href={`/login?next=/events/${e.id}`} class="krds-btn primary large">{ct('loginFirst')}</Link></p>)}
    </Page>
  );
}

function MyRegistrationsPage() {
  const s = useAppState();
  const [data, err, reload] = useLoad<{ items: Reg[] }>(s.session === 'user' ? '/api/v1/community/registrations/mine' : null);
  const act = async (r: Reg, what: 'cancel' | 'accept') => {
    const body = what === 'accept' ? { name: prompt(ct('name')) || '', phone: prompt(ct('phone')) || '' } : undefined;
    try { await api('POST', `/api/v1/community/registrations/${r.id}/${what}`, body); } catch { /* shown on reload */ }
    reload();
  };
  if (s.session !== 'user') return <Page title={ct('mine')}><p><Link href="/login?next=/me/events" class="krds-btn primary large">{ct('loginFirst')}</Link></p></Page>;
  return (
    <Page title={ct('mine')}>
      <Problem text={err} />
      {!data && !err && <Loading />}
      {data && (data.items.length === 0 ? <p>{ct('none')}</p> : (
        <ul class="card-list">
          {data.items.map((r) => (
            <li key={r.id} class="panel">
              <h2 class="panel-title"><Link href={`/events/${r.event_id}`}>{r.event_title}</Link></h2>
              <p>{statusText(r.status)} · {ct('position')} {r.position}{r.entry_code ? ` · ${ct('entryCode')} ${r.entry_code}` : ''}</p>
              {r.offer_expires_at && <p>{ct('offerUntil')}: {when(r.offer_expires_at)}</p>}
              {r.attendance && <p>{ct('attendance')}: {statusText(r.attendance)}</p>}
              <div class="button-row">
                {r.status === 'offered' && <button type="button" class="krds-btn primary" onClick={() => act(r, 'accept')}>{ct('accept')}</button>}
                {['confirmed', 'offered', 'waitlisted', 'applied'].includes(r.status) && <button type="button" class="krds-btn secondary" onClick={() => act(r, 'cancel')}>{ct('cancel')}</button>}
              </div>
            </li>
          ))}
        </ul>
      ))}
    </Page>
  );
}

interface DrawDoc {
  id: number; title: string; rule: string; legal_basis: string; seed_source: string; winner_count: number; entrant_count: number;
  list_hash: string; runs: { run_no: number; seed: string; reason: string; at: number; winners: { code: string; name: string }[] }[];
}

function DrawPage({ id }: { id: string }) {
  useAppState();
  const [d, err] = useLoad<DrawDoc>(`/api/v1/community/draws/${encodeURIComponent(id)}`);
  if (err) return <Page title={ct('draw')}><Problem text={err} /></Page>;
  if (!d) return <Page title={ct('draw')}><Loading /></Page>;
  return (
    <Page title={d.title} crumbs={[{ label: ct('draw') }]}>
      <section class="panel">
        <dl class="info-list">
          <dt>{ct('rule')}</dt><dd>{d.rule}</dd>
          <dt>{ct('legal')}</dt><dd>{d.legal_basis}</dd>
          <dt>{ct('seedSource')}</dt><dd>{d.seed_source}</dd>
          <dt>{ct('entrants')}</dt><dd>{d.entrant_count} → {ct('winners')} {d.winner_count}</dd>
          <dt>{ct('listHash')}</dt><dd><code class="break-all">{d.list_hash}</code></dd>
        </dl>
        <p>{ct('verify')} · <a href={`/api/v1/community/draws/${d.id}/published`} download="draw.json">{ct('download')}</a></p>
      </section>
      {d.runs.map((r) => (
        <section key={r.run_no} class="panel" aria-labelledby={`run-${r.run_no}`}>
          <h2 class="panel-title" id={`run-${r.run_no}`}>{ct('run')} {r.run_no} · {ct('seed')} {r.seed}</h2>
          {r.reason && <p><strong>{ct('reason')}:</strong> {r.reason}</p>}
          <ol class="winner-list">{r.winners.map((w) => <li key={w.code}>{w.code} {w.name}</li>)}</ol>
        </section>
      ))}
    </Page>
  );
}

interface Sp { id: number; name: string; place: string; capacity: number; opens_hour: number; closes_hour: number; equipment: string; accessibility: string; fee_note: string; fee_source: string }

function SpacesPage() {
  useAppState();
  const [data, err] = useLoad<{ items: Sp[] }>('/api/v1/community/spaces');
  return (
    <Page title={ct('spaces')} lead={ct('spacesLead')}>
      <Problem text={err} />
      {!data && !err && <Loading />}
      {data && (
        <ul class="card-list">
          {data.items.map((x) => (
            <li key={x.id} class="panel">
              <h2 class="panel-title"><Link href={`/spaces/${x.id}`}>{x.name}</Link></h2>
              <dl class="info-list">
                <dt>{ct('where')}</dt><dd>{x.place}</dd>
                <dt>{ct('capacity')}</dt><dd>{x.capacity}</dd>
                <dt>{ct('hours')}</dt><dd>{x.opens_hour}:00–{x.closes_hour}:00</dd>
                <dt>{ct('equipment')}</dt><dd>{x.equipment || '-'}</dd>
                <dt>{ct('accessibility')}</dt><dd>{x.accessibility || '-'}</dd>
                <dt>{ct('fee')}</dt><dd>{x.fee_note || '-'}{x.fee_source ? ` (${x.fee_source})` : ''}</dd>
              </dl>
              <p><a href={`/api/v1/community/spaces/${x.id}/calendar.ics`}>{ct('calendar')}</a></p>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

export const community: Feature = {
  name: 'community',
  routes: { '/events': EventsPage, '/spaces': SpacesPage, '/me/events': MyRegistrationsPage, '/staff/community': StaffCommunityPage, '/academy': AcademyPage, '/market': MarketPage, '/me/market': MyMarketPage, '/staff/market': MarketReviewPage },
  match: (path) => {
    let m = /^\/events\/(\d+)$/.exec(path);
    if (m) return <EventPage key={path} id={m[1]} />;
    m = /^\/draws\/(\d+)$/.exec(path);
    if (m) return <DrawPage key={path} id={m[1]} />;
    m = /^\/staff\/courses\/(\d+)$/.exec(path);
    if (m) return <CourseSheetPage key={path} id={m[1]} />;
    m = /^\/spaces\/(\d+)$/.exec(path);
    if (m) return <SpacePage key={path} id={m[1]} />;
    m = /^\/staff\/events\/(\d+)$/.exec(path);
    if (m) return <DeskPage key={path} id={m[1]} />;
    return null;
  },
};
