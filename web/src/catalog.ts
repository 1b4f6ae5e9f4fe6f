// The welfare catalogue: API types, the controlled vocabularies (loaded once), search state in the
// address bar, and the server's Korean search notes (typo read as, query shortened …) put into words.
import { useEffect, useState } from 'preact/hooks';
import { api } from './api';
import { getState, t } from './store';

export interface Term { code: string; ko: string; en: string; count?: number; min_age?: number; max_age?: number }
export interface ServiceSummary {
  id: string; name: string; alternate_name?: string; description: string; status: string;
  program_code?: string | null; provider_level: Term; organization_id?: string;
  life_stages: Term[]; situations: Term[]; topics: Term[]; dong_ids: number[];
  last_verified?: string | null; version?: number; why?: string;
}
export interface ServiceFacility {
  id: string; name: string; type: string | Term; dong_id?: number | null; address?: string; phone?: string; hours?: string;
  latitude?: number | null; longitude?: number | null;
}
export interface ServiceDetail extends ServiceSummary {
  url?: string; email?: string; eligibility_description?: string; application_process?: string;
  application_period?: string; fees_description?: string; minimum_age?: number | null; maximum_age?: number | null;
  channels: Term[]; keywords: string[]; source?: string;
  organization?: { id: string; name: string; website?: string } | null;
  facilities: ServiceFacility[];
  required_documents?: (string | { document?: string; name?: string })[];
  documents?: (string | { document?: string; name?: string })[];
}
export type FacetName = 'life_stage' | 'situation' | 'topic' | 'provider';
export const FACETS: FacetName[] = ['life_stage', 'situation', 'topic', 'provider'];
export interface SearchResult {
  items: ServiceSummary[]; total: number; page: number; page_size: number;
  query: { normalized: string; notes: string[] };
  facets: Record<FacetName, Term[]>;
}
export interface Facility {
  id: string; name: string; type: Term; dong_id?: number | null; organization_id?: string; description?: string;
  address?: string; phone?: string; hours?: string; capacity?: number | null;
  latitude?: number | null; longitude?: number | null; accessibility: string[]; service_ids?: string[];
  services?: ServiceSummary[];
}
export interface FacilityPage { items: Facility[]; total: number; page: number; page_size: number }
export interface Vocabulary {
  life_stage: Term[]; situation: Term[]; topic: Term[]; provider_level: Term[]; channel: Term[]; facility_type: Term[];
}

export function label(term: Term | string | null | undefined): string {
  if (!term) return '';
  if (typeof term === 'string') return term;
  return getState().lang === 'ko' ? term.ko : (term.en || term.ko);
}

let vocab: Vocabulary | null = null;
let vocabPromise: Promise<Vocabulary> | null = null;
export function loadVocabulary(): Promise<Vocabulary> {
  if (vocab) return Promise.resolve(vocab);
  if (!vocabPromise) {
    vocabPromise = api<Vocabulary>('GET', '/api/v1/catalog/vocabulary').then((v) => (vocab = v))
      .catch((e) => { vocabPromise = null; throw e; });
  }
  return vocabPromise;
}
export function useVocabulary(): Vocabulary | null {
  const [v, setV] = useState<Vocabulary | null>(vocab);
  useEffect(() => { if (!v) loadVocabulary().then(setV).catch(() => { /* pages work without it */ }); }, []);
  return v;
}

// ---- search state <-> address bar -------------------------------------------------------------
export interface SearchState { q: string; life_stage: string[]; situation: string[]; topic: string[]; provider: string[]; page: number }

