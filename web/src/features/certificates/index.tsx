// Certificates (src/certificates): the public check by number and verification code
// (/certificates/verify, minimal data) and the member's own certificates (/me/certificates).
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import { Loading, Page } from '../../page';
import { Link } from '../../router';
import { getState, useAppState } from '../../store';
import type { Feature } from '../index';

const KO = {
  verify: '증명서 진위 확인', verifyLead: '증명서에 적힌 번호와 확인 코드를 넣으면 발급 여부를 확인할 수 있습니다. 이름은 가려서 보여 줍니다.',
  number: '증명서 번호', code: '확인 코드', check: '확인하기', valid: '두레가 발급한 증명서입니다.', revoked: '취소된 증명서입니다.',
  notFound: '이 번호와 코드의 증명서가 없습니다. 적힌 그대로 다시 확인해 주세요.', title: '내용', issuer: '발급 기관', holder: '받은 사람',
  issued: '발급일', detail: '근거', mine: '나의 증명서', none: '아직 받은 증명서가 없습니다.', loginFirst: '로그인해 주세요.',
  kind_course_completion: '교육 수료증', checkLink: '진위 확인 화면', error: '문제가 생겼습니다',
};
type K = keyof typeof KO;
const EN: Record<K, string> = {
  verify: 'Check a certificate', verifyLead: 'Enter the number and verification code printed on the certificate. Names are shown masked.',
  number: 'Certificate number', code: 'Verification code', check: 'Check', valid: 'This certificate was issued by Dure.', revoked: 'This certificate was revoked.',
  notFound: 'No certificate has this number and code. Check both as printed.', title: 'For', issuer: 'Issued by', holder: 'Holder',
  issued: 'Issued on', detail: 'Basis', mine: 'My certificates', none: 'No certificates yet.', loginFirst: 'Please log in.',
  kind_course_completion: 'Course completion', checkLink: 'Check page', error: 'Something went wrong',
};
const tt = (k: K) => (getState().lang === 'en' ? EN : KO)[k];
const kind = (k: string) => (`kind_${k}` in KO ? tt(`kind_${k}` as K) : k);
const day = (u: number) => new Date(u * 1000).toLocaleDateString(getState().lang === 'en' ? 'en-GB' : 'ko-KR', { timeZone: 'Asia/Seoul', year: 'numeric', month: 'long', day: 'numeric' });

interface Cert { number: string; code?: string; kind: string; title: string; issuer: string; holder: string; detail: string; issued_at: number; revoked: boolean }

function CertView({ c }: { c: Cert }) {
  return (
    <dl class="info-list">
      <dt>{tt('number')}</dt><dd>{c.number}</dd>
      {c.code && <><dt>{tt('code')}</dt><dd>{c.code}</dd></>}
      <dt>{tt('title')}</dt><dd>{kind(c.kind)} · {c.title}</dd>
      <dt>{tt('issuer')}</dt><dd>{c.issuer}</dd>
      <dt>{tt('holder')}</dt><dd>{c.holder}</dd>
      <dt>{tt('issued')}</dt><dd>{day(c.issued_at)}</dd>
      <dt>{tt('detail')}</dt><dd>{c.detail}</dd>
    </dl>
  );
}

function VerifyPage() {
  useAppState();
  const q = new URLSearchParams(location.search);
  const [number, setNumber] = useState(q.get('number') || '');
  const [code, setCode] = useState(q.get('code') || '');
  const [out, setOut] = useState<Cert | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  async function check(e?: Event) {
    e?.preventDefault();
    try {
      setOut(await api<Cert>('GET', `/api/v1/certificates/verify?number=${encodeURIComponent(number.trim())}&code=${encodeURIComponent(code.trim())}`));
      setMsg(null);
    } catch (x) {
      setOut(null);
      setMsg(x instanceof ApiError && x.status === 404 ? tt('notFound') : x instanceof ApiError ? (x.problem.errors || []).map((f) => f.message).join(' ') || x.problem.detail || tt('error') : tt('error'));
    }
  }
  useEffect(() => { if (number && code) check(); }, []);
  return (
    <Page title={tt('verify')} lead={tt('verifyLead')}>
      <form class="panel" noValidate onSubmit={check} aria-labelledby="cv-title">
        <h2 class="panel-title" id="cv-title">{tt('check')}</h2>
        <div class="form-group"><div class="form-tit"><label for="cv-number">{tt('number')}</label></div>
          <div class="form-conts"><input id="cv-number" class="krds-input" value={number} placeholder="DURE-2026-000001" onInput={(e) => setNumber((e.target as HTMLInputElement).value)} /></div></div>
        <div class="form-group"><div class="form-tit"><label for="cv-code">{tt('code')}</label></div>
          <div class="form-conts"><input id="cv-code" class="krds-input" value={code} autoComplete="off" onInput={(e) => setCode((e.target as HTMLInputElement).value)} /></div></div>
        <div class="button-row"><button type="submit" class="krds-btn primary large btn-block-mobile">{tt('check')}</button></div>
      </form>
      {msg && <div class="notice-box" role="alert"><p>{msg}</p></div>}
      {out && (
        <section class="panel" aria-labelledby="cv-result" role="status">
          <h2 class="panel-title" id="cv-result">{out.revoked ? tt('revoked') : tt('valid')}</h2>
          <CertView c={out} />
        </section>
      )}
    </Page>
  );
}

function MinePage() {
  const s = useAppState();
  const [items, setItems] = useState<Cert[] | null>(null);
  useEffect(() => {
    if (s.session === 'user') api<{ items: Cert[] }>('GET', '/api/v1/certificates/mine').then((r) => setItems(r.items), () => setItems([]));
  }, [s.session]);
  if (s.session !== 'user') return <Page title={tt('mine')}><p><Link href="/login?next=/me/certificates" class="krds-btn primary large">{tt('loginFirst')}</Link></p></Page>;
  return (
    <Page title={tt('mine')}>
      {!items ? <Loading /> : items.length === 0 ? <p>{tt('none')}</p> : (
        <ul class="card-list">
          {items.map((c) => (
            <li key={c.number} class="panel">
              <h2 class="panel-title">{kind(c.kind)}: {c.title}</h2>
              <CertView c={c} />
              <p><Link href={`/certificates/verify?number=${encodeURIComponent(c.number)}&code=${encodeURIComponent(c.code || '')}`}>{tt('checkLink')}</Link></p>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

export const certificates: Feature = {
  name: 'certificates',
  routes: { '/certificates/verify': VerifyPage, '/me/certificates': MinePage },
};
