// Simple line icons for the life stages (48 × 48, drawn in the current text colour so they follow
// high-contrast mode). Decorative: the button text says what they mean.
import type { JSX } from 'preact';

const PATHS: Record<string, JSX.Element> = {
  pregnancy_birth: (
    <>
      <path d="M24 41C11 32 6 25 6 17.5 6 12.3 10 8.5 15 8.5c3.8 0 7 2.2 9 5.4 2-3.2 5.2-5.4 9-5.4 5 0 9 3.8 9 9C42 25 37 32 24 41z" />
      <circle cx="24" cy="23" r="4.5" />
    </>
  ),
  infant: (
    <>
      <path d="M8 12h5l4 16h22" />
      <path d="M19 28c0-9 6-15 15-15h1v15" />
      <circle cx="20" cy="36" r="4" />
      <circle cx="35" cy="36" r="4" />
    </>
  ),
  child: (
    <>
      <circle cx="24" cy="11" r="5" />
      <path d="M24 17v13M15 21l9 4 9-4M24 30l-6 11M24 30l6 11" />
    </>
  ),
  youth: (
    <>
      <path d="M6 11c6-2 12-1 18 3 6-4 12-5 18-3v26c-6-2-12-1-18 3-6-4-12-5-18-3z" />
      <path d="M24 14v26" />
    </>
  ),
  young_adult: (
    <>
      <rect x="7" y="16" width="34" height="23" rx="3" />
      <path d="M18 16v-5h12v5M7 26h34M24 24v5" />
    </>
  ),
  middle_age: (
    <>
      <path d="M5 24 24 8l19 16" />
      <path d="M11 19v21h26V19" />
      <path d="M20 40V30h8v10" />
    </>
  ),
  senior: (
    <>
      <circle cx="20" cy="9" r="4.5" />
      <path d="M20 14l-2 12-4 15M18 26l6 15M19 18l9 6M31 24v17" />
      <path d="M28 24c0-2 3-2 3 0" />
    </>
  ),
  search: (
    <>
      <circle cx="21" cy="21" r="12" />
      <path d="M30 30l11 11" />
    </>
  ),
  filter: <path d="M7 10h34L28 26v12l-8 4V26z" />,
  print: (
    <>
      <path d="M13 18V7h22v11" />
      <rect x="6" y="18" width="36" height="16" rx="2" />
      <path d="M13 29h22v12H13z" />
    </>
  ),
  place: (
    <>
      <path d="M24 43s14-13 14-24a14 14 0 0 0-28 0c0 11 14 24 14 24z" />
      <circle cx="24" cy="19" r="5" />
    </>
  ),
  arrow: <path d="M8 24h30M27 13l11 11-11 11" />,
  calculator: (
    <>
      <rect x="10" y="5" width="28" height="38" rx="3" />
      <path d="M16 12h16v8H16zM17 28h2M23 28h2M29 28h2M17 35h2M23 35h2M29 35h2" />
    </>
  ),
};

export function Icon({ name, class: cls }: { name: string; class?: string }) {
  return (
    <svg class={`d-icon${cls ? ' ' + cls : ''}`} viewBox="0 0 48 48" width="48" height="48" aria-hidden="true" focusable="false"
      fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" stroke-linejoin="round">
      {PATHS[name] || PATHS.search}
    </svg>
  );
}
