// The staff pages' side of the outreach and case APIs: types, opening a household with the access
// reason (X-Access-Reason), the outreach vocabulary, who may do what (mirrors authorize() on the
// server, only to decide what to show: the server decides), and times and deadlines in words.
import { api, request, type Body, type FieldError } from './api';
import { fieldErrorMessage } from './forms';
import { getState, setState, t, tKey, type Dong, type Me } from './store';
import type { Key } from './i18n';
import './i18n-staff';
import './i18n-care';

// ---- types --------------------------------------------------------------------------------------
export interface Deadline { due_at: string | null; status: string; breached: boolean; overdue_hours: number }
export interface HouseholdSummary {
  id: number; district_id: number; dong: { id: number; code: string; name_ko: string } | null;
  status: string; priority: string; deadline: Deadline; contacted_at: string | null;
  assigned_to: number | null; assigned_at: string | null; report_count: number;
  first_report_at: string | null; last_report_at: string | null; signs: string[];
  outcome: string | null; closed_at: string | null; merged_into: number | null;
  pending_suggestions?: number;  // changes unverified reports suggested, waiting for an official
}
export interface Counts { open: number; unassigned: number; breached: number; due_within_24h: number }
export interface Queue { items: HouseholdSummary[]; total: number; page: number; page_size: number; now: string; counts: Counts }
export interface ReportView {
  id: number; receipt_no: string; channel: string; urgency: string; signs: string[]; dong_id: number | null;
  address: string | null; place: string | null; subject_name: string | null; subject_phone: string | null;
  concern: string; received_at: string;
  // The server also sends reporter_kind, reporter_account_id, gatekeeper and contact; the pages
  // never show them (who reported stays out of the household's record on screen).
}
export interface TimelineEvent {
  at: string; kind: string; actor_account_id: number | null; detail: string | null; note: string | null; report?: ReportView;
}
// What an unverified report (anonymous, KakaoTalk, resident, gatekeeper) would change: an official
// accepts or rejects it (POST …/suggestions/{id}/accept|reject).
export interface Suggestion {
  id: number; field: 'name' | 'address' | 'place' | 'phone' | 'priority' | 'status' | string;
  value: string; current: string | null; report_id: number | null; created_at: string | null;
}
export interface Household extends HouseholdSummary {
  address: string | null; place: string | null; name: string | null; phone: string | null; timeline: TimelineEvent[];
  suggestions?: Suggestion[];
}
export interface CaseSummary {
  id: number; dong_id: number; household_id: number; stage: string; crisis_level: number | null; needs: string[];
  outcome: string | null; assigned_account_id: number; opened_at: number; updated_at: number; closed_at: number | null;
  mine?: boolean; can_open?: boolean;  // ?scope=dong lists colleagues' cases too, which do not open
}
export interface CaseEntry { id: number; at: number; by_account: number; kind: string; body: Record<string, any> }
export interface CaseService { service_id: string; name: string; kind: string }
export interface CaseDetail extends CaseSummary { entries: CaseEntry[]; services: CaseService[] }
export interface Code { code: string; ko: string; en: string }
export interface OutreachVocabulary { urgencies: (Code & { contact_within_hours: number })[]; signs: Code[]; occupations: Code[]; outcomes: Code[] }
// GET /api/v1/outreach/workload: risk-weighted open work per dong and per caseworker.
export interface WorkloadDong {
  dong: { id: number; code: string; name_ko: string; name_en: string };
  open_households: number; unassigned: number; open_cases: number; screening_pending: number; risk: number;
  caseworkers: number; risk_per_caseworker: number | null; care_team_members: number; suggested_care_team_members: number; reason: string;
}
export interface WorkloadStaff { account_id: number; name: string; dong_ids: (number | null)[]; households: number; cases: number; load: number }
export interface Workload { dongs: WorkloadDong[]; staff: WorkloadStaff[]; care_team_members: number }

