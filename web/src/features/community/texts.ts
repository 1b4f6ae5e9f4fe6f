// Korean first, English second: the community pages' texts.
import { getState } from '../../store';

const KO = {
  events: '행사', eventsLead: '이웃과 함께하는 행사입니다. 자리가 다 차면 대기 순서대로 자리가 돌아갑니다.',
  spaces: '공간 예약', spacesLead: '주민 모임에 쓸 수 있는 공간입니다. 정치·종교·영리 목적은 쓸 수 없습니다.',
  mine: '나의 행사 신청', draw: '공개 추첨', desk: '행사 관리 데스크',
  when: '일시', where: '장소', mode: '방식', capacity: '정원', left: '남은 자리', waitlisted: '대기',
  status: '상태', register: '신청하기', registered: '신청했습니다', cancel: '신청 취소', accept: '자리 확정',
  name: '이름', phone: '전화번호', closes: '신청 마감', full: '자리가 다 찼습니다 (대기 신청 가능)',
  loginFirst: '신청하려면 로그인해 주세요.', none: '아직 없습니다.', offerUntil: '확정 기한',
  online: '온라인', offline: '대면', hybrid: '온·오프라인', rule: '추첨 방법', legal: '법적 근거',
  seed: '시드(추첨 번호)', seedSource: '시드 출처', listHash: '참가자 목록 해시', winners: '당첨자', reason: '재추첨 사유',
  entrants: '참가자 수', run: '회차', verify: '누구나 확인할 수 있습니다: dure lottery verify draw.json "시드"',
  download: '공개 자료 내려받기', hours: '이용 시간', equipment: '비품', accessibility: '접근성', fee: '이용료',
  booked: '예약된 시간', calendar: '달력(iCal) 구독', attendees: '참가 확정자', waitlist: '대기자 (순번만)',
  position: '순번', allocationDraw: '신청자 중 공개 추첨', entryCode: '추첨 번호', error: '문제가 생겼습니다',
  confirmed: '참가 확정', applied: '추첨 대기', offered: '자리 제안', cancelled: '취소', lapsed: '기한 지남',
  event_cancelled: '행사 취소', requested: '승인 대기', approved: '승인', rejected: '거절',
};
type Key = keyof typeof KO;
const EN: Record<Key, string> = {
  events: 'Events', eventsLead: 'Events with your neighbours. When an event is full, freed places go to the waitlist in order.',
  spaces: 'Meeting spaces', spacesLead: 'Spaces for residents\' meetings. Political, religious and commercial uses are not allowed.',
  mine: 'My registrations', draw: 'Public draw', desk: 'Event desk',
  when: 'When', where: 'Where', mode: 'Format', capacity: 'Places', left: 'Places left', waitlisted: 'Waiting',
  status: 'Status', register: 'Register', registered: 'Registered', cancel: 'Cancel', accept: 'Confirm my place',
  name: 'Name', phone: 'Phone', closes: 'Registration closes', full: 'Full (you can join the waitlist)',
  loginFirst: 'Log in to register.', none: 'None yet.', offerUntil: 'Confirm by',
  online: 'Online', offline: 'In person', hybrid: 'Hybrid', rule: 'Rule', legal: 'Legal basis',
  seed: 'Seed', seedSource: 'Seed source', listHash: 'Entrant list hash', winners: 'Winners', reason: 'Reason for rerun',
  entrants: 'Entrants', run: 'Run', verify: 'Anyone can check: dure lottery verify draw.json "seed"',
  download: 'Download the published data', hours: 'Opening hours', equipment: 'Equipment', accessibility: 'Accessibility', fee: 'Fee',
  booked: 'Booked hours', calendar: 'Subscribe (iCal)', attendees: 'Confirmed', waitlist: 'Waitlist (positions only)',
  position: 'Position', allocationDraw: 'Places drawn in public among applicants', entryCode: 'Entry code', error: 'Something went wrong',
  confirmed: 'Confirmed', applied: 'Awaiting the draw', offered: 'Place offered', cancelled: 'Cancelled', lapsed: 'Offer lapsed',
  event_cancelled: 'Event cancelled', requested: 'Awaiting approval', approved: 'Approved', rejected: 'Rejected',
};

export function ct(key: Key): string { return (getState().lang === 'en' ? EN : KO)[key]; }
export function statusText(s: string): string { return s in KO ? ct(s as Key) : s; }

export function when(unix: number): string {
  return new Date(unix * 1000).toLocaleString(getState().lang === 'en' ? 'en-GB' : 'ko-KR',
    { timeZone: 'Asia/Seoul', year: 'numeric', month: 'long', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit' });
}
