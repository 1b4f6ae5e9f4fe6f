// Organizers' pages: create events, meeting spaces and public draws (/staff/community), and the
// event desk with attendance (/staff/events/{id}).
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import { Loading, Page } from '../../page';
import { Link } from '../../router';
import { useAppState } from '../../store';
import { ErrorSummary, Fields, seoulUnix, useForm, type Spec, type Values } from './form';
import { ct, statusText, when } from './texts';
import { CourseForm, type Course } from './academy';

interface Ev { id: number; title: string; starts_at: number; capacity: number; places_taken: number; waitlisted: number; status: string; allocation: string }

// The organizer's scope from their grants: a dong or an organization.
function useScope(): { dong_id?: number; organization_id?: number } {
  const s = useAppState();
  for (const g of s.me?.roles || []) {
    if (g.scope_kind === 'dong') return { dong_id: Number(g.scope_id) };
    if (g.scope_kind === 'organization') return { organization_id: Number(g.scope_id) };
  }
  return {};
}

function num(v: string | boolean | undefined): number | undefined {
  return v === '' || v === undefined || typeof v === 'boolean' ? undefined : Number(v);
}

function EventForm({ onDone }: { onDone: () => void }) {
  const scope = useScope();
  const f = useForm({ title: '', mode: 'offline', place: '', starts: '', ends: '', closes: '', capacity: '20', allocation: 'first_come', waitlist: true, summary: '', meeting_link: '' },
    ['title', 'mode', 'place', 'starts_at', 'ends_at', 'closes_at', 'capacity', 'allocation', 'summary', 'meeting_link']);
  const [made, setMade] = useState<string | null>(null);
  const specs: Spec[] = [
    { name: 'title', label: ct('fTitle') },
    { name: 'mode', label: ct('mode'), type: 'select', options: [['offline', ct('offline')], ['online', ct('online')], ['hybrid', ct('hybrid')]] },
    { name: 'place', label: ct('where'), optional: true },
    { name: 'starts_at', label: ct('fStarts'), type: 'datetime', hint: ct('kstHint') },
    { name: 'ends_at', label: ct('fEnds'), type: 'datetime' },
    { name: 'closes_at', label: ct('closes'), type: 'datetime', hint: ct('closesHint') },
    { name: 'capacity', label: ct('capacity'), type: 'number' },
    { name: 'allocation', label: ct('fAllocation'), type: 'select', options: [['first_come', ct('firstCome')], ['draw', ct('allocationDraw')]] },
    { name: 'waitlist', label: ct('fWaitlist'), type: 'check' },
    { name: 'meeting_link', label: ct('fLink'), optional: true, hint: ct('linkHint') },
    { name: 'summary', label: ct('fSummary'), type: 'textarea', optional: true },
  ];
  const values: Values = { ...f.values, starts_at: f.values.starts, ends_at: f.values.ends, closes_at: f.values.closes };
  const set = (n: string, v: string | boolean) => f.set(n === 'starts_at' ? 'starts' : n === 'ends_at' ? 'ends' : n === 'closes_at' ? 'closes' : n, v);
  async function submit(e: Event) {
    e.preventDefault();
    const v = f.values;
    const body: Record<string, unknown> = {
      title: v.title, mode: v.mode, place: v.place || undefined, starts_at: seoulUnix(String(v.starts)), ends_at: seoulUnix(String(v.ends)),
      closes_at: seoulUnix(String(v.closes)), capacity: num(v.capacity), allocation: v.allocation, waitlist: v.waitlist,
      summary: v.summary || undefined, meeting_link: v.meeting_link || undefined, ...scope,
    };
    const out = await f.send<Ev>('POST', '/api/v1/community/events', body);
    if (out) { setMade(`${ct('created')}: ${out.title}`); onDone(); }
  }
  return (
    <form class="panel" noValidate onSubmit={submit} aria-labelledby="new-event-title">
      <h2 class="panel-title" id="new-event-title">{ct('newEvent')}</h2>
      <ErrorSummary errors={f.errors} idPrefix="ev" />
      <Fields prefix="ev" specs={specs} values={values} set={set} errors={f.errors} />
      <div class="button-row"><button type="submit" class="krds-btn primary large btn-block-mobile" disabled={f.busy}>{ct('create')}</button></div>
      {made && <p role="status">{made}</p>}
    </form>
  );
}

