// 개인정보처리방침 (/privacy), generated from what the platform actually holds: the purposes and
// fields below follow the tables that store personal data (migrations/*: accounts, member_profiles,
// alert_settings, outreach_reports, persons, checkins, case_entries, survey responses, risk
// indicators, access_log), the retention periods come from data/privacy/retention.json through
// GET /api/v1/privacy/retention, and the district and its privacy officer from GET /api/v1/site.
// Structure: PIPA (개인정보 보호법) art. 30, the items a privacy policy must state; "제N조" without a law
// name below means PIPA. Sources: https://www.law.go.kr/법령/개인정보보호법,
// https://www.law.go.kr/법령/사회보장급여의이용ㆍ제공및수급권자발굴에관한법률.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { Page } from '../page';
import { Link } from '../router';
import { districtLabel, formatPhone, useSite } from '../site';
import { t, useAppState } from '../store';

interface Kind { kind: string; label_ko: string; label_en: string; days: number | null; basis_ko: string; basis_en: string }
type L = { ko: string; en: string };
interface Purpose { what: L; fields: L; basis: L; required: L }

// One row per kind of personal data the stores hold, with the legal basis (PIPA art. 15(1) item).
const PURPOSES: Purpose[] = [
  { what: { ko: '회원 가입과 로그인', en: 'Sign-up and log-in' },
    fields: { ko: '이름, 전자우편 주소 또는 휴대전화번호, 사는 구, 비밀번호(복원할 수 없는 해시로만 저장)', en: 'Name, e-mail address or mobile number, district, password (stored only as an irreversible hash)' },
    basis: { ko: '정보주체의 동의 (제15조제1항제1호)', en: 'Consent (art. 15(1)1)' }, required: { ko: '필수', en: 'Required' } },
  { what: { ko: '복지 모의계산 결과와 가구 정보 저장', en: 'Saving eligibility results and the household' },
    fields: { ko: '가구원 수와 관계, 생년월일, 소득·재산, 주거, 장애·임신 등 모의계산에 넣은 답', en: 'Household size and relations, dates of birth, income and assets, housing, disability, pregnancy and the other answers entered' },
    basis: { ko: '정보주체의 별도 동의 (제15조제1항제1호, 민감정보는 제23조제1항제1호)', en: 'Separate consent (art. 15(1)1; sensitive data art. 23(1)1)' }, required: { ko: '선택', en: 'Optional' } },
  { what: { ko: '맞춤 복지 알림', en: 'Welfare alerts' },
    fields: { ko: '알림 동의 여부, 관심 분야, 받을 방법(알림함·문자·전자우편)', en: 'Alert consent, interests, channels (inbox, SMS, e-mail)' },
    basis: { ko: '정보주체의 동의 (제15조제1항제1호)', en: 'Consent (art. 15(1)1)' }, required: { ko: '선택', en: 'Optional' } },
  { what: { ko: '위기 이웃 제보 처리', en: 'Handling reports of neighbours in crisis' },
    fields: { ko: '제보된 분의 주소·장소, 이름·연락처(아는 경우), 걱정되는 상황; 제보자의 연락처(남긴 경우만)', en: "The reported person's address or place, name and phone (if known), the concern; the reporter's contact (only if given)" },
    basis: { ko: '제15조제1항제3호(공공기관의 소관 업무)·제5호(생명·신체 보호); 「사회보장급여의 이용·제공 및 수급권자 발굴에 관한 법률」(사회보장급여법) 제12조의2 (위기가구 발굴)', en: 'PIPA art. 15(1)3 (a public body\'s statutory work) and 5 (life and body); Social Security Benefits Act art. 12-2 (finding households in crisis)' }, required: { ko: '제보자 연락처는 선택', en: "Reporter's contact optional" } },
  { what: { ko: '돌봄·상담 대상자 관리, 안부 확인, 사례관리', en: 'Care and counselling, check-ins, case management' },
    fields: { ko: '이름, 생년월일, 주소, 전화번호, 주민등록번호(법령이 허용하는 업무만), 안부 확인 결과와 메모, 상담·방문 기록', en: 'Name, date of birth, address, phone, resident registration number (only where a law allows), check-in results and notes, counselling and visit records' },
    basis: { ko: '사회보장급여법 제42조의2 (통합사례관리), 제15조제1항제3호; 민감정보·고유식별정보는 법령이 허용하는 경우만 (제23조, 제24조)', en: 'Social Security Benefits Act art. 42-2 (integrated case management); PIPA art. 15(1)3; sensitive data and unique identifiers only where a law allows (arts. 23, 24)' }, required: { ko: '법령에 따른 업무', en: 'Statutory work' } },
  { what: { ko: '위기가구 선별과 실태조사', en: 'Crisis screening and field surveys' },
    fields: { ko: '관계 기관이 보낸 위기 지표(단전·단수·체납 등)와 가구 식별값, 실태조사 응답', en: 'Crisis indicators sent by public institutions (utility cut-offs, arrears and the like) with a household key, field-survey answers' },
    basis: { ko: '사회보장급여법 제12조의2와 같은 법 시행령 제8조의2 (위기가구 발굴 정보), 제15조제1항제3호', en: 'Social Security Benefits Act art. 12-2 and its decree art. 8-2 (crisis information); PIPA art. 15(1)3' }, required: { ko: '법령에 따른 업무', en: 'Statutory work' } },
  { what: { ko: '직원 접속기록', en: 'Staff access log' },
    fields: { ko: '직원 계정, 열람한 기록, 열람 시각과 사유, 접속 주소', en: 'Staff account, record read, time and reason, address' },
    basis: { ko: '개인정보의 안전성 확보조치 기준 제8조', en: 'PIPC safety-measures standard art. 8' }, required: { ko: '법정 의무', en: 'Legal duty' } },
];