function list(p: URLSearchParams, name: string): string[] {
  const out: string[] = [];
  for (const v of p.getAll(name)) for (const c of v.split(',')) if (c.trim() && !out.includes(c.trim())) out.push(c.trim());
  return out;
}
export function parseSearch(p: URLSearchParams): SearchState {
  const page = Number(p.get('page') || '1');
  return {
    q: p.get('q') || '',
    life_stage: list(p, 'life_stage'), situation: list(p, 'situation'), topic: list(p, 'topic'), provider: list(p, 'provider'),
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}
export function searchQuery(s: SearchState, opts: { page?: boolean } = { page: true }): string {
  const p = new URLSearchParams();
  if (s.q.trim()) p.set('q', s.q.trim());
  for (const f of FACETS) if (s[f].length) p.set(f, s[f].join(','));
  if (opts.page !== false && s.page > 1) p.set('page', String(s.page));
  const str = p.toString().replace(/%2C/g, ',');
  return str ? '?' + str : '';
}
export function hasFilters(s: SearchState): boolean { return FACETS.some((f) => s[f].length > 0); }

// ---- Korean particles and the server's explanations ---------------------------------------------
// 으로/로 after a word: 로 after a vowel or ㄹ, 으로 after other final consonants. Initial-consonant
// letters are read by their names (ㄱ 기역, ㄹ 리을 …), all of which end in a consonant.
export function euro(word: string): string {
  const ch = word.trim().slice(-1);
  if (!ch) return '로';
  const c = ch.charCodeAt(0);
  if (c >= 0xac00 && c <= 0xd7a3) {
    const jong = (c - 0xac00) % 28;
    return jong === 0 || jong === 8 ? '로' : '으로';
  }
  if (c >= 0x3131 && c <= 0x314e) return ch === 'ㄹ' ? '로' : '으로';
  return '(으)로';
}

// 와/과 after a word.
export function wa(word: string): string {
  const c = word.trim().slice(-1).charCodeAt(0);
  if (c >= 0xac00 && c <= 0xd7a3) return (c - 0xac00) % 28 === 0 ? '와' : '과';
  return '와(과)';
}


// One part of a "why" or "notes" string in the reader's language.
function explain(part: string, sentence: boolean): string {
  const ko = getState().lang === 'ko';
  let m = /^오타 허용:\s*(.+?)→(.+)$/.exec(part);
  if (m) {
    const [, from, to] = m;
    if (sentence) return ko ? `${from} → ${to}${euro(to)} 찾았습니다.` : `Showing results for “${to}” instead of “${from}”.`;
    return ko ? `${from} → ${to}${euro(to)} 고쳐 찾음` : `“${from}” read as “${to}”`;
  }
  m = /^동의어\s+(.+?)→(.+)$/.exec(part);
  if (m) {
    const [, from, to] = m;
    if (sentence) return ko ? `${from}${wa(from)} 같은 뜻인 ${to}도 함께 찾았습니다.` : `Also searched for “${to}”, which means the same as “${from}”.`;
    return ko ? `같은 뜻 ${to}${euro(to)} 찾음` : `found through the synonym “${to}”`;
  }
  m = /^초성\s+(.+)$/.exec(part);
  if (m) return ko ? `초성 ${m[1]}${euro(m[1])} 찾음` : `found by initial consonants ${m[1]}`;
  if (part === '찾는 서비스가 없습니다') return sentence ? t('services.empty.title') : part;
  if (ko) return part;
  if (part.startsWith('모든 낱말이 들어간 서비스가 없어')) return 'No service has every word; showing services that match some of them.';
  return part;
}
export function explainNotes(notes: string[] | undefined): string[] {
  return (notes || []).filter((n) => n !== '찾는 서비스가 없습니다').map((n) => explain(n, true));
}

export function ageRange(min?: number | null, max?: number | null): string | null {
  const hasMin = min !== null && min !== undefined && min > 0;
  const hasMax = max !== null && max !== undefined;
  if (hasMin && hasMax) return t('service.age.range', { min: min!, max: max! });
  if (hasMin) return t('service.age.min', { min: min! });
  if (hasMax) return t('service.age.max', { max: max! });
  return null;
}

export function formatDate(d: string | null | undefined): string {
  if (!d) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d);
  if (!m) return d;
  return getState().lang === 'ko' ? `${m[1]}년 ${Number(m[2])}월 ${Number(m[3])}일` : `${m[1]}-${m[2]}-${m[3]}`;
}

export function formatNumber(n: number): string {
  return n.toLocaleString(getState().lang === 'ko' ? 'ko-KR' : 'en-GB');
}

export const ACCESSIBILITY = ['wheelchair', 'elevator', 'accessible_toilet', 'braille', 'hearing_loop', 'accessible_parking'] as const;

export function isUrl(s: string | undefined | null): boolean {
  return !!s && /^https?:\/\/[^\s]+$/i.test(s.trim());
}

// Pages 1 … n shown around the current one.
export function pageWindow(page: number, pages: number): (number | null)[] {
  const out: (number | null)[] = [];
  const lo = Math.max(1, page - 2), hi = Math.min(pages, page + 2);
  if (lo > 1) { out.push(1); if (lo > 2) out.push(null); }
  for (let i = lo; i <= hi; i++) out.push(i);
  if (hi < pages) { if (hi < pages - 1) out.push(null); out.push(pages); }
  return out;
}