// Staff names learnt from the workload (the only place the API names colleagues).
const names = new Map<string, string>();
export function loadWorkload(): Promise<Workload | null> {
  return api<Workload>('GET', '/api/v1/outreach/workload').then((w) => {
    for (const x of w.staff ?? []) names.set(String(x.account_id), x.name);
    return w;
  }).catch(() => null);
}
// GET /api/v1/outreach/staff: who serves a dong, by name and role (never contact details), for
// the forms that assign someone. Roles go comma-separated; the names also label assignees.
export type StaffRole = 'caseworker' | 'care_team' | 'caregiver';
export interface StaffMember { account_id: number; name: string; role: StaffRole; district_wide: boolean }
export function loadStaffDirectory(dongId: number, roles: StaffRole[]): Promise<StaffMember[]> {
  const q = `dong=${encodeURIComponent(String(dongId))}&role=${roles.join(',')}`;
  return api<{ items: StaffMember[] }>('GET', `/api/v1/outreach/staff?${q}`).then((r) => {
    const items = r.items ?? [];
    for (const x of items) names.set(String(x.account_id), x.name);
    return items;
  });
}
// "김복지 (사례관리 담당)", "박돌봄 (동 돌봄단 · 구 전체)".
export function staffMemberLabel(x: StaffMember): string {
  const role = t(`staffdir.role.${x.role}` as Key);
  return t('staffdir.option', { name: x.name, role: x.district_wide ? t('staffdir.wide', { role }) : role });
}

export const CASE_STAGES = ['intake', 'assessment', 'plan', 'monitoring', 'closed'] as const;
export const CASE_OUTCOMES = ['resolved', 'linked_public', 'linked_private', 'moved', 'refused', 'unreachable', 'died'];
export const CHECKLIST = ['meals', 'heating', 'medication', 'hygiene', 'mobility', 'mood', 'housing_safety', 'utilities'];
export const CRISIS_LEVELS = [1, 2, 3, 4];

// ---- requests -------------------------------------------------------------------------------------
// The case routes' bodies are typed from the OpenAPI document (api-types.ts).
export type CaseStageBody = Body<'postCasesByIdStage'>;
export function advanceCase(id: number, body: CaseStageBody): Promise<CaseSummary> {
  return api<CaseSummary>('POST', `/api/v1/cases/${id}/stage`, body);
}
export function addCaseNote(id: number, body: Body<'postCasesByIdNotes'>): Promise<{ recorded: boolean }> {
  return api('POST', `/api/v1/cases/${id}/notes`, body);
}
export function recordVisit(id: number, body: Body<'postCasesByIdVisits'>): Promise<{ recorded: boolean; concerns: string[] }> {
  return api('POST', `/api/v1/cases/${id}/visits`, body);
}
export function openHousehold(id: string | number, reason: string): Promise<Household> {
  return request<Household>('GET', `/api/v1/outreach/households/${encodeURIComponent(String(id))}`, { reason });
}

let vocab: OutreachVocabulary | null = null;
let vocabPromise: Promise<OutreachVocabulary> | null = null;
export function loadOutreachVocabulary(): Promise<OutreachVocabulary> {
  if (vocab) return Promise.resolve(vocab);
  if (!vocabPromise) {
    vocabPromise = api<OutreachVocabulary>('GET', '/api/v1/outreach/vocabulary').then((v) => (vocab = v))
      .catch((e) => { vocabPromise = null; throw e; });
  }
  return vocabPromise;
}
export function codeLabel(list: Code[] | undefined, code: string): string {
  const c = list?.find((x) => x.code === code);
  if (!c) return code;
  return getState().lang === 'ko' ? c.ko : c.en;
}

// ---- who may do what (display only) ---------------------------------------------------------------
export const TRIAGE_ROLES = ['caseworker', 'district_admin'];
export function canTriage(me: Me | null): boolean { return hasAny(me, TRIAGE_ROLES); }
export function hasAny(me: Me | null, roles: string[]): boolean { return !!me && me.roles.some((g) => roles.includes(g.role)); }