const TEXT = {
  ko: {
    title: '개인정보처리방침',
    intro: (d: string) => `${d}(이하 "구")는 「개인정보 보호법」 제30조에 따라 이 누리집(두레)에서 처리하는 개인정보와 정보주체의 권리를 다음과 같이 알립니다. 두레는 꼭 필요한 정보만 받고, 이름·연락처·가구 정보 같은 개인정보는 암호화해 저장합니다.`,
    s1: '1. 처리 목적, 항목과 근거', col: ['업무', '처리하는 항목', '근거', '필수·선택'],
    s2: '2. 보유 기간', s2lead: '기간이 지나면 매일 도는 정리 작업이 지체 없이 파기합니다 (제21조).', keep: '보존 기간을 정하지 않음: 아래 사유가 끝날 때까지', days: (n: number) => (n === 0 ? '만료 즉시' : `${n}일`),
    s3: '3. 제3자 제공', s3t: '구는 개인정보를 제3자에게 제공하지 않습니다. 다만 법률에 특별한 규정이 있거나 생명·신체를 보호하기 위해 급히 필요한 경우(제17조, 제18조제2항)에는 예외로 하며, 그때에는 제공 사실을 기록합니다.',
    s4: '4. 처리 위탁', s4t: '두레는 개인정보 처리를 외부 업체에 맡기지 않습니다. 구가 문자·전자우편 발송 대행 업체를 쓰는 경우에는 발송에 필요한 전화번호·전자우편 주소와 알림 내용만 전달하며, 수탁자와 위탁 업무를 이 방침에 추가로 알립니다.',
    s5: '5. 파기 절차와 방법', s5t: '보유 기간이 지난 기록은 매일 자동으로 데이터베이스에서 지웁니다. 회원이 탈퇴하면 이름·연락처·비밀번호와 저장한 가구 정보를 바로 지우고, 접속기록·요구 처리 기록이 가리키는 번호만 남깁니다.',
    s6: '6. 정보주체의 권리와 행사 방법', s6t: '누구나 자기 개인정보의 열람·정정·삭제·처리정지를 요구할 수 있고(제35조~제37조), 구는 10일 안에 처리 결과를 알립니다. 회원은 ', s6link: '마이페이지 › 내 개인정보', s6t2: '에서 바로 요구하거나 탈퇴할 수 있고, 회원이 아니면 아래 개인정보 보호책임자에게 요구할 수 있습니다. 법정대리인이나 위임받은 사람도 요구할 수 있습니다.',
    s7: '7. 안전성 확보 조치', s7items: ['이름·연락처·가구 정보·상담 기록 등 개인정보를 암호화해 저장합니다.', '직원은 맡은 동·업무의 기록만 볼 수 있고, 개인 기록을 열 때마다 누가·언제·왜 보았는지 위·변조를 막는 접속기록에 남깁니다.', '비밀번호는 복원할 수 없는 방식으로만 저장하고, 로그인 시도를 제한합니다.', '모든 통신은 암호화된 연결(HTTPS)로 주고받습니다.'],
    s8: '8. 자동으로 수집하는 정보 (쿠키)', s8items: ['dure_session (https에서는 __Host-dure_session): 로그인을 유지하는 쿠키 (자바스크립트로 읽을 수 없음, 로그아웃하거나 만료되면 삭제)', 'dure_signed_in: 로그인 여부만 알리는 쿠키 (비밀 값 없음, 로그인 쿠키와 함께 삭제)', '글자 크기·언어·고대비 설정: 이 기기의 브라우저 저장소에만 저장', '방문 분석 도구나 광고 쿠키는 쓰지 않습니다.'],
    s9: '9. 개인정보 보호책임자', officerMissing: '구청 개인정보 보호 담당 부서', phone: '전화', email: '전자우편',
    s10: '10. 권익침해 구제 방법', s10t: '개인정보 침해로 도움이 필요하면 다음 기관에 문의할 수 있습니다.',
    remedies: [['개인정보침해신고센터', '118'], ['개인정보분쟁조정위원회', '1833-6972'], ['대검찰청 사이버수사과', '1301'], ['경찰청 사이버수사국', '182']],
    s11: '11. 방침의 변경', s11t: '이 방침은 2026년 12월 7일부터 적용합니다. 바뀌면 시행 7일 전에 이 누리집에 알립니다.',
    district: '이 누리집을 운영하는 구청',
  },
  en: {
    title: 'Privacy policy',
    intro: (d: string) => `${d} (the "district") sets out here, under article 30 of the Personal Information Protection Act (PIPA), the personal data this site (Dure) processes and your rights. Dure takes only what it needs and stores personal data such as names, contacts and household details encrypted.`,
    s1: '1. Purposes, data and legal basis', col: ['Purpose', 'Data', 'Basis', 'Required?'],
    s2: '2. How long data is kept', s2lead: 'When a period ends, a daily job destroys the data without delay (art. 21).', keep: 'No fixed period: until the reason below ends', days: (n: number) => (n === 0 ? 'deleted on expiry' : `${n} days`),
    s3: '3. Provision to third parties', s3t: 'The district gives personal data to no third party, except where a law specifically provides for it or it is urgently needed to protect life or body (arts. 17 and 18(2)); such provision is recorded.',
    s4: '4. Outsourcing', s4t: 'Dure outsources no processing. If the district uses an SMS or e-mail delivery company, only the number or address and the message are passed on, and the company and its task are added to this policy.',
    s5: '5. How data is destroyed', s5t: 'Records past their period are deleted from the database by a daily job. When a member deletes the account, name, contact, password and saved household are deleted at once; only the number the access log and request records point to remains.',
    s6: '6. Your rights', s6t: 'Anyone may ask to see, correct, delete or stop the processing of their personal data (arts. 35-37); the district answers within 10 days. Members can do this, or delete the account, at ', s6link: 'My page › My personal data', s6t2: '; others can ask the privacy officer below. A legal representative or an authorised person may ask too.',
    s7: '7. Security measures', s7items: ['Personal data such as names, contacts, household details and counselling records is stored encrypted.', 'Staff see only the records of their neighbourhood and duty; every time they open a personal record, who, when and why is written to a tamper-evident access log.', 'Passwords are stored only in a form that cannot be reversed, and log-in attempts are throttled.', 'All traffic travels over encrypted connections (HTTPS).'],
    s8: '8. Data collected automatically (cookies)', s8items: ['dure_session (__Host-dure_session over https): keeps you logged in (not readable by scripts; removed on logout or expiry)', 'dure_signed_in: only says that you are logged in (no secret; removed with the session cookie)', 'Text size, language and contrast: kept only in this browser\'s storage', 'No analytics or advertising cookies are used.'],
    s9: '9. Privacy officer', officerMissing: "The district office's privacy team", phone: 'Phone', email: 'E-mail',
    s10: '10. Remedies', s10t: 'If your privacy has been infringed you can contact:',
    remedies: [['Personal Information Infringement Report Center', '118'], ['Personal Information Dispute Mediation Committee', '1833-6972'], ["Supreme Prosecutors' Office cyber investigation", '1301'], ['Korean National Police cyber bureau', '182']],
    s11: '11. Changes', s11t: 'This policy applies from 7 December 2026. Changes are announced on this site 7 days before they apply.',
    district: 'The district office running this site',
  },
};