function SpaceForm() {
  const scope = useScope();
  const f = useForm({ name: '', place: '', capacity: '10', opens_hour: '9', closes_hour: '22', equipment: '', accessibility: '', fee_note: '', fee_source: '' },
    ['name', 'place', 'capacity', 'opens_hour', 'closes_hour', 'equipment', 'accessibility', 'fee_note', 'fee_source']);
  const [made, setMade] = useState<string | null>(null);
  const specs: Spec[] = [
    { name: 'name', label: ct('fName') },
    { name: 'place', label: ct('where'), optional: true },
    { name: 'capacity', label: ct('capacity'), type: 'number' },
    { name: 'opens_hour', label: ct('fOpens'), type: 'number', hint: ct('hourHint') },
    { name: 'closes_hour', label: ct('fCloses'), type: 'number' },
    { name: 'equipment', label: ct('equipment'), optional: true },
    { name: 'accessibility', label: ct('accessibility'), optional: true },
    { name: 'fee_note', label: ct('fee'), optional: true },
    { name: 'fee_source', label: ct('fFeeSource'), optional: true, hint: ct('feeSourceHint') },
  ];
  async function submit(e: Event) {
    e.preventDefault();
    const v = f.values;
    const out = await f.send<{ name: string }>('POST', '/api/v1/community/spaces', {
      name: v.name, place: v.place || undefined, capacity: num(v.capacity), opens_hour: num(v.opens_hour), closes_hour: num(v.closes_hour),
      equipment: v.equipment || undefined, accessibility: v.accessibility || undefined, fee_note: v.fee_note || undefined,
      fee_source: v.fee_source || undefined, ...scope,
    });
    if (out) setMade(`${ct('created')}: ${out.name}`);
  }
  return (
    <form class="panel" noValidate onSubmit={submit} aria-labelledby="new-space-title">
      <h2 class="panel-title" id="new-space-title">{ct('newSpace')}</h2>
      <ErrorSummary errors={f.errors} idPrefix="sp" />
      <Fields prefix="sp" specs={specs} values={f.values} set={f.set} errors={f.errors} />
      <div class="button-row"><button type="submit" class="krds-btn primary large btn-block-mobile" disabled={f.busy}>{ct('create')}</button></div>
      {made && <p role="status">{made}</p>}
    </form>
  );
}

function DrawForm({ events }: { events: Ev[] }) {
  const scope = useScope();
  const f = useForm({ title: '', rule: '', legal_basis: '', seed_source: '', event_id: '', winner_count: '', entrants: '' },
    ['title', 'rule', 'legal_basis', 'seed_source', 'event_id', 'winner_count', 'entrants']);
  const [made, setMade] = useState<{ id: number } | null>(null);
  const drawEvents = events.filter((e) => e.allocation === 'draw' && e.status === 'open');
  const specs: Spec[] = [
    { name: 'title', label: ct('fTitle') },
    { name: 'rule', label: ct('rule'), type: 'textarea' },
    { name: 'legal_basis', label: ct('legal'), hint: ct('legalHint') },
    { name: 'seed_source', label: ct('seedSource'), hint: ct('seedHint') },
    { name: 'event_id', label: ct('fDrawEvent'), type: 'select', options: [['', ct('fPrizeDraw')], ...drawEvents.map((e): [string, string] => [String(e.id), e.title])] },
    ...(f.values.event_id ? [] : [
      { name: 'winner_count', label: ct('winners'), type: 'number' as const },
      { name: 'entrants', label: ct('fEntrants'), type: 'textarea' as const, hint: ct('entrantsHint') },
    ]),
  ];
  async function submit(e: Event) {
    e.preventDefault();
    const v = f.values;
    const body: Record<string, unknown> = { title: v.title, rule: v.rule, legal_basis: v.legal_basis, seed_source: v.seed_source, ...scope };
    if (v.event_id) body.event_id = Number(v.event_id);
    else {
      body.winner_count = num(v.winner_count);
      body.entrants = String(v.entrants).split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
        const [code, ...name] = l.split(',');
        return { code: code.trim(), name: name.join(',').trim() };
      });
    }
    const out = await f.send<{ id: number }>('POST', '/api/v1/community/draws', body);
    if (out) setMade(out);
  }
  return (
    <form class="panel" noValidate onSubmit={submit} aria-labelledby="new-draw-title">
      <h2 class="panel-title" id="new-draw-title">{ct('newDraw')}</h2>
      <ErrorSummary errors={f.errors} idPrefix="dr" />
      <Fields prefix="dr" specs={specs} values={f.values} set={f.set} errors={f.errors} />
      <div class="button-row"><button type="submit" class="krds-btn primary large btn-block-mobile" disabled={f.busy}>{ct('freeze')}</button></div>
      {made && <p role="status">{ct('created')}: <Link href={`/draws/${made.id}`}>{ct('draw')} {made.id}</Link></p>}
    </form>
  );
}

