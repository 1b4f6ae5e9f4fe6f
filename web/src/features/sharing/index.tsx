// 동행 사랑넷 (help matching, src/sharing): /sharing (fields → sub-fields → open needs,
// de-identified), /sharing/offer and /sharing/need (도와주고 싶어요 / 도움받고 싶어요),
// /me/sharing (나의 참여), /staff/sharing (vetting queue, needs with suggestions, connect).
// API: docs/sharing.md. Texts: Korean first, English second, kept here with the pages.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import { ErrorSummary, errorFor, Field, fieldErrorMessage, problemToErrors, type FormError } from '../../forms';
import { Loading, Page } from '../../page';
import { Link, useSearch } from '../../router';
import { getState, useAppState } from '../../store';
import type { Feature } from '../index';
import './sharing.css';

const L = (ko: string, en: string) => (getState().lang === 'ko' ? ko : en);

interface SubField { code: string; name_ko: string; name_en: string; code_1365: string | null; mode: string; vetting: string }
interface FieldDef { code: string; name_ko: string; name_en: string; subfields: SubField[] }
interface VettingLevel { level: string; label_ko: string; label_en: string; basis_ko: string; basis_en: string; source: string }
interface Fields { fields: FieldDef[]; vetting_levels: VettingLevel[] }
interface NeedSummary {
  id: number; subfield: string; subfield_ko: string; field: string; dong_ko: string; window_from: string; window_to: string;
  days: string[]; hour_from: number; hour_to: number; urgency: string; waiting_days: number;
  status?: string; detail?: string; refusal_reason?: string; escalate?: boolean; suggestions?: Suggestion[];
}
interface Reason { code: string; ko: string; en: string; points: number }
interface Suggestion { offer_id: number; score: number; reasons: Reason[] }
interface Offer {
  id: number; subfields: string[]; dong_id: number; days: string[]; hour_from: number; hour_to: number; mode: string;
  status: string; vetted_level: string; refusal_reason?: string; name?: string; required_level?: string; on_behalf?: boolean;
}
interface Conn { id: number; status: string; role: string; subfield: string; dong_ko: string; helper_accepted: boolean; recipient_accepted: boolean; cancel_reason: string }
interface Mine { offers: Offer[]; needs: NeedSummary[]; connections: Conn[]; hours: { month: string; minutes: number }[] }

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const DAY_KO: Record<string, string> = { mon: '월', tue: '화', wed: '수', thu: '목', fri: '금', sat: '토', sun: '일' };
const dayText = (d: string[]) => d.map((x) => L(DAY_KO[x], x)).join(L('·', ', '));
const STATUS: Record<string, [string, string]> = {
  pending: ['확인 중', 'Being checked'], approved: ['확인 완료', 'Approved'], refused: ['반려', 'Refused'], open: ['도움 찾는 중', 'Open'],
  served: ['도움 완료', 'Served'], closed: ['닫힘', 'Closed'], proposed: ['연결 제안', 'Proposed'], accepted: ['연결 확정', 'Accepted'],
  active: ['진행 중', 'Active'], completed: ['완료', 'Completed'], cancelled: ['취소', 'Cancelled'], withdrawn: ['철회', 'Withdrawn'],
};
// Plain words for the server's field errors (the server names the field and a code).
const FIELD_MSG: Record<string, [string, string]> = {
  dong_id: ['동을 선택해 주세요.', 'Choose a dong.'],
  subfield: ['필요한 도움을 하나 선택해 주세요.', 'Choose the help you need.'],
  subfields: ['도울 수 있는 일을 하나 이상 선택해 주세요.', 'Choose at least one thing you can do.'],
  days: ['요일을 하나 이상 선택해 주세요.', 'Choose at least one day.'],
  hour_to: ['끝 시각은 시작 시각보다 늦어야 합니다.', 'The end must be after the start.'],
  window_from: ['시작 날짜를 확인해 주세요.', 'Check the start date.'],
  window_to: ['끝 날짜는 오늘 이후, 시작 날짜와 같거나 뒤여야 합니다.', 'The end date must be today or later, not before the start.'],
  mode: ['돕는 방법을 선택해 주세요.', 'Choose how you help.'],
};
const fieldMessage = (field: string, fallback: string) => (FIELD_MSG[field] ? L(FIELD_MSG[field][0], FIELD_MSG[field][1]) : fallback);
const statusText = (s: string) => (STATUS[s] ? L(STATUS[s][0], STATUS[s][1]) : s);

