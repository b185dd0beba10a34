import { fail, ok } from '../core/result';
import { PASS, type Command } from './commands';
import type { AppRuntime } from './context';

/** A margin around a disagreement when the view zooms to it: its surroundings tell what it is. */
const MARGIN = 0.5;

/**
 * The review scope's commands (active while the review panel shows an image two annotators or
 * more drew on): N / Shift+N step through the image's open disagreements — the canvas zooms to
 * each and the panel's row is marked — and Shift+A accepts every agreed object.
 */
export function reviewCommands({ services, canvas, review }: Pick<AppRuntime, 'services' | 'canvas' | 'review'>): Command[] {
  const { stores } = services;
  const step = (delta: 1 | -1) => () => {
    const { imageId, marks, focused } = stores.review.getState();
    if (!imageId) return PASS;
    if (marks.length === 0) return ok('Nothing open on this image: every disagreement is settled.');
    const at = marks.findIndex((m) => m.key === focused);
    const next = marks[at < 0 ? (delta > 0 ? 0 : marks.length - 1) : (at + delta + marks.length) % marks.length]!;
    stores.review.setState({ focused: next.key });
    stores.session.setState({ selection: [] });
    const { x, y, w, h } = next.bounds;
    const mx = Math.max(w, 8) * MARGIN, my = Math.max(h, 8) * MARGIN;
    canvas.focus(imageId, { x: x - mx, y: y - my, w: w + 2 * mx, h: h + 2 * my });
    return ok(null);
  };
  return [
    { id: 'review.next', label: 'Next disagreement', description: 'Zoom to the next open disagreement on this image', scope: 'review', keys: ['n'], group: 'Review', run: step(1) },
    { id: 'review.previous', label: 'Previous disagreement', scope: 'review', keys: ['Shift+n'], group: 'Review', run: step(-1) },
    {
      id: 'review.acceptAgreed',
      label: 'Accept all agreed',
      description: 'Put every agreed object of this image in the Consensus layer',
      scope: 'review',
      keys: ['Shift+a'],
      group: 'Review',
      run: async () => {
        // The matcher comes with the review panel's module, loaded already when this scope is active.
        const { acceptAgreed } = await import('./reviewOps');
        const r = acceptAgreed(services, review);
        if (!r.ok) return fail(r.message);
        return ok(r.value === 0 ? 'Nothing agreed is left to accept on this image.' : `Accepted ${r.value} agreed object${r.value === 1 ? '' : 's'} into the Consensus layer.`);
      },
    },
  ];
}
