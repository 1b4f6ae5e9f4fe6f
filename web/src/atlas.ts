// 복지 현황 (map and statistics), disclosures, news and jobs: API types and shared helpers.
import { getState, isDistrictAdmin, t, type Me } from './store';

// ---- statistics -------------------------------------------------------------------------------
export interface Indicator {
  code: string; name_ko: string; name_en: string; unit: string; description?: string; source?: string;
  aggregate?: 'sum' | 'none'; years?: number[];
}
export interface StatDong {
  dong_id: number | string; code?: string; name_ko: string; name_en: string;
  value: number | null; class: number | null; source?: string | null;
}
export interface Statistics {
  indicator: Indicator | string; year: number | null; years: number[]; unit: string;
  district: { value: number; source?: string; computed?: boolean } | null;
  dongs: StatDong[]; breaks: { method: string; classes?: number; breaks: number[] };
  source?: string; sources?: string[];
}
export interface SeriesPoint { year: number; value: number; source?: string; computed?: boolean }
export interface Series { indicator: Indicator | string; dong: StatDong | null; unit: string; items: SeriesPoint[] }

export interface DongFeature {
  type: 'Feature'; id?: number | string;
  properties: { dong_id: number | string; code?: string; name_ko: string; name_en: string };
  geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
}
export interface DongCollection { type: 'FeatureCollection'; features: DongFeature[] }

export function indicatorName(i: Indicator | null | undefined): string {
  if (!i) return '';
  return getState().lang === 'ko' ? i.name_ko : (i.name_en || i.name_ko);
}

const UNIT_EN: Record<string, string> = { '명': ' people', '가구': ' households', '곳': ' places', '원': ' KRW', '건': '', '개': '' };

