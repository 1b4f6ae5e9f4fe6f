// Calls of the giving pages (docs/api.md, giving rows). Writes carry an Idempotency-Key made once
// per form submission, so a retried tap writes once.
import { api } from '../../api';

export interface Campaign {
  code: string; title_ko: string; title_en: string; starts_on: string; ends_on: string;
  collector: { name: string; registration: string; legal_basis: string; account_holder: string; url: string };
  thermometer: { target_krw: number; raised_krw: number; degrees_tenths: number };
  gifts: number;
  by_channel: { channel: string; raised_krw: number }[];
  by_form: { form: string; raised_krw: number }[];
  by_dong: { dong_id: number; name_ko: string; name_en: string; target_krw: number; raised_krw: number; degrees_tenths: number }[];
  designations: { code: string; kind: string; label_ko: string; label_en: string; dong_id: number; balance_krw: { cash?: number; in_kind?: number } }[];
  donor_wall: { name: string; amount_krw: number }[];
  days: { id: number; day: string; title_ko: string; title_en: string; place: string; dong_id: number }[];
  distributed_krw: number; balance_krw: number; head_hash: string;
  legal: { ko: string; en: string; source: string; verified: boolean }[];
}
export interface CampaignSummary { code: string; title_ko: string; title_en: string; target_krw: number; raised_krw: number; degrees_tenths: number; starts_on: string; ends_on: string; collector: string }
export interface Ledger {
  head_hash: string; sealed_through: string;
  inflows: { day: string; channel: string; gifts: number; amount_krw: number }[];
  outflows: { day: string; program: string; purpose: string; designation: string; form: string; households: number | string; amount_krw: number }[];
  totals: { gifts_krw: number; reversed_krw: number; distributed_krw: number; balance_krw: number };
}
export interface MyGift { id: number; campaign: string; designation: string; form: string; amount_krw: number; given_on: string; reversed: boolean; used: { given_on: string; program: string; purpose: string; amount_krw: number; households: number | string }[]; unused_krw: number }
export interface CounterGift { id: number; designation: string; channel: string; form: string; amount_krw: number; donor_kind: string; donor_name: string; given_on: string; reversed: boolean; reversal_reason: string }

const enc = encodeURIComponent;
export const newKey = () => (crypto as any).randomUUID ? (crypto as any).randomUUID() : String(Date.now()) + Math.random();

export const listCampaigns = () => api<{ items: CampaignSummary[] }>('GET', '/api/v1/giving/campaigns');
export const getCampaign = (code: string) => api<Campaign>('GET', `/api/v1/giving/campaigns/${enc(code)}`);
export const getLedger = (code: string) => api<Ledger>('GET', `/api/v1/giving/campaigns/${enc(code)}/ledger`);
export const myGifts = () => api<{ items: MyGift[]; allocation_rule: string }>('GET', '/api/v1/giving/mine');
export const counterGifts = (code: string, dong: number | string) => api<{ items: CounterGift[] }>('GET', `/api/v1/giving/campaigns/${enc(code)}/gifts?dong=${enc(String(dong))}`);
export const takeGift = (code: string, body: unknown, key: string) => api<{ id: number }>('POST', `/api/v1/giving/campaigns/${enc(code)}/gifts`, body, undefined, { 'Idempotency-Key': key });
export const reverseGift = (id: number, reason: string, key: string) => api('POST', `/api/v1/giving/gifts/${id}/reversal`, { reason }, undefined, { 'Idempotency-Key': key });
export const distribute = (code: string, body: unknown, key: string) => api<{ id: number }>('POST', `/api/v1/giving/campaigns/${enc(code)}/distributions`, body, undefined, { 'Idempotency-Key': key });
export const createCampaign = (body: unknown, key: string) => api<{ id: number; code: string }>('POST', '/api/v1/giving/campaigns', body, undefined, { 'Idempotency-Key': key });
export const addDay = (code: string, body: unknown, key: string) => api<{ id: number }>('POST', `/api/v1/giving/campaigns/${enc(code)}/days`, body, undefined, { 'Idempotency-Key': key });
