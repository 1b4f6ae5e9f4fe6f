// The academy (동행 아카데미): /academy (courses, enrolment, my enrolments with attendance and
// certificates) and the organizers' attendance sheet /staff/courses/{id}.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import { Loading, Page } from '../../page';
import { Link } from '../../router';
import { useAppState } from '../../store';
import { ErrorSummary, Fields, seoulUnix, useForm, type Spec } from './form';
import { ct, statusText, when } from './texts';

interface Session { id: number; no: number; starts_at: number; ends_at: number; place: string }
export interface Course { id: number; title: string; summary: string; issuer: string; capacity: number; places_left: number; waitlisted: number; required_sessions: number; closes_at: number; status: string; sessions: Session[] }
interface Enr { id: number; course_id: number; course_title: string | null; status: string; position: number; attended: number; sessions: number | null; required_sessions: number | null; marks: Record<string, string>; completed: boolean; certificate_number: string | null; name?: string }

function problemText(e: unknown): string {
  return e instanceof ApiError ? (e.problem.errors || []).map((x) => x.message).join(' ') || e.problem.detail || e.problem.title || '' : String(e);
}

export function AcademyPage() {
  const s = useAppState();
  const [courses, setCourses] = useState<Course[] | null>(null);
  const [mine, setMine] = useState<Enr[]>([]);
  const [n, setN] = useState(0);
  const [msg, setMsg] = useState<string | null>(null);
  useEffect(() => {
    api<{ items: Course[] }>('GET', '/api/v1/community/courses').then((r) => setCourses(r.items), () => setCourses([]));
    if (s.session === 'user') api<{ items: Enr[] }>('GET', '/api/v1/community/enrolments/mine').then((r) => setMine(r.items), () => setMine([]));
  }, [s.session, n]);
  async function enrol(c: Course) {
    try {
      const e = await api<Enr>('POST', `/api/v1/community/courses/${c.id}/enrolments`);
      setMsg(`${c.title}: ${statusText(e.status)}`);
      setN(n + 1);
    } catch (e) { setMsg(problemText(e)); }
  }
  return (
    <Page title={ct('academy')} lead={ct('academyLead')}>
      {msg && <p role="status" class="notice-box">{msg}</p>}
      {s.session === 'user' && mine.length > 0 && (
        <section class="panel" aria-labelledby="my-courses">
          <h2 class="panel-title" id="my-courses">{ct('myCourses')}</h2>
          <ul class="plain-list">
            {mine.map((e) => (
              <li key={e.id}>
                <strong>{e.course_title}</strong> · {statusText(e.status)}
                {e.status === 'waitlisted' ? ` (${ct('position')} ${e.position})` : ''} · {ct('attendance')} {e.attended}/{e.sessions} ({ct('rulePrefix')} {e.required_sessions})
                {e.certificate_number && <> · <Link href="/me/certificates">{ct('certificate')} {e.certificate_number}</Link></>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {!courses ? <Loading /> : courses.length === 0 ? <p>{ct('none')}</p> : (
        <ul class="card-list">
          {courses.map((c) => {
            const enrolled = mine.some((e) => e.course_id === c.id && e.status !== 'cancelled');
            const open = c.status === 'open' && Date.now() / 1000 < c.closes_at;
            return (
              <li key={c.id} class="panel">
                <h2 class="panel-title">{c.title}</h2>
                {c.summary && <p>{c.summary}</p>}
                <dl class="info-list">
                  <dt>{ct('issuerLabel')}</dt><dd>{c.issuer}</dd>
                  <dt>{ct('capacity')}</dt><dd>{c.capacity} ({ct('left')} {c.places_left}, {ct('waitlisted')} {c.waitlisted})</dd>
                  <dt>{ct('completionRule')}</dt><dd>{c.sessions.length}{ct('sessionsOf')} {c.required_sessions}{ct('sessionsNeeded')}</dd>
                  <dt>{ct('closes')}</dt><dd>{when(c.closes_at)}</dd>
                </dl>
                <ol class="plain-list">{c.sessions.map((x) => <li key={x.id}>{x.no}. {when(x.starts_at)}{x.place ? ` · ${x.place}` : ''}</li>)}</ol>
                {open && !enrolled && (s.session === 'user'
                  ? <div class="button-row"><button type="button" class="krds-btn primary btn-block-mobile" onClick={() => enrol(c)}>{c.places_left > 0 ? ct('enrol') : ct('enrolWaitlist')}</button></div>
                  : <p><Link href="/login?next=/academy">{ct('loginFirst')}</Link></p>)}
              </li>
            );
          })}
        </ul>
      )}
    </Page>
  );
}

export function CourseForm() {
  const s = useAppState();
  const scope: Record<string, number> = {};
  for (const g of s.me?.roles || []) {
    if (g.scope_kind === 'dong') { scope.dong_id = Number(g.scope_id); break; }
    if (g.scope_kind === 'organization') { scope.organization_id = Number(g.scope_id); break; }
  }
  const f = useForm({ title: '', issuer: '', capacity: '20', required_sessions: '3', count: '4', first: '', hours: '2', place: '', closes_at: '' },
    ['title', 'issuer', 'capacity', 'required_sessions', 'closes_at', 'sessions']);
  const [made, setMade] = useState<Course | null>(null);
  const specs: Spec[] = [
    { name: 'title', label: ct('fTitle') },
    { name: 'issuer', label: ct('issuerLabel'), hint: ct('issuerHint') },
    { name: 'capacity', label: ct('capacity'), type: 'number' },
    { name: 'sessions', label: ct('firstSession'), type: 'datetime', hint: ct('weeklyHint') },
    { name: 'count', label: ct('sessionCount'), type: 'number' },
    { name: 'hours', label: ct('sessionHours'), type: 'number' },
    { name: 'place', label: ct('where'), optional: true },
    { name: 'required_sessions', label: ct('completionRule'), type: 'number', hint: ct('ruleHint') },
    { name: 'closes_at', label: ct('closes'), type: 'datetime' },
  ];
  const values = { ...f.values, sessions: f.values.first };
  const set = (k: string, v: string | boolean) => f.set(k === 'sessions' ? 'first' : k, v);
  async function submit(e: Event) {
    e.preventDefault();
    const v = f.values;
    const first = seoulUnix(String(v.first));
    const count = Number(v.count) || 0;
    const hours = Number(v.hours) || 1;
    const sessions = first === undefined ? [] : Array.from({ length: count }, (_, i) => ({ starts_at: first + i * 7 * 86400, ends_at: first + i * 7 * 86400 + hours * 3600, place: String(v.place) }));
    const out = await f.send<Course>('POST', '/api/v1/community/courses', {
      title: v.title, issuer: v.issuer, capacity: Number(v.capacity), required_sessions: Number(v.required_sessions),
      closes_at: seoulUnix(String(v.closes_at)), sessions, ...scope,
    });
    if (out) setMade(out);
  }
  return (
    <form class="panel" noValidate onSubmit={submit} aria-labelledby="new-course-title">
      <h2 class="panel-title" id="new-course-title">{ct('newCourse')}</h2>
      <ErrorSummary errors={f.errors} idPrefix="co" />
      <Fields prefix="co" specs={specs} values={values} set={set} errors={f.errors} />
      <div class="button-row"><button type="submit" class="krds-btn primary large btn-block-mobile" disabled={f.busy}>{ct('create')}</button></div>
      {made && <p role="status">{ct('created')}: <Link href={`/staff/courses/${made.id}`}>{made.title}</Link></p>}
    </form>
  );
}

interface Roster { course: Course; enrolments: Enr[] }

export function CourseSheetPage({ id }: { id: string }) {
  useAppState();
  const [r, setR] = useState<Roster | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    api<Roster>('GET', `/api/v1/community/courses/${encodeURIComponent(id)}/roster`).then(setR, (e) => setErr(problemText(e)));
  }, [id, n]);
  async function mark(sessionId: number, e: Enr, status: 'attended' | 'no_show') {
    try {
      const out = await api<Enr>('POST', `/api/v1/community/courses/${encodeURIComponent(id)}/attendance`, { session_id: sessionId, enrolment_id: e.id, status });
      setMsg(out.completed ? `${e.name}: ${ct('completedNow')} ${out.certificate_number}` : null);
      setN(n + 1);
    } catch (x) { setMsg(problemText(x)); }
  }
  if (err) return <Page title={ct('sheet')}><div class="notice-box" role="alert"><p>{ct('error')}: {err}</p></div></Page>;
  if (!r) return <Page title={ct('sheet')}><Loading /></Page>;
  const now = Date.now() / 1000;
  return (
    <Page title={`${ct('sheet')}: ${r.course.title}`} crumbs={[{ href: '/staff/community', label: ct('staffTitle') }, { label: r.course.title }]}>
      <p>{ct('completionRule')}: {r.course.sessions.length}{ct('sessionsOf')} {r.course.required_sessions}{ct('sessionsNeeded')}</p>
      {msg && <p role="status" class="notice-box">{msg}</p>}
      {r.course.sessions.map((x) => (
        <section key={x.id} class="panel" aria-labelledby={`ses-${x.id}`}>
          <h2 class="panel-title" id={`ses-${x.id}`}>{x.no}{ct('sessionNo')} · {when(x.starts_at)}</h2>
          {now < x.starts_at - 3600 ? <p>{ct('attendanceLater')}</p> : (
            <ul class="card-list">
              {r.enrolments.filter((e) => e.status === 'confirmed').map((e) => {
                const m = e.marks[String(x.id)];
                return (
                  <li key={e.id} class="panel">
                    <p><strong>{e.name}</strong> · {ct('attendance')} {e.attended}/{r.course.sessions.length}{e.completed ? ` · ${ct('completed')}` : ''}</p>
                    <p>{m ? statusText(m) : ct('notMarked')}</p>
                    <div class="button-row">
                      <button type="button" class="krds-btn secondary" aria-pressed={m === 'attended'} aria-label={`${e.name} ${x.no}${ct('sessionNo')} ${ct('markAttended')}`} onClick={() => mark(x.id, e, 'attended')}>{ct('markAttended')}</button>
                      <button type="button" class="krds-btn tertiary" aria-pressed={m === 'no_show'} aria-label={`${e.name} ${x.no}${ct('sessionNo')} ${ct('markNoShow')}`} onClick={() => mark(x.id, e, 'no_show')}>{ct('markNoShow')}</button>
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      ))}
      <p>{ct('waitlist')}: {r.enrolments.filter((e) => e.status === 'waitlisted').map((e) => e.position).join(', ') || ct('none')}</p>
    </Page>
  );
}