// A value with its unit: 21.4%, 1,473명 / 1,473 people.
export function formatValue(v: number | null | undefined, unit: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return t('stats.noData');
  const ko = getState().lang === 'ko';
  const digits = unit === '%' ? 1 : Number.isInteger(v) ? 0 : 1;
  const n = v.toLocaleString(ko ? 'ko-KR' : 'en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (!unit) return n;
  if (unit === '%') return n + '%';
  return ko ? n + unit : n + (UNIT_EN[unit] ?? ' ' + unit);
}
export function unitLabel(unit: string): string {
  if (getState().lang === 'ko' || unit === '%') return unit;
  return (UNIT_EN[unit] ?? unit).trim();
}

// ---- money -------------------------------------------------------------------------------------
// 2,280,000,000원 → "22억 8,000만 원" in Korean, "KRW 2,280,000,000" in English.
export function won(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  const ko = getState().lang === 'ko';
  if (!ko) return 'KRW ' + Math.round(n).toLocaleString('en-GB');
  return Math.round(n).toLocaleString('ko-KR') + '원';
}
export function wonShort(n: number): string {
  const ko = getState().lang === 'ko';
  const neg = n < 0 ? '-' : '';
  const a = Math.abs(Math.round(n));
  if (!ko) {
    if (a >= 1e9) return `${neg}KRW ${(a / 1e9).toLocaleString('en-GB', { maximumFractionDigits: 2 })} bn`;
    if (a >= 1e6) return `${neg}KRW ${(a / 1e6).toLocaleString('en-GB', { maximumFractionDigits: 1 })} m`;
    return `${neg}KRW ${a.toLocaleString('en-GB')}`;
  }
  const eok = Math.floor(a / 1e8), man = Math.floor((a % 1e8) / 1e4);
  if (eok && man) return `${neg}${eok.toLocaleString('ko-KR')}억 ${man.toLocaleString('ko-KR')}만 원`;
  if (eok) return `${neg}${eok.toLocaleString('ko-KR')}억 원`;
  if (man) return `${neg}${man.toLocaleString('ko-KR')}만 원`;
  return `${neg}${a.toLocaleString('ko-KR')}원`;
}
export function percent(part: number, whole: number): string {
  if (!whole) return '–';
  return (part / whole * 100).toLocaleString(getState().lang === 'ko' ? 'ko-KR' : 'en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 }) + '%';
}

// ---- disclosures -------------------------------------------------------------------------------
export type DisclosureStatus = 'draft' | 'submitted' | 'approved' | 'returned';
export interface DisclosureSummary {
  id: string; fiscal_year: number; kind: 'budget' | 'settlement'; status: DisclosureStatus; version: number;
  revenue_total: number; expenditure_total: number; donations_received: number; updated_at?: string;
  published_version?: number; return_reason?: string;
}
export interface DisclosureLine { side: 'revenue' | 'expenditure'; category: string; item?: string; amount: number }
export interface DonationLine {
  received_from_type: 'individual' | 'organization' | 'anonymous'; kind: 'cash' | 'in_kind';
  amount: number; used_for?: string; used_amount?: number;
}
export interface CategoryAmount { category: string; amount: number }
export interface Disclosure {
  id: string; fiscal_year: number; kind: 'budget' | 'settlement'; status: DisclosureStatus; version: number;
  facility: { id: string; name: string };
  lines: DisclosureLine[]; donations: DonationLine[];
  totals: {
    revenue: CategoryAmount[]; expenditure: CategoryAmount[]; revenue_total: number; expenditure_total: number; balance: number;
    donations: { received: number; cash: number; in_kind: number; used: number; unused: number; by_source: { received_from_type: string; amount: number }[] };
  };
  approved_at?: string | null; updated_at?: string; published_version?: number; return_reason?: string;
  submitted_at?: string | null;
}

// The 관 of the social-welfare facility accounting rules (the server checks them too).
export const CATEGORIES: { side: 'revenue' | 'expenditure'; ko: string; en: string }[] = [
  { side: 'revenue', ko: '사업수입', en: 'Program income' },
  { side: 'revenue', ko: '과년도수입', en: 'Prior-year income' },
  { side: 'revenue', ko: '보조금', en: 'Government subsidies' },
  { side: 'revenue', ko: '후원금', en: 'Donations' },
  { side: 'revenue', ko: '요양급여', en: 'Long-term care benefits' },
  { side: 'revenue', ko: '차입금', en: 'Borrowing' },
  { side: 'revenue', ko: '법인전입금', en: 'Transfers from the corporation' },
  { side: 'revenue', ko: '기타전입금', en: 'Other transfers' },
  { side: 'revenue', ko: '이월금', en: 'Carried over' },
  { side: 'revenue', ko: '잡수입', en: 'Miscellaneous income' },
  { side: 'expenditure', ko: '인건비', en: 'Personnel' },
  { side: 'expenditure', ko: '업무추진비', en: 'Business promotion' },
  { side: 'expenditure', ko: '운영비', en: 'Operations' },
  { side: 'expenditure', ko: '시설비', en: 'Facilities' },
  { side: 'expenditure', ko: '자산취득비', en: 'Asset acquisition' },
  { side: 'expenditure', ko: '사업비', en: 'Programs' },
  { side: 'expenditure', ko: '과년도지출', en: 'Prior-year expenditure' },
  { side: 'expenditure', ko: '상환금', en: 'Repayments' },
  { side: 'expenditure', ko: '반환금', en: 'Refunds' },
  { side: 'expenditure', ko: '잡지출', en: 'Miscellaneous expenditure' },
  { side: 'expenditure', ko: '예비비', en: 'Reserve' },
];
export function categoryName(ko: string): string {
  if (getState().lang === 'ko') return ko;
  return CATEGORIES.find((c) => c.ko === ko)?.en || ko;
}

// ---- news and jobs -----------------------------------------------------------------------------
export interface NewsItem { id: number | string; title: string; body: string; published_at: string; updated_at?: string }
export interface Job {
  id: string; title: string; employer: string; place?: string; wage?: string; period?: string; contact?: string;
  url?: string; description?: string; source?: string; valid_until?: string;
}
export interface Paged<T> { items: T[]; total: number; page: number; page_size: number }

// ---- roles -------------------------------------------------------------------------------------
// District officials: they upload statistics, post news and review disclosures.
export function isOfficial(me: Me | null): boolean {
  return !!me && (isDistrictAdmin(me) || me.roles.some((g) => g.role === 'caseworker'));
}
export function isFacilityStaff(me: Me | null): boolean {
  return !!me && (isOfficial(me) || me.roles.some((g) => g.role === 'facility_manager'));
}

// ISO time → "2026년 11월 18일" / "18 Nov 2026" in the reader's language (Seoul time).
export function formatDay(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso + 'T00:00:00+09:00' : iso);
  if (Number.isNaN(d.getTime())) return iso;
  const ko = getState().lang === 'ko';
  return d.toLocaleDateString(ko ? 'ko-KR' : 'en-GB', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'Asia/Seoul' });
}
