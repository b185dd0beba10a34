import { useVirtualizer } from '@tanstack/react-virtual';
import { lazy, memo, Suspense, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useApp, useDocument, useSession } from '../../app/context';
import { patchSelection, selectShapes, setBlindView, toggleLayerHidden, toggleShapeHidden, toggleShapeLocked } from '../../app/annotationActions';
import { annotatorColours } from '../../quality/annotatorColours';

import { useStore } from 'zustand';
import type { Services } from '../../app/services';
import type { Result } from '../../core/result';
import { pushNotice } from '../../state/stores';
import { EyeIcon, LockIcon } from '../common/icons';
import { CommandButton } from '../common/CommandButton';
import type { Annotation, AnnotationId, BoxShape, ClassId, ImageRecord, LabelClass, Layer } from '../../core/model';
import { layerName } from '../../core/document';

const NO_LAYERS: readonly Layer[] = [];
// Review on the open image (and the matcher it brings) loads only when a project has two layers.
const Disagreements = lazy(() => import('../review/Disagreements'));

const ROW_HEIGHT = 34;

interface RowProps {
  /** 1-based position in the list: `#3` tells two boxes of one class apart. */
  readonly index: number;
  readonly a: Annotation;
  readonly cls: LabelClass | undefined;
  readonly selected: boolean;
  readonly hidden: boolean;
  readonly locked: boolean;
  /** Whose layer the shape is in. */
  readonly layer: string;
  readonly onSelect: (id: AnnotationId, additive: boolean) => void;
  readonly onHide: (id: AnnotationId) => void;
  readonly onLock: (id: AnnotationId) => void;
  /** The pointer is over the row (id) or left it (null): the canvas outlines that shape. */
  readonly onHover: (id: AnnotationId | null) => void;
}

/** `120×80` for a box, `7 pts` for a polygon (image pixels, rounded). */
function sizeOf(a: Annotation): string {
  return a.shape.kind === 'box' ? `${Math.round(a.shape.w)}×${Math.round(a.shape.h)}` : `${a.shape.points.length / 2} pts`;
}

interface RowToggleProps {
  readonly on: boolean;
  /** Accessible names and tooltips: [when on, when off]. */
  readonly names: readonly [string, string];
  readonly titles: readonly [string, string];
  readonly onClick: () => void;
  readonly children: ReactNode;
}

/** A per-row on/off button that does not also select the row. */
function RowToggle({ on, names, titles, onClick, children }: RowToggleProps) {
  return (
    <button
      type="button"
      className="icon-button"
      aria-label={on ? names[0] : names[1]}
      aria-pressed={on}
      title={on ? titles[0] : titles[1]}
      onClick={(e) => {
        e.stopPropagation();
        onClick();
      }}
    >
      {children}
    </button>
  );
}

const Row = memo(function Row({ index, a, cls, layer, selected, hidden, locked, onSelect, onHide, onLock, onHover }: RowProps) {
  const key = (e: KeyboardEvent) => {
    if (e.target !== e.currentTarget || (e.key !== 'Enter' && e.key !== ' ')) return;
    e.preventDefault();
    e.stopPropagation();
    onSelect(a.id, e.shiftKey);
  };
  return (
    <div
      className={`shape-row${hidden ? ' is-hidden' : ''}`}
      tabIndex={0}
      aria-current={selected ? 'true' : undefined}
      onClick={(e) => onSelect(a.id, e.shiftKey)}
      onKeyDown={key}
      // On move, not enter: the canvas clears its hover when the pointer leaves it, which the
      // browser reports after this row's (emulated) enter.
      onPointerMove={() => onHover(a.id)}
      onPointerLeave={() => onHover(null)}
    >
      <span className="shape-index muted">#{index}</span>
      <span className="swatch" style={{ background: cls?.color ?? '#ccc' }} aria-hidden="true" />
      <span className="shape-text">
        <span className="shape-class">{cls?.name ?? '(no class)'}</span> <span className="shape-kind">{a.shape.kind}</span>{' '}
        <span className="muted shape-size">{sizeOf(a)}</span> <span className="muted shape-annotator">· {layer}</span>
      </span>
      <RowToggle on={hidden} names={['Show shape', 'Hide shape']} titles={['Show on the canvas', 'Hide from the canvas']} onClick={() => onHide(a.id)}>
        <EyeIcon open={!hidden} />
      </RowToggle>
      <RowToggle on={locked} names={['Unlock shape', 'Lock shape']} titles={['Unlock: allow edits', 'Lock: no edits by mistake']} onClick={() => onLock(a.id)}>
        <LockIcon closed={locked} />
      </RowToggle>
    </div>
  );
});

/**
 * With two layers or more: a checkbox per layer (shown on the canvas or not), its annotator's
 * colour beside the name, and Blind view (only my layer: others' work cannot sway mine).
 */
