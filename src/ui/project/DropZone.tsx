import { useRef, type DragEvent, type ReactNode } from 'react';
import { useApp } from '../../app/context';
import { fromDataTransfer } from '../../exchange/pickedFiles';

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');

/** Files and folders dropped anywhere on the project screen are imported. */
export function DropZone({ children, onDragging }: { readonly children: ReactNode; readonly onDragging: (on: boolean) => void }) {
  const { imports } = useApp();
  const depth = useRef(0); // dragenter/leave fire for every child crossed

  return (
    <div
      className="drop-zone"
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        depth.current++;
        onDragging(true);
      }}
      onDragOver={(e) => {
        if (hasFiles(e)) e.preventDefault(); // allows the drop
      }}
      onDragLeave={(e) => {
        if (!hasFiles(e)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) onDragging(false);
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current = 0;
        onDragging(false);
        void fromDataTransfer(e.dataTransfer).then((picked) => imports.importFiles(picked));
      }}
    >
      {children}
    </div>
  );
}
