// Staff pages for triage and cases. Placeholder: filled in by the staff-triage work.
import { NotFound } from './static';
export function StaffHome() { return <NotFound />; }
export function QueuePage() { return <NotFound />; }
export function HouseholdPage(_: { id: string }) { return <NotFound />; }
export function CasesPage() { return <NotFound />; }
export function CasePage(_: { id: string }) { return <NotFound />; }