let fieldsCache: Promise<Fields> | null = null;
function loadFields() {
  if (!fieldsCache) {
    fieldsCache = api<Fields>('GET', '/api/v1/sharing/fields');
    fieldsCache.catch(() => { fieldsCache = null; });
  }
  return fieldsCache;
}
function useFields(): Fields | null {
  const [f, setF] = useState<Fields | null>(null);
  useEffect(() => { loadFields().then(setF, () => setF(null)); }, []);
  return f;
}
function subName(f: Fields | null, code: string) {
  for (const fd of f?.fields || []) for (const s of fd.subfields) if (s.code === code) return L(s.name_ko, s.name_en);
  return code;
}

function NeedCard({ n, children }: { n: NeedSummary; children?: ComponentChildren }) {
  return (
    <li class="sharing-card">
      <p class="sharing-card-title">
        <strong>{L(n.subfield_ko, n.subfield)}</strong>
        {n.urgency === 'urgent' && <span class="sharing-badge urgent">{L('급함', 'Urgent')}</span>}
        {n.escalate && <span class="sharing-badge urgent">{L('오래 기다림', 'Waiting long')}</span>}
      </p>
      <dl class="sharing-facts">
        <div><dt>{L('동', 'Dong')}</dt><dd>{n.dong_ko}</dd></div>
        <div><dt>{L('기간', 'When')}</dt><dd>{n.window_from} ~ {n.window_to}</dd></div>
        <div><dt>{L('요일·시간', 'Days, hours')}</dt><dd>{dayText(n.days)} {n.hour_from}–{n.hour_to}{L('시', 'h')}</dd></div>
        <div><dt>{L('기다린 날', 'Waiting')}</dt><dd>{n.waiting_days}{L('일', ' days')}</dd></div>
      </dl>
      {children}
    </li>
  );
}

// ---- /sharing --------------------------------------------------------------------------------
function SharingHome() {
  useAppState();
  const fields = useFields();
  const search = useSearch();
  const sub = search.get('sub') || '';
  const [needs, setNeeds] = useState<NeedSummary[] | null>(null);
  useEffect(() => { api<{ items: NeedSummary[] }>('GET', '/api/v1/sharing/needs').then((r) => setNeeds(r.items), () => setNeeds([])); }, []);
  const count = (code: string) => (needs || []).filter((n) => n.subfield === code).length;
  return (
    <Page title={L('동행 사랑넷', 'Helping neighbours')} lead={L('도움이 필요한 이웃과 도울 수 있는 이웃을 담당자가 확인해 연결합니다. 도움을 청한 분이 누구인지는 연결이 확정되기 전까지 공개하지 않습니다.',
      'A manager checks both sides and connects a neighbour who can help with one who needs it. Who asked is never shown before both accept.')}>
      <div class="sharing-actions">
        <Link href="/sharing/offer" class="krds-btn primary large">{L('도와주고 싶어요', 'I want to help')}</Link>
        <Link href="/sharing/need" class="krds-btn secondary large">{L('도움받고 싶어요', 'I need help')}</Link>
      </div>
      {!fields ? <Loading /> : (
        <section aria-labelledby="sharing-fields-title">
          <h2 id="sharing-fields-title" class="sharing-h2">{L('분야', 'Fields')}</h2>
          {fields.fields.map((f) => (
            <details class="sharing-field" key={f.code} open={f.subfields.some((s) => s.code === sub)}>
              <summary>{L(f.name_ko, f.name_en)} <span class="sharing-muted">({f.subfields.length})</span></summary>
              <ul class="sharing-subs">
                {f.subfields.map((s) => (
                  <li key={s.code}>
                    <Link href={`/sharing?sub=${s.code}`} aria-current={s.code === sub ? 'true' : undefined}>
                      {L(s.name_ko, s.name_en)}
                    </Link>
                    {count(s.code) > 0 && <span class="sharing-muted"> · {L(`요청 ${count(s.code)}건`, `${count(s.code)} open`)}</span>}
                  </li>
                ))}
              </ul>
            </details>
          ))}
        </section>
      )}
      <section aria-labelledby="sharing-needs-title">
        <h2 id="sharing-needs-title" class="sharing-h2">
          {sub ? L(`${subName(fields, sub)}: 도움을 기다리는 이웃`, `${subName(fields, sub)}: open needs`) : L('도움을 기다리는 이웃', 'Open needs')}
        </h2>
        {!needs ? <Loading /> : (
          (() => {
            const list = needs.filter((n) => !sub || n.subfield === sub);
            return list.length === 0 ? <p>{L('지금은 기다리는 요청이 없습니다.', 'No open needs right now.')}</p> : (
              <ul class="sharing-list">{list.slice(0, 50).map((n) => <NeedCard n={n} key={n.id} />)}</ul>
            );
          })()
        )}
      </section>
    </Page>
  );
}

