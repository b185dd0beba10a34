import { lazy, Suspense, useState } from 'react';
import { useDocument } from '../../app/context';

// The view and what it pulls in (the agreement report's files, the figures) load when first opened.
const ReviewDialog = lazy(() => import('./ReviewDialog').then((m) => ({ default: m.ReviewDialog })));

/** The contract's **Review** button (UI-CONTRACT.md "Annotators and review") and its view. */
export function ReviewButton() {
  const hasImages = useDocument((s) => (s.doc?.images.length ?? 0) > 0);
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" disabled={!hasImages} title="Where annotators disagree: figures per pair and class, and the images worst first" onClick={() => setOpen(true)}>
        Review
      </button>
      {open && (
        <Suspense fallback={null}>
          <ReviewDialog onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
