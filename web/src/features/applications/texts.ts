// Korean first, English second: the online application pages' texts.
import { getState } from '../../store';

const KO = {
  apply: '온라인 신청', applyLead: '작성 중인 내용은 서버에 저장되어 나중에 이어서 쓸 수 있습니다.',
  loginFirst: '신청하려면 로그인해 주세요.', login: '로그인하고 신청하기', provider: '운영', source: '근거',
  dong: '사는 동', dongHint: '이 동의 행정복지센터 담당 공무원이 신청을 처리합니다.', choose: '고르세요',
  required: '필수', optional: '선택', yes: '예', no: '아니요',
  consents: '개인정보 수집·이용 동의', purpose: '목적', items: '항목', retention: '보유 기간', basis: '근거',
  agree: '동의합니다', documents: '제출 서류', fileHint: 'PDF, JPG, PNG 파일 (1MB 이하)', uploaded: '올린 파일',
  upload: '올리기', save: '임시 저장', saved: '저장했습니다. 나중에 이어서 쓰실 수 있습니다.', submit: '제출하기',
  resubmit: '보완 서류 내고 다시 제출하기', submitted: '신청이 접수되었습니다', receipt: '접수번호',
  status: '상태', mine: '나의 신청', mineLead: '신청한 내용과 처리 상태를 확인합니다. 상태가 바뀌면 알림함으로 알려 드립니다.',
  none: '아직 신청한 것이 없습니다.', continue: '이어서 쓰기', addDocs: '서류 보완하기', history: '처리 과정',
  requestNote: '담당자의 보완 요청', decision: '결과', reason: '결정 사유', approved: '승인', rejected: '거절',
  error: '문제가 생겼습니다', noForm: '신청서를 찾을 수 없습니다.', readOnly: '제출한 신청서는 고칠 수 없습니다. 요청받은 서류만 올려 주세요.',
  handover: '신청 준비하기', handoverLead: '이 제도는 공식 누리집에서 신청합니다. 아래 준비물을 챙기시면 됩니다.',
  checklist: '준비물', goPortal: '{site}에서 신청하기', newWindow: '(새 창)', myCheck: '내 모의계산에서 알고 있는 것',
  myCheckNote: '이 내용은 이 화면에서 본인에게만 보이며, 두레는 어떤 정보도 신청 누리집으로 보내지 않습니다.',
  noCheck: '저장된 모의계산 결과가 없습니다.', household: '가구원 수', checkStatus: '모의계산 결과', estimate: '예상 금액(월)',
  eligible: '받을 수 있을 것 같아요', not_eligible: '어려울 것 같아요', undetermined: '더 알아봐야 해요', not_computed: '계산하지 않았어요',
  staffQueue: '온라인 신청 처리', staffLead: '맡은 동의 신청입니다. 신청서를 열면 열람 사유가 기록됩니다.',
  all: '전체', open: '열기', viewReason: '열람 사유', viewReasonHint: '예: 신청 검토 (기록됩니다)', openRecord: '신청서 열기',
  review: '검토 시작', askDocs: '서류 보완 요청', askNote: '필요한 서류와 까닭 (주민에게 그대로 보입니다)',
  decide: '결정하기', decideNote: '결정 사유 (필수, 주민에게 그대로 보입니다)', decideHint: '결정은 담당 공무원이 직접 합니다. 자동으로 결정되는 것은 없습니다.',
  done: '처리했습니다', download: '내려받기', onBehalf: '주민 대신 신청', onBehalfLead: '직접 신청하기 어려운 주민을 대신해 신청합니다. 주민의 동의를 받았는지 꼭 기록해 주세요.',
  residentName: '주민 이름', residentPhone: '주민 전화번호', consentMethod: '동의 방법', written: '서면', phone: '전화', visit: '방문',
  consentAt: '동의받은 때', consentBy: '동의한 사람 (본인 또는 보호자)', consentNote: '메모', form: '신청서', create: '대신 신청서 만들기',
  onBehalfBadge: '대신 신청', submittedAt: '접수일', applicant: '신청인', answers: '신청 내용', consentRecord: '주민 동의 기록',
  draft: '작성 중', received: '접수됨', under_review: '검토 중', more_documents: '서류 보완 요청', decided: '결정됨',
  'code.required': '입력해 주세요', 'code.unknown_choice': '보기에서 골라 주세요', 'code.out_of_range': '범위를 벗어났습니다',
  'code.invalid_phone': '전화번호를 숫자로 적어 주세요 (예: 010-1234-5678)', 'code.too_long': '너무 깁니다',
  'code.consent_required': '동의해 주셔야 신청을 처리할 수 있습니다', 'code.unsupported_type': 'PDF, JPG, PNG 파일만 올릴 수 있습니다',
  'code.type_mismatch': '파일 형식이 이름과 다릅니다. PDF, JPG, PNG 파일을 올려 주세요', 'code.too_large': '파일이 너무 큽니다 (1MB 이하)',
  'code.not_an_integer': '숫자로 적어 주세요', 'code.invalid_date': '날짜를 YYYY-MM-DD로 적어 주세요', 'code.unknown_dong': '동을 골라 주세요',
};
const EN: Record<keyof typeof KO, string> = {
  apply: 'Apply online', applyLead: 'What you write is saved on the server; you can continue later.',
  loginFirst: 'Please log in to apply.', login: 'Log in to apply', provider: 'Run by', source: 'Source',
  dong: 'Your dong', dongHint: 'The officials of this dong handle the application.', choose: 'Choose',
  required: 'required', optional: 'optional', yes: 'Yes', no: 'No',
  consents: 'Consent to collect and use personal data', purpose: 'Purpose', items: 'Items', retention: 'Kept for', basis: 'Basis',
  agree: 'I agree', documents: 'Documents', fileHint: 'PDF, JPG or PNG (up to 1 MB)', uploaded: 'Uploaded',
  upload: 'Upload', save: 'Save draft', saved: 'Saved. You can continue later.', submit: 'Submit',
  resubmit: 'Submit again with the documents', submitted: 'Your application was received', receipt: 'Receipt number',
  status: 'Status', mine: 'My applications', mineLead: 'What you applied for and where it stands. You are told in your inbox when it changes.',
  none: 'No applications yet.', continue: 'Continue', addDocs: 'Add documents', history: 'History',
  requestNote: 'What the official asked for', decision: 'Decision', reason: 'Reason', approved: 'Approved', rejected: 'Rejected',
  error: 'Something went wrong', noForm: 'No such form.', readOnly: 'A submitted application cannot be changed. Please upload the documents asked for.',
  handover: 'Prepare your application', handoverLead: 'This program is applied for on its official site. Bring the items below.',
  checklist: 'Checklist', goPortal: 'Apply on {site}', newWindow: '(new window)', myCheck: 'What your eligibility check knows',
  myCheckNote: 'Shown only to you on this screen; dure sends nothing to the application site.',
  noCheck: 'No saved eligibility check.', household: 'Household size', checkStatus: 'Eligibility check', estimate: 'Estimated monthly amount',
  eligible: 'Likely eligible', not_eligible: 'Unlikely', undetermined: 'Needs more information', not_computed: 'Not computed',
  staffQueue: 'Online applications', staffLead: 'Applications of your dongs. Opening one records your reason.',
  all: 'All', open: 'Open', viewReason: 'Reason for viewing', viewReasonHint: 'e.g. reviewing the application (logged)', openRecord: 'Open application',
  review: 'Start review', askDocs: 'Ask for documents', askNote: 'What is needed and why (the resident reads this)',
  decide: 'Decide', decideNote: 'Reason (required; the resident reads this)', decideHint: 'An official decides; nothing is decided automatically.',
  done: 'Done', download: 'Download', onBehalf: 'Apply for a resident', onBehalfLead: 'Apply for a resident who cannot apply themselves. Record their consent.',
  residentName: 'Resident name', residentPhone: 'Resident phone', consentMethod: 'How they consented', written: 'In writing', phone: 'By phone', visit: 'In person',
  consentAt: 'When', consentBy: 'Who consented (the resident or a guardian)', consentNote: 'Note', form: 'Form', create: 'Create the application',
  onBehalfBadge: 'On behalf', submittedAt: 'Received', applicant: 'Applicant', answers: 'Answers', consentRecord: 'Consent record',
  draft: 'Draft', received: 'Received', under_review: 'Under review', more_documents: 'More documents needed', decided: 'Decided',
  'code.required': 'Required', 'code.unknown_choice': 'Choose one of the options', 'code.out_of_range': 'Out of range',
  'code.invalid_phone': 'Digits only, e.g. 010-1234-5678', 'code.too_long': 'Too long',
  'code.consent_required': 'Needed to process the application', 'code.unsupported_type': 'Only PDF, JPG and PNG files',
  'code.type_mismatch': 'The file is not what its type says; upload a PDF, JPG or PNG', 'code.too_large': 'The file is too large (up to 1 MB)',
  'code.not_an_integer': 'A whole number', 'code.invalid_date': 'A date as YYYY-MM-DD', 'code.unknown_dong': 'Choose your dong',
};

export type AKey = keyof typeof KO;
export function at(k: AKey, params: Record<string, string | number> = {}): string {
  let s = (getState().lang === 'en' ? EN : KO)[k] ?? k;
  for (const [n, v] of Object.entries(params)) s = s.replace(`{${n}}`, String(v));
  return s;
}
export function atMaybe(k: string): string | null {
  const table = (getState().lang === 'en' ? EN : KO) as Record<string, string>;
  return table[k] ?? null;
}
export function when(unix: number | null | undefined): string {
  if (!unix) return '-';
  return new Date(unix * 1000).toLocaleString(getState().lang === 'en' ? 'en-GB' : 'ko-KR',
    { timeZone: 'Asia/Seoul', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
