/** Small line icons (the UI font has no reliable symbols for these). */

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