function LayerToggles({ layers }: { readonly layers: readonly Layer[] }) {
  const { services } = useApp();
  const hiddenLayers = useSession((s) => s.hiddenLayers);
  const blind = useSession((s) => s.blind);
  const me = useSession((s) => s.annotatorName);
  const colourBy = useSession((s) => s.colourBy);
  const colours = useMemo(() => annotatorColours(layers.filter((l) => l.kind === 'annotator').map((l) => l.name).sort()), [layers]);
  return (
    <fieldset className="layer-toggles">
      <legend className="muted small">Layers</legend>
      {layers.map((l) => (
        <label key={l.id} className="check layer-toggle" title={blind ? 'Blind view shows only your layer' : `Show ${l.name}'s shapes on the canvas`}>
          <input type="checkbox" checked={!blind && !hiddenLayers.has(l.id)} disabled={blind} onChange={() => toggleLayerHidden(services, l.id)} />
          <span className="swatch" style={{ background: colours.get(l.name)?.colour ?? '#ffffff' }} aria-hidden="true" />
          {l.name}
        </label>
      ))}
      <label className="check layer-toggle" title="Draw each layer's shapes in its annotator's colour (off: in their class's colour)">
        <input type="checkbox" checked={colourBy === 'annotator'} onChange={(e) => services.stores.session.setState({ colourBy: e.target.checked ? 'annotator' : 'class' })} />
        Annotator colours
      </label>
      <label className="check layer-toggle" title={me ? `Only ${me}'s layer on the canvas` : 'Name yourself first (Settings)'}>
        <input type="checkbox" checked={blind} disabled={!me} onChange={(e) => setBlindView(services, e.target.checked)} />
        Blind view
      </label>
    </fieldset>
  );
}

/** The shapes of the open image (virtualized: 5,000 rows cost what 30 do) and the selection's properties. */
export function AnnotationsPanel() {
  const { services } = useApp();
  const { stores } = services;
  const items = useStore(stores.annotations, (s) => s.items);
  const classes = useDocument((s) => s.doc?.project.classes ?? NO_CLASSES);
  const layers = useDocument((s) => s.doc?.layers ?? NO_LAYERS);
  const selection = useSession((s) => s.selection);
  const hiddenShapes = useSession((s) => s.hiddenShapes);
  const lockedShapes = useSession((s) => s.lockedShapes);
  const classById = useMemo(() => new Map(classes.map((c) => [c.id, c])), [classes]);
  const selectedSet = useMemo(() => new Set(selection), [selection]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const list = items ?? NO_SHAPES;

  const virtualizer = useVirtualizer({
    count: list.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    getItemKey: (i) => list[i]!.id,
  });

  const firstSelected = selection[0];
  const selectedIndex = useMemo(() => (firstSelected ? list.findIndex((a) => a.id === firstSelected) : -1), [list, firstSelected]);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const onSelect = useCallback(
    (id: AnnotationId, additive: boolean) => {
      const current = stores.session.getState().selection;
      selectShapes(services, additive ? (current.includes(id) ? current.filter((x) => x !== id) : [...current, id]) : [id]);
    },
    [services, stores],
  );
  const onHide = useCallback((id: AnnotationId) => toggleShapeHidden(services, id), [services]);
  const onLock = useCallback((id: AnnotationId) => toggleShapeLocked(services, id), [services]);
  const onHover = useCallback(
    (id: AnnotationId | null) => {
      if (stores.interaction.getState().hover !== id) stores.interaction.setState({ hover: id });
    },
    [stores],
  );

  const selected = list.filter((a) => selectedSet.has(a.id));

  return (
    <div className="annotations-panel">
      <div className="panel-head">
        <h2 className="panel-title">
          Annotations <span className="muted">{items ? list.length.toLocaleString('en') : ''}</span>
        </h2>
      </div>
      {layers.length >= 2 && <LayerToggles layers={layers} />}
      {layers.length >= 2 && (
        <Suspense fallback={null}>
          <Disagreements />
        </Suspense>
      )}
      <div ref={scrollRef} className="shape-scroll">
        {items === null ? (
          <p className="empty-list muted">Loading shapes…</p>
        ) : list.length === 0 ? (
          <p className="empty-list muted">No shapes on this image. Draw with the Box (B) or Polygon (P) tool.</p>
        ) : null}
        <ul aria-label="Annotations" className="shape-list" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((row) => {
            const a = list[row.index]!;
            return (
              <li key={row.key} className="shape-item" aria-setsize={list.length} aria-posinset={row.index + 1} style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}>
                <Row
                  index={row.index + 1}
                  a={a}
                  cls={classById.get(a.classId)}
                  layer={layerName({ layers }, a.layerId)}
                  selected={selectedSet.has(a.id)}
                  hidden={hiddenShapes.has(a.id)}
                  locked={lockedShapes.has(a.id)}
                  onSelect={onSelect}
                  onHide={onHide}
                  onLock={onLock}
                  onHover={onHover}
                />
              </li>
            );
          })}
        </ul>
      </div>
      {selected.length > 0 && <Properties key={selected.map((a) => a.id).join()} selected={selected} classes={classes} locked={selected.every((a) => lockedShapes.has(a.id))} />}
    </div>
  );
}

interface PropertiesProps {
  readonly selected: readonly Annotation[];
  readonly classes: readonly LabelClass[];
  readonly locked: boolean;
}

