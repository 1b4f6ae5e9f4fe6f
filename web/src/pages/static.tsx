import { Page } from '../page';
import { Link } from '../router';
import { t, useAppState } from '../store';

export function NotFound() {
  return (
    <Page title={t('notFound.title')}>
      <p>{t('notFound.text')}</p>
      <div class="button-row"><Link href="/" class="krds-btn primary large">{t('nav.home')}</Link></div>
    </Page>
  );
}

const PRIVACY = {
  ko: [
    '두레를 운영하는 구청이 이 누리집의 개인정보처리자입니다. 구청마다 개인정보처리방침 전문을 이곳에 게시합니다.',
    '두레는 가입에 필요한 최소한의 정보(이름, 전자우편 또는 휴대전화번호, 사는 구)만 받습니다.',
    '이름, 전화번호 같은 개인정보는 암호화해 저장하며, 담당 공무원이 개인 기록을 볼 때마다 누가, 언제, 왜 보았는지 기록합니다.',
  ],
  en: [
    'The district office that runs Dure is the data controller for this site. Each district publishes its full privacy policy here.',
    'Dure collects only what sign-up needs: your name, an e-mail address or mobile number, and your district.',
    'Personal data such as names and phone numbers is stored encrypted, and every time an official views a personal record, who, when and why is logged.',
  ],
};

const A11Y = {
  ko: [
    '두레는 한국형 웹 콘텐츠 접근성 지침(KWCAG)과 KRDS 디자인 시스템을 따릅니다.',
    '화면 위쪽에서 글자 크기(작게, 보통, 크게, 아주 크게)와 고대비 화면을 고를 수 있고, 고른 설정은 이 기기에 저장됩니다.',
    '키보드만으로 모든 기능을 쓸 수 있으며, 페이지 맨 앞의 "본문 바로가기"로 메뉴를 건너뛸 수 있습니다.',
  ],
  en: [
    'Dure follows the Korean Web Content Accessibility Guidelines (KWCAG) and the KRDS design system.',
    'At the top of every page you can choose the text size (small, normal, large, extra large) and a high-contrast display; your choice is kept on this device.',
    'Everything works with a keyboard alone, and "Skip to main content" at the start of each page bypasses the menus.',
  ],
};

export function Privacy() {
  const s = useAppState();
  return <Page title={t('footer.privacy')}>{PRIVACY[s.lang].map((p) => <p class="prose" key={p}>{p}</p>)}</Page>;
}

export function Accessibility() {
  const s = useAppState();
  return <Page title={t('footer.a11y')}>{A11Y[s.lang].map((p) => <p class="prose" key={p}>{p}</p>)}</Page>;
}
