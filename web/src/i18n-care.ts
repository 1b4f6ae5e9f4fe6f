// Strings of the staff pages for check-ins, screening, surveys and gatekeepers: Korean first, then
// English. Merged into i18n.ts.
export const careKo = {
};
export const careEn: Record<keyof typeof careKo, string> = {
};