export function PrivacyPolicy() {
  const s = useAppState();
  const site = useSite();
  const [kinds, setKinds] = useState<Kind[] | null>(null);
  useEffect(() => {
    api<{ items: Kind[] }>('GET', '/api/v1/privacy/retention')
      .then((r) => setKinds(r.items || []))
      .catch(() => setKinds([]));
  }, []);
  const x = TEXT[s.lang];
  const ko = s.lang === 'ko';
  const pick = (l: L) => (ko ? l.ko : l.en);
  const officer = site?.privacy_officer;
  return (
    <Page title={x.title}>
      <div class="policy">
        <p class="prose">{x.intro(districtLabel(site) || x.district)}</p>
        <section aria-labelledby="pp-1">
          <h2 id="pp-1" class="section-title">{x.s1}</h2>
          <ul class="policy-list">
            {PURPOSES.map((p) => (
              <li key={p.what.ko} class="policy-item">
                <h3 class="policy-item-title">{pick(p.what)} <span class="krds-badge policy-badge">{pick(p.required)}</span></h3>
                <dl class="info-list">
                  <div><dt>{x.col[1]}</dt><dd>{pick(p.fields)}</dd></div>
                  <div><dt>{x.col[2]}</dt><dd>{pick(p.basis)}</dd></div>
                </dl>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="pp-2">
          <h2 id="pp-2" class="section-title">{x.s2}</h2>
          <p class="prose">{x.s2lead}</p>
          {kinds === null ? <p class="loading" role="status">{t('loading')}</p> : (
            <dl class="info-list policy-retention">
              {kinds.map((k) => (
                <div key={k.kind}>
                  <dt>{ko ? k.label_ko : k.label_en}</dt>
                  <dd><strong>{k.days === null ? x.keep : x.days(k.days)}</strong> — {ko ? k.basis_ko : k.basis_en}</dd>
                </div>
              ))}
            </dl>
          )}
        </section>
        <section aria-labelledby="pp-3"><h2 id="pp-3" class="section-title">{x.s3}</h2><p class="prose">{x.s3t}</p></section>
        <section aria-labelledby="pp-4"><h2 id="pp-4" class="section-title">{x.s4}</h2><p class="prose">{x.s4t}</p></section>
        <section aria-labelledby="pp-5"><h2 id="pp-5" class="section-title">{x.s5}</h2><p class="prose">{x.s5t}</p></section>
        <section aria-labelledby="pp-6">
          <h2 id="pp-6" class="section-title">{x.s6}</h2>
          <p class="prose">{x.s6t}<Link href="/me/privacy">{x.s6link}</Link>{x.s6t2}</p>
        </section>
        <section aria-labelledby="pp-7">
          <h2 id="pp-7" class="section-title">{x.s7}</h2>
          <ul class="policy-bullets">{x.s7items.map((i) => <li key={i}>{i}</li>)}</ul>
        </section>
        <section aria-labelledby="pp-8">
          <h2 id="pp-8" class="section-title">{x.s8}</h2>
          <ul class="policy-bullets">{x.s8items.map((i) => <li key={i}>{i}</li>)}</ul>
        </section>
        <section aria-labelledby="pp-9">
          <h2 id="pp-9" class="section-title">{x.s9}</h2>
          <dl class="info-list policy-officer">
            <div><dt>{x.s9}</dt><dd>{officer?.name || site?.office.name || x.officerMissing}</dd></div>
            {(officer?.phone || site?.office.phone) && <div><dt>{x.phone}</dt><dd><a href={`tel:${(officer?.phone || site!.office.phone!).replace(/\D/g, '')}`}>{formatPhone(officer?.phone || site!.office.phone)}</a></dd></div>}
            {(officer?.email || site?.office.email) && <div><dt>{x.email}</dt><dd><a href={`mailto:${officer?.email || site!.office.email}`}>{officer?.email || site!.office.email}</a></dd></div>}
          </dl>
        </section>
        <section aria-labelledby="pp-10">
          <h2 id="pp-10" class="section-title">{x.s10}</h2>
          <p class="prose">{x.s10t}</p>
          <ul class="policy-bullets">{x.remedies.map(([n, p]) => <li key={n}>{n}: <a href={`tel:${p.replace(/\D/g, '')}`}>{p}</a></li>)}</ul>
        </section>
        <section aria-labelledby="pp-11"><h2 id="pp-11" class="section-title">{x.s11}</h2><p class="prose">{x.s11t}</p></section>
      </div>
    </Page>
  );
}
