// Web features, one per server module (web/src/features/<module>/): each exports a Feature with
// its routes. Adding a module's pages is its folder plus one line in FEATURES.
import type { JSX } from 'preact';
import { sharing } from './sharing';
import { giving } from './giving';
import { community } from './community';
import { applications } from './applications';
import { certificates } from './certificates';

export interface Feature {
  name: string;
  // Exact paths → page.
  routes?: Record<string, () => JSX.Element>;
  // Paths with parameters: return a page for a path this feature owns, or null.
  match?: (path: string) => JSX.Element | null;
  // A card on the home page's "지금 할 수 있는 일" (only features that work add one).
  home?: { href: string; title: () => string; text: () => string };
  // A link in the header's main menu (after the built-in sections).
  nav?: { href: string; label: () => string };
}

export const FEATURES: Feature[] = [
  // (features are added here, one line each)
  sharing,
  giving,
  community,
  applications,
  certificates,
];

export function featurePage(path: string): JSX.Element | null {
  for (const f of FEATURES) {
    const P = f.routes?.[path];
    if (P) return <P key={path} />;
  }
  for (const f of FEATURES) {
    const page = f.match?.(path);
    if (page) return page;
  }
  return null;
}