// ---- the two forms ---------------------------------------------------------------------------
function LoginFirst() {
  return <p>{L('먼저 ', 'Please ')}<Link href="/login">{L('로그인', 'log in')}</Link>{L('해 주세요. 인터넷 사용이 어려우시면 동 주민센터에서 대신 입력해 드립니다.', ' first. If you are offline, your dong centre can enter it for you.')}</p>;
}

function SharingForm({ kind }: { kind: 'offer' | 'need' }) {
  const st = useAppState();
  const fields = useFields();
  const districts = st.districts || [];
  const dongs = districts.find((d) => String(d.id) === String(st.me?.district_id))?.dongs || districts[0]?.dongs || [];
  const [field, setField] = useState('');
  const [subs, setSubs] = useState<string[]>([]);
  const [dong, setDong] = useState('');
  const [days, setDays] = useState<string[]>([]);
  const [from, setFrom] = useState('10');
  const [to, setTo] = useState('17');
  const [mode, setMode] = useState('in_person');
  const today = new Date(Date.now() + 9 * 3600e3).toISOString().slice(0, 10);
  const [wFrom, setWFrom] = useState(today);
  const [wTo, setWTo] = useState(today);
  const [text, setText] = useState('');
  const [urgent, setUrgent] = useState(false);
  const [errors, setErrors] = useState<FormError[]>([]);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<number | null>(null);
  const ID = `sharing-${kind}`;
  const title = kind === 'offer' ? L('도와주고 싶어요', 'I want to help') : L('도움받고 싶어요', 'I need help');
  if (st.session === 'unknown') return <Page title={title}><Loading /></Page>;
  if (st.session !== 'user') return <Page title={title}><LoginFirst /></Page>;
  if (done !== null)
    return (
      <Page title={title}>
        <p role="status" class="sharing-done">{L('접수되었습니다. 담당자가 확인한 뒤 알림함으로 알려 드립니다.', 'Received. A manager will check it and tell you in your inbox.')}</p>
        <p><Link href="/me/sharing">{L('나의 참여 보기', 'See my participation')}</Link></p>
      </Page>
    );
  const fieldDef = fields?.fields.find((f) => f.code === field);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors([]);
    const common = { dong_id: Number(dong) || 0, days, hour_from: Number(from), hour_to: Number(to) };
    const body = kind === 'offer'
      ? { ...common, subfields: subs, mode, note: text }
      : { ...common, subfield: subs[0] || '', window_from: wFrom, window_to: wTo, urgency: urgent ? 'urgent' : 'normal', detail: text };
    try {
      const r = await api<{ id: number }>('POST', `/api/v1/sharing/${kind === 'offer' ? 'offers' : 'needs'}`, body);
      setDone(r.id);
    } catch (err) {
      setErrors(err instanceof ApiError && err.problem.errors?.length
        ? err.problem.errors.map((fe) => ({ field: fe.field, message: fieldMessage(fe.field, fieldErrorMessage(fe)) }))
        : problemToErrors(err, []));
    } finally {
      setBusy(false);
    }
  };
  const subField = kind === 'offer' ? 'subfields' : 'subfield';
  const hours = Array.from({ length: 25 }, (_, i) => i);
  return (
    <Page title={title} crumbs={[{ href: '/sharing', label: L('동행 사랑넷', 'Helping neighbours') }, { label: title }]}>
      <form onSubmit={submit} noValidate class="sharing-form">
        <ErrorSummary errors={errors} idPrefix={ID} />
        {!fields ? <Loading /> : (
          <Field id={`${ID}-field`} label={L('어떤 분야인가요?', 'Which field?')}>
            {(a) => (
              <select class="krds-form-select" {...a} value={field} onChange={(e) => { setField((e.target as HTMLSelectElement).value); setSubs([]); }}>
                <option value="">{L('선택하세요', 'Choose')}</option>
                {fields.fields.map((f) => <option value={f.code} key={f.code}>{L(f.name_ko, f.name_en)}</option>)}
              </select>
            )}
          </Field>
        )}
        {fieldDef && (
          <fieldset class="sharing-fieldset" id={`${ID}-${subField}`}>
            <legend>{kind === 'offer' ? L('무엇을 도울 수 있나요? (여러 개 선택)', 'What can you do? (one or more)') : L('어떤 도움이 필요하세요?', 'What help do you need?')}</legend>
            {errorFor(errors, subField) && <p class="form-hint-invalid">{errorFor(errors, subField)}</p>}
            {fieldDef.subfields.map((s) => (
              <div class="krds-form-check" key={s.code}>
                <input type={kind === 'offer' ? 'checkbox' : 'radio'} name="sub" id={`${ID}-s-${s.code}`} value={s.code} checked={subs.includes(s.code)}
                  onChange={(e) => {
                    const on = (e.target as HTMLInputElement).checked;
                    setSubs(kind === 'offer' ? (on ? [...subs, s.code] : subs.filter((x) => x !== s.code)) : [s.code]);
                  }} />
                <label for={`${ID}-s-${s.code}`}>{L(s.name_ko, s.name_en)}</label>
              </div>
            ))}
          </fieldset>
        )}
        <Field id={`${ID}-dong_id`} label={L('어느 동인가요?', 'Which dong?')} error={errorFor(errors, 'dong_id')}>
          {(a) => (
            <select class="krds-form-select" {...a} value={dong} onChange={(e) => setDong((e.target as HTMLSelectElement).value)}>
              <option value="">{L('선택하세요', 'Choose')}</option>
              {dongs.map((d) => <option value={String(d.id)} key={d.id}>{L(d.name_ko, d.name_en)}</option>)}
            </select>
          )}
        </Field>
        {kind === 'need' && (
          <div class="sharing-row">
            <Field id={`${ID}-window_from`} label={L('언제부터', 'From')} error={errorFor(errors, 'window_from')}>
              {(a) => <input type="date" class="krds-input" {...a} value={wFrom} onInput={(e) => setWFrom((e.target as HTMLInputElement).value)} />}
            </Field>
            <Field id={`${ID}-window_to`} label={L('언제까지', 'Until')} error={errorFor(errors, 'window_to')}>
              {(a) => <input type="date" class="krds-input" {...a} value={wTo} onInput={(e) => setWTo((e.target as HTMLInputElement).value)} />}
            </Field>
          </div>
        )}
        <fieldset class="sharing-fieldset" id={`${ID}-days`}>
          <legend>{L('가능한 요일', 'Days')}</legend>
          {errorFor(errors, 'days') && <p class="form-hint-invalid">{errorFor(errors, 'days')}</p>}
          <div class="sharing-days">
            {DAYS.map((d) => (
              <div class="krds-form-check" key={d}>
                <input type="checkbox" id={`${ID}-d-${d}`} checked={days.includes(d)}
                  onChange={(e) => setDays((e.target as HTMLInputElement).checked ? [...days, d] : days.filter((x) => x !== d))} />
                <label for={`${ID}-d-${d}`}>{L(DAY_KO[d], d)}</label>
              </div>
            ))}
          </div>
        </fieldset>
        <div class="sharing-row">
          <Field id={`${ID}-hour_from`} label={L('시작 시각', 'From (hour)')} error={errorFor(errors, 'hour_from')}>
            {(a) => <select class="krds-form-select" {...a} value={from} onChange={(e) => setFrom((e.target as HTMLSelectElement).value)}>{hours.slice(0, 24).map((h) => <option value={String(h)} key={h}>{h}{L('시', ':00')}</option>)}</select>}
          </Field>
          <Field id={`${ID}-hour_to`} label={L('끝 시각', 'Until (hour)')} error={errorFor(errors, 'hour_to')}>
            {(a) => <select class="krds-form-select" {...a} value={to} onChange={(e) => setTo((e.target as HTMLSelectElement).value)}>{hours.slice(1).map((h) => <option value={String(h)} key={h}>{h}{L('시', ':00')}</option>)}</select>}
          </Field>
        </div>
        {kind === 'offer' ? (
          <Field id={`${ID}-mode`} label={L('어떻게 도우시나요?', 'How?')} error={errorFor(errors, 'mode')}>
            {(a) => (
              <select class="krds-form-select" {...a} value={mode} onChange={(e) => setMode((e.target as HTMLSelectElement).value)}>
                <option value="in_person">{L('직접 만나서', 'In person')}</option>
                <option value="remote">{L('전화·온라인', 'By phone or online')}</option>
                <option value="in_kind">{L('물품·후원', 'Goods or money')}</option>
              </select>
            )}
          </Field>
        ) : (
          <div class="krds-form-check sharing-urgent">
            <input type="checkbox" id={`${ID}-urgency`} checked={urgent} onChange={(e) => setUrgent((e.target as HTMLInputElement).checked)} />
            <label for={`${ID}-urgency`}>{L('급하게 필요해요', 'It is urgent')}</label>
          </div>
        )}
        <Field id={`${ID}-text`} required={false} error={errorFor(errors, kind === 'offer' ? 'note' : 'detail')}
          label={kind === 'offer' ? L('하고 싶은 말', 'Anything else') : L('필요한 도움을 자세히 (담당자와 연결된 분만 봅니다)', 'What exactly (only the connected helper sees it)')}>
          {(a) => <textarea class="krds-input" rows={3} maxLength={kind === 'offer' ? 500 : 1000} {...a} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />}
        </Field>
        <button type="submit" class="krds-btn primary large btn-block-mobile" disabled={busy}>{busy ? L('보내는 중…', 'Sending…') : L('신청하기', 'Send')}</button>
      </form>
    </Page>
  );
}