const FLAGS = [
  ['occluded', 'Occluded'],
  ['truncated', 'Truncated'],
  ['difficult', 'Difficult'],
] as const;

/** The selection's properties: a box's numbers, a polygon's vertex count, class, flags, Delete. */
function Properties({ selected, classes, locked }: PropertiesProps) {
  const { services } = useApp();
  const imageId = useSession((s) => s.currentImageId);
  const layers = useDocument((s) => s.doc?.layers ?? NO_LAYERS);
  const image = useDocument((s) => {
    const at = imageId ? s.doc?.imageIndex.get(imageId) : undefined;
    return at === undefined ? null : (s.doc?.images[at] ?? null);
  });
  const one = selected.length === 1 ? selected[0]! : null;
  const classId = selected.every((a) => a.classId === selected[0]!.classId) ? selected[0]!.classId : '';
  const tag = selected.map((a) => a.id).join();

  return (
    <section className="properties" aria-label="Properties">
      <h3 className="panel-subtitle">
        {one ? `Selected ${one.shape.kind}` : `${selected.length} shapes selected`}
        {one && <span className="muted small"> · by {layerName({ layers }, one.layerId)}</span>}
      </h3>
      {one?.shape.kind === 'box' && image && <BoxFields box={one.shape} image={image} disabled={locked} tag={tag} />}
      <label className="field">
        <span>Class</span>
        <select
          value={classId}
          disabled={locked}
          onChange={(e) => report(services, patchSelection(services, () => ({ classId: e.target.value as ClassId }), 'change class'))}
        >
          {classId === '' && <option value="">(mixed)</option>}
          {classes.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <div className="flags">
        {FLAGS.map(([flag, text]) => {
          const on = selected.every((a) => a.attributes[flag] === true);
          return (
            <label key={flag} className="check">
              <input
                type="checkbox"
                checked={on}
                disabled={locked}
                onChange={(e) => report(services, patchSelection(services, (a) => ({ attributes: { ...a.attributes, [flag]: e.target.checked } }), `set ${flag}`))}
              />
              {text}
            </label>
          );
        })}
      </div>
      <div className="properties-foot">
        {one?.shape.kind === 'polygon' ? (
          <p className="prop-line">
            <span className="muted">Vertices</span> <output aria-label="Vertex count">{one.shape.points.length / 2}</output>
          </p>
        ) : (
          <span />
        )}
        <CommandButton command="edit.delete" className="danger" />
      </div>
    </section>
  );
}

function report(services: Services, result: Result<unknown>): void {
  if (!result.ok) pushNotice(services.stores, 'error', result.message);
}

type BoxField = 'x' | 'y' | 'w' | 'h';
const BOX_FIELDS: readonly (readonly [BoxField, string])[] = [
  ['x', 'X'],
  ['y', 'Y'],
  ['w', 'Width'],
  ['h', 'Height'],
];

const show = (v: number): string => String(Math.round(v * 100) / 100);

/** A box's numbers, applied as they are typed (kept inside the image); one field's typing is one undo step. */
function BoxFields({ box, image, disabled, tag }: { readonly box: BoxShape; readonly image: ImageRecord; readonly disabled: boolean; readonly tag: string }) {
  const { services } = useApp();
  const [drafts, setDrafts] = useState<Partial<Record<BoxField, string>>>({});
  const [editing, setEditing] = useState<BoxField | null>(null);

  const apply = (field: BoxField, text: string) => {
    setDrafts((d) => ({ ...d, [field]: text }));
    const v = Number(text);
    if (text.trim() === '' || !Number.isFinite(v)) return;
    const next = fitBox({ ...box, [field]: v }, field, image);
    if (!next) return;
    report(services, patchSelection(services, () => ({ shape: next }), `set ${field === 'w' ? 'width' : field === 'h' ? 'height' : field}`, `${tag}:${field}`));
  };

  return (
    <div className="box-fields">
      {BOX_FIELDS.map(([field, text]) => (
        <label key={field} className="field field-number">
          <span>{text}</span>
          <input
            type="number"
            step={1}
            min={0}
            disabled={disabled}
            value={editing === field ? (drafts[field] ?? show(box[field])) : show(box[field])}
            onFocus={() => setEditing(field)}
            onBlur={() => {
              setEditing(null);
              setDrafts({});
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
            }}
            onChange={(e) => apply(field, e.target.value)}
          />
        </label>
      ))}
    </div>
  );
}

/** The box with one number changed, held inside the image (position shifts rather than size), or null if impossible. */
function fitBox(b: BoxShape, field: BoxField, image: ImageRecord): BoxShape | null {
  let { x, y, w, h } = b;
  if (field === 'w' || field === 'h') {
    if ((field === 'w' ? w : h) <= 0) return null;
    w = Math.min(w, image.width);
    h = Math.min(h, image.height);
  }
  x = Math.min(Math.max(0, x), image.width - w);
  y = Math.min(Math.max(0, y), image.height - h);
  return { kind: 'box', x, y, w, h };
}

const NO_CLASSES: readonly LabelClass[] = [];
const NO_SHAPES: readonly Annotation[] = [];
