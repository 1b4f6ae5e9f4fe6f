// Strings of the public report form (위기이웃 제보) and a gatekeeper's own reports: Korean first,
// then English. Merged into the dictionaries of i18n.ts.
export const outreachKo = {
  'nav.report': '위기이웃 제보',
  'nav.staff': '업무',
};
export const outreachEn: Record<keyof typeof outreachKo, string> = {
  'nav.report': 'Report a neighbour',
  'nav.staff': 'Work',
};
