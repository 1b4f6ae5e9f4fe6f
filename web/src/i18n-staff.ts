// Strings of the staff pages for triage and cases: Korean first, then English. Merged into i18n.ts.
export const staffKo = {
};
export const staffEn: Record<keyof typeof staffKo, string> = {
};
