import { useMemo, useState } from 'react';
import { AnnotationCanvas } from '../../canvas/AnnotationCanvas';
import { SideBySide } from '../../canvas/SideBySide';
import { useStore } from 'zustand';
import { useApp, useCheck, useDocument, useSession } from '../../app/context';
import { IssuesPanel } from '../quality/IssuesPanel';
import { OverviewDialog } from '../quality/OverviewDialog';
import { ReviewButton } from '../review/ReviewButton';
import { visibleImages } from '../../app/imageActions';
import { useScope } from '../../app/useCommands';
import { CommandButton } from '../common/CommandButton';
import { homeHref } from '../../app/router';
import { AnnotatorPrompt } from '../AnnotatorPrompt';
import { SaveStatus } from '../SaveStatus';
import { Notices } from '../Notices';
import { SettingsButton } from '../SettingsDialog';
import { AnnotationsPanel } from './AnnotationsPanel';
import { ClassPanel } from './ClassPanel';
import { Toolbar } from './Toolbar';
import { DropZone } from './DropZone';
import { ImageList } from './ImageList';
import { ImageNav } from './ImageNav';
import { ImportButtons } from './ImportButtons';
import { ExportButton } from '../exchange/ExportDialog';
import { ImportAnnotationsButtons } from '../exchange/ImportAnnotationsDialog';
import { ImportPanel } from './ImportPanel';

/** The annotator's screen: images on the left, the canvas in the middle, classes on the right. */
export function ProjectPage() {
  const { services, tools, canvas } = useApp();
  const doc = useDocument((s) => s.doc);
  const readOnly = useDocument((s) => s.mode === 'read-only');
  const currentId = useSession((s) => s.currentImageId);
  const filter = useSession((s) => s.statusFilter);
  const [dragging, setDragging] = useState(false);
  useScope('editor');
  const issuesOpen = useCheck((s) => s.panelOpen);
  const hasReport = useCheck((s) => s.result !== null);
  const overviewOpen = useCheck((s) => s.overviewOpen);
  const readAheadMs = useCheck((s) => s.readAheadMs);
  const sideBySide = useSession((s) => s.sideBySide);
  // The image the review panel is reviewing (two annotators or more drew on it).
  const reviewing = useStore(services.stores.review, (s) => s.imageId);

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
          <CommandButton command="check.run" />
          <CommandButton command="check.overview" />
          <ReviewButton />
          {hasReport && !issuesOpen && <CommandButton command="check.panel" />}
          <ExportButton />
          <div className="topbar-spacer" />
          <SaveStatus />
          <CommandButton command="help.shortcuts">?</CommandButton>
          <SettingsButton />
        </header>
        {readOnly && (
          <div className="banner banner-warn" role="status">
            <strong>Read-only.</strong> This project is open for editing in another tab. This tab becomes editable as soon as that tab closes the
            project.
          </div>
        )}
        <AnnotatorPrompt />
        {/* data-check-read-ms: the checker's worker has read the project ahead (benchmarks wait for it). */}
        <div className="workspace" data-check-read-ms={readAheadMs === null ? undefined : Math.round(readAheadMs)}>
          <aside className="left-panel" aria-label="Image list">
            <ImageList />
            <ImportPanel />
          </aside>
          <section className="center-panel" aria-label="Image">
            <ImageNav />
            <Toolbar />
            <div className="canvas-area">
              <AnnotationCanvas image={current} bitmaps={services.bitmaps} prefetch={neighbours} stores={services.stores} runner={tools} controls={canvas} />
              {sideBySide && current && reviewing === current.id && <SideBySide image={current} bitmaps={services.bitmaps} stores={services.stores} />}
              <Notices className="notices-canvas" />
            </div>
            {issuesOpen && <IssuesPanel />}
            {overviewOpen && <OverviewDialog onClose={() => services.stores.check.setState({ overviewOpen: false })} />}
          </section>
          <aside className="right-panel" aria-label="Classes and annotations">
            <ClassPanel />
            <AnnotationsPanel />
          </aside>
        </div>
        {dragging && (
          <div className="drop-overlay" aria-hidden="true">
            {readOnly ? 'This tab is read-only' : 'Drop images, folders or .zip files to import them'}
          </div>
        )}
      </div>
    </DropZone>
  );
}
