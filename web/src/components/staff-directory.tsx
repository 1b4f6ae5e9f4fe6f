// The staff directory (GET /api/v1/outreach/staff) for the forms that assign someone: the list of
// a dong's people in the given roles, reloaded when the dong changes or on demand, and the notice
// shown when it cannot be loaded (the form then falls back to an account number).
import { useEffect, useState } from 'preact/hooks';
import { loadStaffDirectory, type StaffMember, type StaffRole } from '../staff-api';
import { t } from '../store';
import '../i18n-staff';
import '../i18n-care';

export interface StaffDirectory {
  status: 'idle' | 'loading' | 'ready' | 'failed';  // idle: no dong to ask about
  items: StaffMember[];
  reload: () => void;
}

export function useStaffDirectory(dongId: number | null | undefined, roles: StaffRole[]): StaffDirectory {
  const [tick, setTick] = useState(0);
  const key = dongId ? `${dongId}|${roles.join(',')}` : '';
  const [state, setState] = useState<{ key: string; status: StaffDirectory['status']; items: StaffMember[] }>(
    { key, status: dongId ? 'loading' : 'idle', items: [] });
  useEffect(() => {
    if (!dongId) { setState({ key, status: 'idle', items: [] }); return; }
    let live = true;
    // Reloading the same list keeps it on screen (and the form's error on it) until the answer.
    setState((s) => ({ key, status: 'loading', items: s.key === key ? s.items : [] }));
    loadStaffDirectory(dongId, roles)
      .then((items) => { if (live) setState({ key, status: 'ready', items }); })
      .catch(() => { if (live) setState({ key, status: 'failed', items: [] }); });
    return () => { live = false; };
  }, [key, tick]);
  const current = state.key === key ? state : { status: dongId ? 'loading' as const : 'idle' as const, items: [] };
  return { status: current.status, items: current.items, reload: () => setTick((n) => n + 1) };
}

export function DirectoryLoading() {
  return <p class="form-hint staffdir-loading" role="status">{t('staffdir.loading')}</p>;
}

// Said once, plainly, with a way to try again; the account-number field follows it.
export function DirectoryFailed({ onRetry }: { onRetry: () => void }) {
  return (
    <div class="notice-box notice-warning staffdir-failed" role="status" data-field="staff-directory-failed">
      <p>{t('staffdir.failed')}</p>
      <div class="button-row">
        <button type="button" class="krds-btn secondary medium" onClick={onRetry}>{t('staffdir.retry')}</button>
      </div>
    </div>
  );
}