// The dongs whose queue the caller reads: all of the district with a district grant, else the
// dongs of their caseworker grants. `all` = a district grant (the "no dong yet" queue too).
export function triageDongs(me: Me | null): { all: boolean; dongs: Dong[] } {
  const district = getState().districts?.find((d) => String(d.id) === String(me?.district_id)) ?? getState().districts?.[0];
  const dongs = district?.dongs ?? [];
  if (!me) return { all: false, dongs: [] };
  const grants = me.roles.filter((g) => TRIAGE_ROLES.includes(g.role));
  if (grants.some((g) => g.scope_kind === 'district')) return { all: true, dongs };
  const ids = new Set(grants.filter((g) => g.scope_kind === 'dong').map((g) => String(g.scope_id)));
  return { all: false, dongs: dongs.filter((d) => ids.has(String(d.id))) };
}
export function dongName(id: number | string | null | undefined): string {
  if (id === null || id === undefined || String(id) === '0') return t('tri.noDong');
  for (const d of getState().districts ?? []) {
    const g = d.dongs.find((x) => String(x.id) === String(id));
    if (g) return getState().lang === 'ko' ? g.name_ko : g.name_en;
  }
  return `#${id}`;
}
export function personLabel(id: number | null | undefined, me: Me | null): string {
  if (id === null || id === undefined) return t('tri.unassigned');
  if (me && String(me.id) === String(id)) return t('tri.me');
  return staffName(id);
}
// A colleague's name; an id not learnt yet is asked for (GET /api/v1/staff/names, in
// one batch per render) and every page re-renders when the names arrive. Until then, and for an
// id that is not staff of the district, a neutral "담당 직원".
const asked = new Set<string>();
let pending: string[] = [];
export function staffName(id: number | string): string {
  const key = String(id);
  const name = names.get(key);
  if (name) return name;
  if (!asked.has(key) && /^\d+$/.test(key)) {
    asked.add(key);
    pending.push(key);
    if (pending.length === 1) setTimeout(askNames, 0);
  }
  return t('tri.staffUnnamed');
}
function askNames() {
  const ids = pending.splice(0, 200);
  if (pending.length) setTimeout(askNames, 0);
  api<{ items: { account_id: number; name: string }[] }>('GET', `/api/v1/staff/names?ids=${ids.join(',')}`)
    .then((r) => {
      for (const x of r.items ?? []) names.set(String(x.account_id), x.name);
      if (r.items?.length) setState({});
    })
    .catch(() => { /* the neutral label stays; a failed look-up is not asked again on every render */ });
}

// ---- times ----------------------------------------------------------------------------------------
export function toDate(v: string | number | null | undefined): Date | null {
  if (v === null || v === undefined || v === '') return null;
  const d = typeof v === 'number' ? new Date(v * 1000) : new Date(v);
  return isNaN(d.getTime()) ? null : d;
}
// "11월 23일 (월) 18:25" in Korean time.
export function when(v: string | number | null | undefined, withYear = false): string {
  const d = toDate(v);
  if (!d) return '';
  const ko = getState().lang === 'ko';
  return d.toLocaleString(ko ? 'ko-KR' : 'en-GB', {
    year: withYear ? 'numeric' : undefined, month: ko ? 'long' : 'short', day: 'numeric', weekday: 'short',
    hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Seoul',
  });
}
export function isoOf(v: string | number | null | undefined): string | undefined {
  return toDate(v)?.toISOString();
}
// A duration in words: "3일 4시간", "5시간 20분", "40분".
export function span(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  if (d > 0) return h ? t('tri.span.dh', { d, h }) : t('tri.span.d', { d });
  if (h > 0) return m ? t('tri.span.hm', { h, m }) : t('tri.span.h', { h });
  return t('tri.span.m', { m: Math.max(m, s > 0 ? 1 : 0) });
}

// The deadline in words: what happened or how long is left. `now` is the server's clock when known.
export function deadlineText(d: Deadline, now: Date): string {
  const due = toDate(d.due_at);
  switch (d.status) {
    case 'breached':
      return t('tri.dl.breached', { span: due ? span((now.getTime() - due.getTime()) / 1000) : t('tri.span.h', { h: d.overdue_hours }) });
    case 'due_soon':
      return t('tri.dl.dueSoon', { span: due ? span((due.getTime() - now.getTime()) / 1000) : '' });
    case 'on_time':
      return t('tri.dl.onTime', { span: due ? span((due.getTime() - now.getTime()) / 1000) : '' });
    case 'met': return t('tri.dl.met');
    case 'met_late': return t('tri.dl.metLate', { span: t('tri.span.h', { h: d.overdue_hours }) });
    case 'closed_uncontacted': return t('tri.dl.closedUncontacted');
  }
  return d.status;
}

// ---- server field errors --------------------------------------------------------------------------
// "needs[0]" → "needs", "checklist.meals" → "checklist-meals": the form field an error belongs to.
export function baseField(field: string): string {
  return field.replace(/\[\d+\]$/, '').replace(/\./g, '-');
}
export function staffFieldMessage(fe: FieldError): string {
  const base = baseField(fe.field);
  const root = base.split('-')[0];
  const label = tKey(`sf.field.${base}`) ?? tKey(`sf.field.${root}`) ?? fe.field;
  const idx = /\[(\d+)\]$/.exec(fe.field);
  return fieldErrorMessage(fe, { scopes: ['sf.err'], name: root, label, labelled: true, params: { n: idx ? Number(idx[1]) + 1 : '' } });
}
export type StaffKey = Key;
