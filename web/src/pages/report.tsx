// 위기가구 제보 (public report form) and 내 제보 (a gatekeeper's own reports). Placeholder: filled in by the report-form work.
import { NotFound } from './static';
export function ReportPage() { return <NotFound />; }
export function MyReportsPage() { return <NotFound />; }
