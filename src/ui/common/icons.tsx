/** Small line icons (the UI font has no reliable symbols for these). */
import type React from 'react';

export function EyeIcon({ open }: { readonly open: boolean }) {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5">
      <path d="M1 8s2.6-5 7-5 7 5 7 5-2.6 5-7 5-7-5-7-5z" />
      {open ? <circle cx="8" cy="8" r="2" fill="currentColor" /> : <path d="M2 14 14 2" />}
    </svg>
  );
}

export function LockIcon({ closed }: { readonly closed: boolean }) {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5">
      <rect x="3" y="7" width="10" height="7" rx="1.5" fill={closed ? 'currentColor' : 'none'} />
      <path d={closed ? 'M5 7V5a3 3 0 0 1 6 0v2' : 'M5 7V5a3 3 0 0 1 5.8-1'} />
    </svg>
  );
}

/** A folder with an arrow into it: import a whole folder. */
export function FolderInIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round">
      <path d="M1.5 4.5v8a1 1 0 0 0 1 1h11a1 1 0 0 0 1-1v-6a1 1 0 0 0-1-1H8L6.5 3.5h-4a1 1 0 0 0-1 1z" />
      <path d="M8 7v4M6 9.5 8 11.5l2-2" />
    </svg>
  );
}

const toolIcon = (children: React.ReactNode) => (
  <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round">
    {children}
  </svg>
);

/** Icons of the four tools. */
export const TOOL_ICONS = {
  select: toolIcon(<path d="M3 2l9 5.5-4 1 2.5 4.5-1.8 1-2.5-4.5-3 2.8z" fill="currentColor" stroke="none" />),
  box: toolIcon(<rect x="2.5" y="3.5" width="11" height="9" rx="0.5" />),
  polygon: toolIcon(<path d="M8 2l5.5 4-2 7h-7l-2-7z" />),
  pan: toolIcon(<path d="M8 1.5v13M1.5 8h13M8 1.5 6 3.5M8 1.5l2 2M8 14.5l-2-2M8 14.5l2-2M1.5 8l2-2M1.5 8l2 2M14.5 8l-2-2M14.5 8l-2 2" />),
} as const;