// ---- /me/sharing -----------------------------------------------------------------------------
function MySharing() {
  const st = useAppState();
  const fields = useFields();
  const [mine, setMine] = useState<Mine | null>(null);
  const [msg, setMsg] = useState('');
  const load = () => api<Mine>('GET', '/api/v1/sharing/mine').then(setMine, () => setMine(null));
  useEffect(() => { if (st.session === 'user') load(); }, [st.session]);
  const title = L('나의 참여', 'My participation');
  if (st.session !== 'user') return <Page title={title}>{st.session === 'unknown' ? <Loading /> : <LoginFirst />}</Page>;
  if (!mine) return <Page title={title}><Loading /></Page>;
  const act = async (id: number, what: string, body: Record<string, string> = {}) => {
    try {
      await api('POST', `/api/v1/sharing/connections/${id}/${what}`, body);
      setMsg(L('반영되었습니다.', 'Done.'));
      load();
    } catch (e) {
      setMsg(e instanceof ApiError ? e.problem.detail || e.message : String(e));
    }
  };
  const mine2 = mine;
  return (
    <Page title={title} crumbs={[{ href: '/sharing', label: L('동행 사랑넷', 'Helping neighbours') }, { label: title }]}>
      {msg && <p role="status" class="sharing-done">{msg}</p>}
      <section aria-labelledby="my-conns"><h2 id="my-conns" class="sharing-h2">{L('연결', 'Connections')}</h2>
        {mine2.connections.length === 0 ? <p>{L('아직 연결이 없습니다.', 'No connections yet.')}</p> : (
          <ul class="sharing-list">{mine2.connections.map((c) => (
            <li class="sharing-card" key={c.id}>
              <p class="sharing-card-title"><strong>{subName(fields, c.subfield)}</strong> · {c.dong_ko} · {statusText(c.status)}</p>
              <p class="sharing-muted">{c.role === 'helper' ? L('내가 돕는 연결', 'I help') : L('내가 도움받는 연결', 'I am helped')}</p>
              {c.status === 'proposed' && !((c.role === 'helper' && c.helper_accepted) || (c.role === 'recipient' && c.recipient_accepted)) && (
                <button type="button" class="krds-btn primary" onClick={() => act(c.id, 'accept')}>{L('수락하기', 'Accept')}</button>
              )}
              {c.status === 'cancelled' && c.cancel_reason && <p>{L('취소 사유: ', 'Reason: ')}{c.cancel_reason}</p>}
            </li>
          ))}</ul>
        )}
      </section>
      <section aria-labelledby="my-offers"><h2 id="my-offers" class="sharing-h2">{L('도와주고 싶어요', 'My offers')}</h2>
        {mine2.offers.length === 0 ? <p><Link href="/sharing/offer">{L('도움 제안하기', 'Offer help')}</Link></p> : (
          <ul class="sharing-list">{mine2.offers.map((o) => (
            <li class="sharing-card" key={o.id}>
              <p class="sharing-card-title"><strong>{o.subfields.map((s) => subName(fields, s)).join(', ')}</strong> · {statusText(o.status)}</p>
              <p class="sharing-muted">{dayText(o.days)} {o.hour_from}–{o.hour_to}{L('시', 'h')}</p>
              {o.status === 'refused' && <p>{L('반려 사유: ', 'Reason: ')}{o.refusal_reason}</p>}
            </li>
          ))}</ul>
        )}
      </section>
      <section aria-labelledby="my-needs"><h2 id="my-needs" class="sharing-h2">{L('도움받고 싶어요', 'My needs')}</h2>
        {mine2.needs.length === 0 ? <p><Link href="/sharing/need">{L('도움 요청하기', 'Ask for help')}</Link></p> : (
          <ul class="sharing-list">{mine2.needs.map((n) => (
            <NeedCard n={n} key={n.id}><p>{statusText(n.status || '')}{n.status === 'refused' && ` · ${n.refusal_reason}`}</p></NeedCard>
          ))}</ul>
        )}
      </section>
      <section aria-labelledby="my-hours"><h2 id="my-hours" class="sharing-h2">{L('확인된 봉사 시간', 'Confirmed hours')}</h2>
        {mine2.hours.length === 0 ? <p>{L('아직 확인된 시간이 없습니다.', 'No confirmed hours yet.')}</p> : (
          <ul>{mine2.hours.map((h) => <li key={h.month}>{h.month}: {(h.minutes / 60).toFixed(1)}{L('시간', ' h')}</li>)}</ul>
        )}
      </section>
    </Page>
  );
}

