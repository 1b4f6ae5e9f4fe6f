// Staff pages for check-ins, screening, surveys and gatekeepers. Placeholder: filled in by the staff-care work.
import { NotFound } from './static';
export function CheckinsPage() { return <NotFound />; }
export function ScreeningPage() { return <NotFound />; }
export function ScreeningRoundPage(_: { id: string }) { return <NotFound />; }
export function SurveysPage() { return <NotFound />; }
export function SurveyEntryPage(_: { code: string }) { return <NotFound />; }
export function GatekeepersPage() { return <NotFound />; }
