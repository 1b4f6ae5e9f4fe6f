// One meeting space (/spaces/{id}): its booked hours (never who or why) and the booking form,
// once or weekly; a weekly series shows every date's conflict before anything is saved.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import { Loading, Page } from '../../page';
import { Link } from '../../router';
import { useAppState } from '../../store';
import { ErrorSummary, Fields, useForm, type Spec } from './form';
import { ct, statusText } from './texts';

interface Sp { id: number; name: string; place: string; capacity: number; opens_hour: number; closes_hour: number; forbidden_uses: string; bookings: { id: number; day: string; start_hour: number; end_hour: number; status: string }[] }
interface DayCheck { day: string; free: boolean; taken_hours: number[] }

export function SpacePage({ id }: { id: string }) {
  const s = useAppState();
  const [x, setX] = useState<Sp | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [n, setN] = useState(0);
  const [checks, setChecks] = useState<DayCheck[] | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const f = useForm({ day: '', start_hour: '10', end_hour: '12', attendees: '5', purpose: '', weeks: '1', no_forbidden_use: false },
    ['day', 'start_hour', 'end_hour', 'attendees', 'purpose', 'weeks', 'no_forbidden_use']);
  useEffect(() => {
    api<Sp>('GET', `/api/v1/community/spaces/${encodeURIComponent(id)}`).then(setX,
      (e) => setErr(e instanceof ApiError ? `${e.status} ${e.problem.detail || ''}` : String(e)));
  }, [id, n]);
  if (err) return <Page title={ct('spaces')}><div class="notice-box" role="alert"><p>{ct('error')}: {err}</p></div></Page>;
  if (!x) return <Page title={ct('spaces')}><Loading /></Page>;
  const weeks = Number(f.values.weeks) || 1;
  const specs: Spec[] = [
    { name: 'day', label: weeks > 1 ? ct('firstDay') : ct('day'), type: 'date' },
    { name: 'start_hour', label: ct('fromHour'), type: 'number', hint: `${ct('hours')} ${x.opens_hour}:00–${x.closes_hour}:00` },
    { name: 'end_hour', label: ct('toHour'), type: 'number' },
    { name: 'weeks', label: ct('weeks'), type: 'select', options: [1, 2, 3, 4, 6, 8, 12, 26].map((w): [string, string] => [String(w), w === 1 ? ct('once') : `${w}${ct('weeksUnit')}`]) },
    { name: 'attendees', label: ct('people'), type: 'number', hint: `${ct('capacity')} ${x.capacity}` },
    { name: 'purpose', label: ct('purpose'), type: 'textarea' },
    { name: 'no_forbidden_use', label: ct('declare'), type: 'check' },
  ];
  const body = () => ({
    day: f.values.day, start_hour: Number(f.values.start_hour), end_hour: Number(f.values.end_hour),
    attendees: Number(f.values.attendees), purpose: f.values.purpose, no_forbidden_use: f.values.no_forbidden_use,
  });
  async function check() {
    const out = await f.send<{ days: DayCheck[] }>('POST', `/api/v1/community/spaces/${x!.id}/bookings/series`,
      { day: f.values.day, weeks, start_hour: Number(f.values.start_hour), end_hour: Number(f.values.end_hour), check_only: true }, false);
    setChecks(out ? out.days : null);
  }
  async function submit(e: Event) {
    e.preventDefault();
    const out = weeks > 1
      ? await f.send<{ items: unknown[] }>('POST', `/api/v1/community/spaces/${x!.id}/bookings/series`, { ...body(), weeks })
      : await f.send<unknown>('POST', `/api/v1/community/spaces/${x!.id}/bookings`, body());
    if (out) { setDone(weeks > 1 ? `${ct('requestedN')} ${weeks}` : ct('requestedOne')); setChecks(null); setN(n + 1); }
  }
  return (
    <Page title={x.name} lead={ct('spacesLead')} crumbs={[{ href: '/spaces', label: ct('spaces') }, { label: x.name }]}>
      <section class="panel" aria-labelledby="sp-booked">
        <h2 class="panel-title" id="sp-booked">{ct('booked')}</h2>
        {x.bookings.length === 0 ? <p>{ct('none')}</p> : (
          <ul class="plain-list">{x.bookings.map((b) => <li key={b.id}>{b.day} {b.start_hour}:00–{b.end_hour}:00 · {statusText(b.status)}</li>)}</ul>
        )}
        <p><a href={`/api/v1/community/spaces/${x.id}/calendar.ics`}>{ct('calendar')}</a></p>
      </section>
      {s.session === 'user' ? (
        <form class="panel" noValidate onSubmit={submit} aria-labelledby="sp-book">
          <h2 class="panel-title" id="sp-book">{ct('book')}</h2>
          <ErrorSummary errors={f.errors} idPrefix="bk" />
          <Fields prefix="bk" specs={specs} values={f.values} set={(k, v) => { f.set(k, v); setChecks(null); }} errors={f.errors} />
          {weeks > 1 && <div class="button-row"><button type="button" class="krds-btn secondary btn-block-mobile" onClick={check}>{ct('checkDates')}</button></div>}
          {checks && (
            <ul class="plain-list" aria-label={ct('checkDates')}>
              {checks.map((c) => <li key={c.day}>{c.day}: {c.free ? ct('free') : `${ct('taken')} (${c.taken_hours.map((h) => `${h}:00`).join(', ')})`}</li>)}
            </ul>
          )}
          <div class="button-row"><button type="submit" class="krds-btn primary large btn-block-mobile" disabled={f.busy || (checks !== null && checks.some((c) => !c.free))}>{ct('book')}</button></div>
          {done && <p role="status">{done}</p>}
        </form>
      ) : <p><Link href={`/login?next=/spaces/${x.id}`} class="krds-btn primary large">{ct('loginFirst')}</Link></p>}
    </Page>
  );
}