// ---- /staff/sharing --------------------------------------------------------------------------
function StaffSharing() {
  const st = useAppState();
  const fields = useFields();
  const [queue, setQueue] = useState<{ offers: Offer[]; needs: (NeedSummary & { name: string })[] } | null>(null);
  const [needs, setNeeds] = useState<NeedSummary[] | null>(null);
  const [msg, setMsg] = useState('');
  const [err, setErr] = useState('');
  const load = () => {
    api<typeof queue>('GET', '/api/v1/sharing/staff/queue').then(setQueue, (e) => setErr(e instanceof ApiError ? e.problem.detail || e.message : String(e)));
    api<{ items: NeedSummary[] }>('GET', '/api/v1/sharing/staff/needs').then((r) => setNeeds(r.items), () => setNeeds([]));
  };
  useEffect(() => { if (st.session === 'user') load(); }, [st.session]);
  const title = L('사랑넷 담당자', 'Help-matching desk');
  if (st.session !== 'user') return <Page title={title}>{st.session === 'unknown' ? <Loading /> : <LoginFirst />}</Page>;
  if (err) return <Page title={title}><p role="alert">{err}</p></Page>;
  const post = async (path: string, body: unknown) => {
    try {
      await api('POST', path, body);
      setMsg(L('반영되었습니다.', 'Done.'));
      load();
    } catch (e) {
      setMsg(e instanceof ApiError ? (e.problem.errors?.[0]?.message || e.problem.detail || e.message) : String(e));
    }
  };
  return (
    <Page title={title} wide>
      {msg && <p role="status" class="sharing-done">{msg}</p>}
      <section aria-labelledby="desk-queue"><h2 id="desk-queue" class="sharing-h2">{L('확인 대기', 'Vetting queue')}</h2>
        {!queue ? <Loading /> : (
          <ul class="sharing-list">
            {queue.offers.map((o) => (
              <li class="sharing-card" key={`o${o.id}`}>
                <p class="sharing-card-title"><strong>{L('제안', 'Offer')} #{o.id} {o.name}</strong>{o.on_behalf && ` · ${L('대리 입력', 'entered on behalf')}`}</p>
                <p>{o.subfields.map((s) => subName(fields, s)).join(', ')} · {L('필요한 확인: ', 'Check needed: ')}{o.required_level}</p>
                <div class="sharing-actions">
                  <button type="button" class="krds-btn primary" onClick={() => post(`/api/v1/sharing/offers/${o.id}/vetting`, { decision: 'approve', checked: o.required_level })}>
                    {L('확인 완료로 승인', 'Approve (checked)')}</button>
                  <button type="button" class="krds-btn secondary" onClick={() => {
                    const reason = window.prompt(L('반려 사유 (신청인이 봅니다)', 'Reason (the resident sees it)'));
                    if (reason) post(`/api/v1/sharing/offers/${o.id}/vetting`, { decision: 'refuse', reason });
                  }}>{L('반려', 'Refuse')}</button>
                </div>
              </li>
            ))}
            {queue.needs.map((n) => (
              <NeedCard n={n} key={`n${n.id}`}>
                <p><strong>{L('요청', 'Need')} #{n.id} {n.name}</strong> · {n.detail}</p>
                <div class="sharing-actions">
                  <button type="button" class="krds-btn primary" onClick={() => post(`/api/v1/sharing/needs/${n.id}/vetting`, { decision: 'approve' })}>{L('승인', 'Approve')}</button>
                  <button type="button" class="krds-btn secondary" onClick={() => {
                    const reason = window.prompt(L('반려 사유 (신청인이 봅니다)', 'Reason (the resident sees it)'));
                    if (reason) post(`/api/v1/sharing/needs/${n.id}/vetting`, { decision: 'refuse', reason });
                  }}>{L('반려', 'Refuse')}</button>
                </div>
              </NeedCard>
            ))}
            {queue.offers.length + queue.needs.length === 0 && <li>{L('확인할 것이 없습니다.', 'Nothing to check.')}</li>}
          </ul>
        )}
      </section>
      <section aria-labelledby="desk-needs"><h2 id="desk-needs" class="sharing-h2">{L('연결을 기다리는 요청 (오래 기다린 순)', 'Needs waiting, longest first')}</h2>
        {!needs ? <Loading /> : (
          <ul class="sharing-list">{needs.slice(0, 30).map((n) => (
            <NeedCard n={n} key={n.id}>
              {(n.suggestions || []).length === 0 ? <p class="sharing-muted">{L('맞는 제안이 없습니다.', 'No matching offer.')}</p> : (
                <ol class="sharing-sugs">{(n.suggestions || []).map((s) => (
                  <li key={s.offer_id}>
                    <span>{L('제안', 'Offer')} #{s.offer_id} · {s.score.toFixed(0)}{L('점', ' pts')}: {s.reasons.map((r) => L(r.ko, r.en)).join(', ')}</span>
                    <button type="button" class="krds-btn tertiary small" onClick={() => post('/api/v1/sharing/connections', { need_id: n.id, offer_id: s.offer_id })}>
                      {L('연결 제안', 'Connect')}</button>
                  </li>
                ))}</ol>
              )}
            </NeedCard>
          ))}</ul>
        )}
      </section>
    </Page>
  );
}

export const sharing: Feature = {
  name: 'sharing',
  routes: {
    '/sharing': SharingHome,
    '/sharing/offer': () => <SharingForm kind="offer" />,
    '/sharing/need': () => <SharingForm kind="need" />,
    '/me/sharing': MySharing,
    '/staff/sharing': StaffSharing,
  },
};