export function StaffCommunityPage() {
  const s = useAppState();
  const [events, setEvents] = useState<Ev[] | null>(null);
  const [courses, setCourses] = useState<Course[]>([]);
  const [n, setN] = useState(0);
  useEffect(() => {
    if (s.session !== 'user') return;
    api<{ items: Ev[] }>('GET', '/api/v1/community/events').then((r) => setEvents(r.items), () => setEvents([]));
    api<{ items: Course[] }>('GET', '/api/v1/community/courses').then((r) => setCourses(r.items), () => setCourses([]));
  }, [s.session, n]);
  if (s.session !== 'user') return <Page title={ct('staffTitle')}><p><Link href="/login?next=/staff/community" class="krds-btn primary large">{ct('loginFirst')}</Link></p></Page>;
  return (
    <Page title={ct('staffTitle')} lead={ct('staffLead')}>
      <section class="panel" aria-labelledby="staff-events">
        <h2 class="panel-title" id="staff-events">{ct('events')}</h2>
        {!events ? <Loading /> : events.length === 0 ? <p>{ct('none')}</p> : (
          <ul class="plain-list">
            {events.map((e) => (
              <li key={e.id}><Link href={`/staff/events/${e.id}`}>{e.title}</Link> · {when(e.starts_at)} · {e.places_taken}/{e.capacity}{e.status !== 'open' ? ` · ${statusText('event_cancelled')}` : ''}</li>
            ))}
          </ul>
        )}
      </section>
      {courses.length > 0 && (
        <section class="panel" aria-labelledby="staff-courses">
          <h2 class="panel-title" id="staff-courses">{ct('academy')}</h2>
          <ul class="plain-list">{courses.map((c) => <li key={c.id}><Link href={`/staff/courses/${c.id}`}>{c.title}</Link> · {c.capacity - c.places_left}/{c.capacity}</li>)}</ul>
        </section>
      )}
      <EventForm onDone={() => setN(n + 1)} />
      <CourseForm />
      <SpaceForm />
      <DrawForm events={events || []} />
    </Page>
  );
}

interface Desk {
  event: Ev & { starts_at: number };
  attendees: { id: number; status: string; position: number; name: string | null; phone: string | null; attendance: string }[];
  waitlist: { id: number; position: number }[];
}

export function DeskPage({ id }: { id: string }) {
  useAppState();
  const [d, setD] = useState<Desk | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [n, setN] = useState(0);
  const [msg, setMsg] = useState<string | null>(null);
  useEffect(() => {
    api<Desk>('GET', `/api/v1/community/events/${encodeURIComponent(id)}/registrations`).then(setD,
      (e) => setErr(e instanceof ApiError ? `${e.status} ${e.problem.detail || e.problem.title || ''}` : String(e)));
  }, [id, n]);
  async function mark(rid: number, status: 'attended' | 'no_show') {
    try {
      await api('POST', `/api/v1/community/events/${encodeURIComponent(id)}/attendance`, { registration_id: rid, status });
      setMsg(null);
      setN(n + 1);
    } catch (e) {
      setMsg(e instanceof ApiError ? (e.problem.errors || []).map((x) => x.message).join(' ') || e.problem.detail || '' : String(e));
    }
  }
  if (err) return <Page title={ct('desk')}><div class="notice-box" role="alert"><p>{ct('error')}: {err}</p></div></Page>;
  if (!d) return <Page title={ct('desk')}><Loading /></Page>;
  const open = Date.now() / 1000 >= d.event.starts_at - 3600;
  return (
    <Page title={`${ct('desk')}: ${d.event.title}`} crumbs={[{ href: '/staff/community', label: ct('staffTitle') }, { label: d.event.title }]}>
      <section class="panel" aria-labelledby="desk-att">
        <h2 class="panel-title" id="desk-att">{ct('attendees')} ({d.attendees.length}/{d.event.capacity})</h2>
        {!open && <p>{ct('attendanceLater')}</p>}
        {msg && <p role="alert" class="error-text">{msg}</p>}
        <ul class="card-list">
          {d.attendees.map((a) => (
            <li key={a.id} class="panel">
              <p><strong>{a.position}. {a.name || '-'}</strong> · {a.phone || '-'} · {statusText(a.status)}</p>
              <p>{ct('attendance')}: {a.attendance ? statusText(a.attendance) : ct('notMarked')}</p>
              {open && a.status === 'confirmed' && (
                <div class="button-row">
                  <button type="button" class="krds-btn secondary" aria-pressed={a.attendance === 'attended'} onClick={() => mark(a.id, 'attended')}>{ct('markAttended')}</button>
                  <button type="button" class="krds-btn tertiary" aria-pressed={a.attendance === 'no_show'} onClick={() => mark(a.id, 'no_show')}>{ct('markNoShow')}</button>
                </div>
              )}
            </li>
          ))}
        </ul>
      </section>
      <section class="panel" aria-labelledby="desk-wait">
        <h2 class="panel-title" id="desk-wait">{ct('waitlist')} ({d.waitlist.length})</h2>
        <p>{d.waitlist.map((w) => w.position).join(', ') || ct('none')}</p>
      </section>
    </Page>
  );
}
