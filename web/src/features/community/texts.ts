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
  attendance: '출석', attended: '출석', no_show: '불참', notMarked: '아직 확인 전', markAttended: '출석', markNoShow: '불참',
  attendanceLater: '출석은 행사 시작 1시간 전부터 확인할 수 있습니다.',
  staffTitle: '공동체 행사·공간 관리', staffLead: '행사, 주민 공간, 공개 추첨을 만들고 행사 관리 데스크로 갑니다.',
  newEvent: '새 행사 만들기', newSpace: '새 공간 등록', newDraw: '공개 추첨 준비(명단 동결)', create: '만들기', freeze: '명단 동결',
  created: '만들었습니다', fTitle: '제목', fStarts: '시작', fEnds: '끝', fAllocation: '참가자 정하는 방법', firstCome: '선착순',
  fWaitlist: '자리가 차면 대기자를 받습니다', fLink: '온라인 회의 주소(https://)', linkHint: '참가 확정자에게만 시작 1시간 전부터 보입니다.',
  fSummary: '소개', kstHint: '한국 시간', closesHint: '시작 전에 마감해야 합니다.', fName: '이름', fOpens: '여는 시각(시)',
  fCloses: '닫는 시각(시)', hourHint: '0–24시, 정시 단위', fFeeSource: '이용료 근거(조례)', feeSourceHint: '이용료를 적으면 근거 조례도 적어야 합니다.',
  legalHint: '지자체가 주는 경품은 조례에 근거가 있어야 합니다(공직선거법 제112조).', seedHint: '아직 아무도 모르는 값: 예) 공개 장소에서 뽑을 번호, 다음 회차 로또 번호',
  fDrawEvent: '추첨할 행사', fPrizeDraw: '행사 없이 경품 추첨(명단 입력)', fEntrants: '참가자 명단', entrantsHint: '한 줄에 하나: 추첨번호,이름 (이름은 가려서 공개합니다)',
  day: '날짜', firstDay: '첫 날짜', fromHour: '시작 시각(시)', toHour: '끝 시각(시)', weeks: '반복', once: '한 번', weeksUnit: '주 동안 매주',
  people: '인원', purpose: '사용 목적', declare: '정치·종교·영리 목적으로 쓰지 않습니다', book: '예약 신청', checkDates: '날짜별 겹침 확인',
  free: '예약 가능', taken: '이미 예약됨', requestedOne: '예약을 신청했습니다. 승인을 기다려 주세요.', requestedN: '매주 예약을 신청했습니다. 횟수:',
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
  attendance: 'Attendance', attended: 'Attended', no_show: 'No-show', notMarked: 'Not marked yet', markAttended: 'Attended', markNoShow: 'No-show',
  attendanceLater: 'Attendance can be marked from an hour before the start.',
  staffTitle: 'Community events and spaces', staffLead: 'Create events, meeting spaces and public draws; open an event desk.',
  newEvent: 'New event', newSpace: 'New meeting space', newDraw: 'Prepare a public draw (freeze the list)', create: 'Create', freeze: 'Freeze the list',
  created: 'Created', fTitle: 'Title', fStarts: 'Starts', fEnds: 'Ends', fAllocation: 'How places are given', firstCome: 'First come',
  fWaitlist: 'Keep a waitlist when full', fLink: 'Meeting link (https://)', linkHint: 'Shown only to confirmed participants, from an hour before.',
  fSummary: 'Description', kstHint: 'Korean time', closesHint: 'Must close by the start.', fName: 'Name', fOpens: 'Opens (hour)',
  fCloses: 'Closes (hour)', hourHint: '0–24, whole hours', fFeeSource: 'Fee basis (ordinance)', feeSourceHint: 'A fee needs the ordinance it comes from.',
  legalHint: 'Prizes from a local government need an ordinance (Public Official Election Act §112).', seedHint: 'A value nobody knows yet: e.g. numbers drawn in public, the next lotto draw',
  fDrawEvent: 'Event to draw', fPrizeDraw: 'Prize draw without an event (enter the list)', fEntrants: 'Entrants', entrantsHint: 'One a line: code,name (names are published masked)',
  day: 'Date', firstDay: 'First date', fromHour: 'From (hour)', toHour: 'To (hour)', weeks: 'Repeat', once: 'Once', weeksUnit: ' weeks, weekly',
  people: 'People', purpose: 'Purpose', declare: 'Not for political, religious or commercial use', book: 'Request booking', checkDates: 'Check each date',
  free: 'Free', taken: 'Booked', requestedOne: 'Booking requested; staff will approve it.', requestedN: 'Weekly bookings requested:',
};

export function ct(key: Key): string { return (getState().lang === 'en' ? EN : KO)[key]; }
export function statusText(s: string): string { return s in KO ? ct(s as Key) : s; }

export function when(unix: number): string {
  return new Date(unix * 1000).toLocaleString(getState().lang === 'en' ? 'en-GB' : 'ko-KR',
    { timeZone: 'Asia/Seoul', year: 'numeric', month: 'long', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit' });
}
