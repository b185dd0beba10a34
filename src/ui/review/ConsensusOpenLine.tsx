import { useEffect, useState } from 'react';
import { useApp } from '../../app/context';
import type { OpenCount } from '../../quality/disagreements';

const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

/**
 * In the Export dialog, when the Consensus layer is chosen: how many disagreements are still open
 * (not settled in Review) and on how many images — the Consensus holds settled objects only, so
 * those objects will not be in the download. Informs; Download stays enabled. Counted in the
 * check worker over the shapes and decisions as saved now.
 */
export function ConsensusOpenLine() {
  const { checks, services } = useApp();
  const [count, setCount] = useState<OpenCount | 'counting' | 'failed'>('counting');
  useEffect(() => {
    if (!services.stores.document.getState().doc) return;
    const stop = new AbortController();
    let live = true;
    checks
      .openDisagreements({ signal: stop.signal })
      .then((n) => live && setCount(n))
      .catch(() => live && setCount('failed'));
    return () => {
      live = false;
      stop.abort();
    };
  }, [checks, services]);

  let text: string;
  let open = false;
  if (count === 'counting') text = 'Review: counting the disagreements still open…';
  else if (count === 'failed') text = 'Review: the open disagreements could not be counted.';
  else if (count.open === 0) text = 'Review: every disagreement is settled; the Consensus holds the whole review.';
  else {
    open = true;
    text = `Review: ${plural(count.open, 'disagreement')} still open on ${plural(count.images, 'image')}. The Consensus holds settled objects only, so these are not in the export. Settle them in Review first, or export as it is.`;
  }
  return (
    <section className={open ? 'export-check export-check-errors' : 'export-check muted'} aria-label="Review status" aria-live="polite">
      {text}
    </section>
  );
}
