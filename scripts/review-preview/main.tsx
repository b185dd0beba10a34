/// <reference types="vite/client" />
/**
 * A throwaway page that renders the Review figures (src/ui/review) with a hand-made project:
 * 3 annotators, 4 classes, 6 images. Served by the dev server at /scripts/review-preview/ and
 * photographed by scripts/review-preview.spec.ts; not part of the app.
 */
import { StrictMode, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import '../../src/ui/styles.css';
import type { Annotation, AnnotationId, ClassId, ImageId, ImageRecord, LabelClass, Project, ProjectId, Shape } from '../../src/core/model';
import { DEFAULT_SETTINGS } from '../../src/core/model';
import { agreementReport } from '../../src/quality';
import { ReviewFigures } from '../../src/ui/review/ReviewFigures';
import type { ReviewSettingsValue } from '../../src/ui/review/ReviewSettings';

const cls = (name: string, color: string): LabelClass => ({ id: `c-${name}` as ClassId, name, color, attributes: [] });
const CLASSES = [cls('car', '#e6194b'), cls('person', '#3cb44b'), cls('bicycle', '#4363d8'), cls('traffic light', '#f58231')];
const PROJECT: Project = { id: 'p' as ProjectId, name: 'Lisbon', classes: CLASSES, settings: DEFAULT_SETTINGS, schemaVersion: 1, createdAt: 1, updatedAt: 1 };

const NAMES = ['lisbon_tram_stop_001.jpg', 'lisbon_tram_stop_002.jpg', 'alfama_crossing_night_017.jpg', 'baixa_rua_augusta_morning_crowd_042.jpg', 'belem_bike_lane_003.jpg', 'cais_do_sodre_008.jpg'];
const IMAGES: ImageRecord[] = NAMES.map((fileName, i) => ({
  id: `img-${i + 1}` as ImageId,
  projectId: 'p' as ProjectId,
  fileName,
  relativePath: `street/${fileName}`,
  width: 1280,
  height: 720,
  byteSize: 1000,
  mimeType: 'image/jpeg',
  sha256: String(i).padStart(64, '0'),
  phash: '0'.repeat(16),
  phashMirrored: '0'.repeat(16),
  dhash: '0'.repeat(16),
  split: (['train', 'train', 'val', 'train', 'test', 'val'] as const)[i]!,
  status: 'done',
  seq: i + 1,
  addedAt: 1,
  annotationCount: 0,
}));

let n = 0;
const box = (x: number, y: number, w: number, h: number): Shape => ({ kind: 'box', x, y, w, h });
function shape(image: number, annotator: string, klass: string, s: Shape): Annotation {
  return { id: `s${String(++n).padStart(3, '0')}` as AnnotationId, projectId: 'p' as ProjectId, imageId: IMAGES[image]!.id, annotator, classId: `c-${klass}` as ClassId, shape: s, attributes: {}, source: 'manual', createdAt: 1, updatedAt: 1 };
}
/** The same object drawn by several annotators, each with a class and a small offset (px). */
function object(image: number, at: [number, number, number, number], who: readonly (readonly [string, string, number])[]): Annotation[] {
  const [x, y, w, h] = at;
  return who.map(([annotator, klass, dx]) => shape(image, annotator, klass, box(x + dx, y + dx / 2, w, h)));
}

const ANNOTATIONS: Annotation[] = [
  // Image 1: all agree.
  ...object(0, [100, 300, 320, 220], [['alice', 'car', 0], ['bob', 'car', 4], ['carol', 'car', 2]]),
  ...object(0, [700, 200, 90, 360], [['alice', 'person', 0], ['bob', 'person', 3], ['carol', 'person', 1]]),
  // Image 2: a label mismatch (bicycle vs person) and a light carol missed.
  ...object(1, [200, 250, 140, 200], [['alice', 'bicycle', 0], ['bob', 'person', 5], ['carol', 'bicycle', 2]]),
  ...object(1, [900, 60, 30, 80], [['alice', 'traffic light', 0], ['bob', 'traffic light', 2]]),
  ...object(1, [500, 300, 300, 200], [['alice', 'car', 0], ['bob', 'car', 2], ['carol', 'car', 1]]),
  // Image 3 (night): low overlap, an extra by carol, a person only bob saw.
  ...object(2, [300, 300, 200, 150], [['alice', 'car', 0], ['bob', 'car', 40], ['carol', 'car', 8]]),
  ...object(2, [800, 320, 60, 160], [['bob', 'person', 0]]),
  ...object(2, [1000, 100, 25, 70], [['carol', 'traffic light', 0]]),
  // Image 4 (crowd): many people, disagreements everywhere.
  ...object(3, [50, 300, 60, 170], [['alice', 'person', 0], ['bob', 'person', 2], ['carol', 'person', 1]]),
  ...object(3, [150, 300, 60, 170], [['alice', 'person', 0], ['carol', 'person', 3]]),
  ...object(3, [250, 300, 60, 170], [['bob', 'person', 0]]),
  ...object(3, [350, 300, 60, 170], [['alice', 'person', 0], ['bob', 'bicycle', 1], ['carol', 'person', 30]]),
  ...object(3, [600, 320, 120, 90], [['alice', 'bicycle', 0], ['bob', 'bicycle', 2], ['carol', 'car', 4]]),
  ...object(3, [900, 200, 60, 170], [['carol', 'person', 0]]),
  // Image 5 (bike lane): two annotators only.
  ...object(4, [400, 300, 180, 140], [['alice', 'bicycle', 0], ['bob', 'bicycle', 3]]),
  ...object(4, [620, 280, 70, 180], [['alice', 'person', 0], ['bob', 'person', 20]]),
  // Image 6: a car bob labelled twice differently, a light all agree on.
  ...object(5, [100, 100, 260, 160], [['alice', 'car', 0], ['bob', 'car', 2], ['carol', 'car', 1]]),
  ...object(5, [1100, 40, 30, 90], [['alice', 'traffic light', 0], ['bob', 'traffic light', 1], ['carol', 'traffic light', 2]]),
  ...object(5, [500, 400, 200, 120], [['alice', 'car', 0], ['carol', 'car', 6]]),
];

function Preview() {
  const [settings, setSettings] = useState<ReviewSettingsValue>({ iouThreshold: 0.5, lowOverlapThreshold: 0.8, quorum: 0 });
  const [opened, setOpened] = useState<ImageId | null>(null);
  const report = useMemo(() => agreementReport({ project: PROJECT, images: IMAGES, annotations: ANNOTATIONS }, settings), [settings]);
  return (
    <main style={{ padding: 16, background: 'var(--panel)', minHeight: '100%' }}>
      <h2 style={{ marginBottom: 12 }}>Review</h2>
      <ReviewFigures
        report={report}
        classes={CLASSES}
        images={IMAGES}
        settings={settings}
        onSettingsChange={setSettings}
        onOpenImage={setOpened}
        currentImageId={opened}
      />
      {/* What the callbacks received, for the script to read (kept out of the pictures). */}
      <p aria-label="Opened image" className="visually-hidden">
        {opened ? IMAGES.find((i) => i.id === opened)!.fileName : 'none'}
      </p>
      <output aria-label="Settings in force" className="visually-hidden">
        {JSON.stringify(settings)}
      </output>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Preview />
  </StrictMode>,
);
