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

export { PrivacyPolicy as Privacy } from './privacy-policy';

export function Accessibility() {
  const s = useAppState();
  return <Page title={t('footer.a11y')}>{A11Y[s.lang].map((p) => <p class="prose" key={p}>{p}</p>)}</Page>;
}
