import { useMemo, useState } from 'react';
import { AnnotationCanvas } from '../../canvas/AnnotationCanvas';
import { useApp, useDocument, useSession } from '../../app/context';
import { selectClassAt } from '../../app/classActions';
import { patchSelection } from '../../app/annotationActions';
import { pushNotice } from '../../state/stores';
import { stepImage, visibleImages } from '../../app/imageActions';
import { homeHref } from '../../app/router';
import { useShortcut } from '../../app/useShortcuts';
import { AnnotatorPrompt } from '../AnnotatorPrompt';
import { SaveStatus } from '../SaveStatus';
import { SettingsButton } from '../SettingsDialog';
import { AnnotationsPanel } from './AnnotationsPanel';
import { ClassPanel } from './ClassPanel';
import { EditorShortcuts } from './EditorShortcuts';
import { Toolbar } from './Toolbar';
import { DropZone } from './DropZone';
import { ImageList } from './ImageList';
import { ImageNav } from './ImageNav';
import { ImportButtons } from './ImportButtons';
import { ExportButton } from '../exchange/ExportDialog';
import { ImportAnnotationsButtons } from '../exchange/ImportAnnotationsDialog';
import { ImportPanel } from './ImportPanel';
import { ShortcutsButton } from './ShortcutsButton';

const CLASS_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

function ProjectShortcuts() {
  const { services, tools } = useApp();
  // With shapes selected (Select tool), ← and → move them instead.
  const nudged = (chord: string) => (chord === 'ArrowLeft' || chord === 'ArrowRight') && tools.dispatch({ type: 'key', key: chord, shift: false });
  useShortcut({ id: 'image.previous', keys: ['a', 'ArrowLeft'], description: 'Previous image', group: 'Images' }, (chord) => nudged(chord) || stepImage(services, -1));
  useShortcut({ id: 'image.next', keys: ['d', 'ArrowRight'], description: 'Next image', group: 'Images' }, (chord) => nudged(chord) || stepImage(services, 1));
  useShortcut(
    { id: 'class.pick', keys: CLASS_KEYS, keysLabel: '1 – 9', description: 'Pick the 1st–9th class (with the Select tool, selected shapes take it too)', group: 'Classes' },
    (chord) => {
      if (!selectClassAt(services, Number(chord) - 1)) return false;
      const { tool, selection, activeClassId } = services.stores.session.getState();
      if (tool === 'select' && selection.length > 0 && activeClassId) {
        const result = patchSelection(services, () => ({ classId: activeClassId }), 'change class');
        if (!result.ok) pushNotice(services.stores, 'error', result.message);
      }
      return true;
    },
  );
  return null;
}

/** The annotator's screen: images on the left, the canvas in the middle, classes on the right. */
export function ProjectPage() {
  const { services, tools, canvas } = useApp();
  const doc = useDocument((s) => s.doc);
  const readOnly = useDocument((s) => s.mode === 'read-only');
  const currentId = useSession((s) => s.currentImageId);
  const filter = useSession((s) => s.statusFilter);
  const [dragging, setDragging] = useState(false);

  const images = doc?.images;
  const { current, neighbours } = useMemo(() => {
    if (!images) return { current: null, neighbours: [] };
    const shown = visibleImages(images, filter);
    const at = shown.findIndex((i) => i.id === currentId);
    const current = at >= 0 ? shown[at]! : (images.find((i) => i.id === currentId) ?? null);
    return { current, neighbours: at >= 0 ? [shown[at + 1], shown[at - 1]].filter((i) => i !== undefined) : [] };
  }, [images, filter, currentId]);

  if (!doc) {
    return (
      <div className="project-loading">
        <p className="muted">Opening project…</p>
      </div>
    );
  }

  return (
    <DropZone onDragging={setDragging}>
      <div className="project">
        <header className="topbar">
          <nav aria-label="Breadcrumb" className="breadcrumb">
            <a href={homeHref}>Projects</a>
            <span aria-hidden="true">/</span>
            <a href={window.location.hash} aria-current="page" className="breadcrumb-current">
              {doc.project.name}
            </a>
          </nav>
          <ImportButtons />
          <ImportAnnotationsButtons />
          <ExportButton />
          <div className="topbar-spacer" />
          <SaveStatus />
          <ShortcutsButton />
          <SettingsButton />
        </header>
        {readOnly && (
          <div className="banner banner-warn" role="status">
            <strong>Read-only.</strong> This project is open for editing in another tab. This tab becomes editable as soon as that tab closes the
            project.
          </div>
        )}
        <AnnotatorPrompt />
        <div className="workspace">
          <aside className="left-panel" aria-label="Image list">
            <ImageList />
          </aside>
          <section className="center-panel" aria-label="Image">
            <ImageNav />
            <Toolbar />
            <AnnotationCanvas image={current} bitmaps={services.bitmaps} prefetch={neighbours} stores={services.stores} runner={tools} controls={canvas} />
          </section>
          <aside className="right-panel" aria-label="Classes and annotations">
            <ClassPanel />
            <AnnotationsPanel />
          </aside>
        </div>
        <ImportPanel />
        {dragging && (
          <div className="drop-overlay" aria-hidden="true">
            {readOnly ? 'This tab is read-only' : 'Drop images, folders or .zip files to import them'}
          </div>
        )}
        <ProjectShortcuts />
        <EditorShortcuts />
      </div>
    </DropZone>
  );
}
