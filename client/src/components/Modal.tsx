// A modal built on the native <dialog> (focus kept inside, Escape cancels): open while mounted, closed when
// unmounted; Escape is reported to the owner, and ignored while it is busy. Must never act on its own.
import { useEffect, useRef, type ReactNode } from 'react';

export interface ModalProps {
  /** id of the heading that names the dialog */
  labelledBy: string;
  describedBy?: string;
  className?: string;
  testId?: string;
  busy?: boolean;
  onCancel(): void;
  children: ReactNode;
}

export function Modal(props: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={ref}
      className={props.className ?? 'dialog'}
      aria-labelledby={props.labelledBy}
      aria-describedby={props.describedBy}
      data-testid={props.testId}
      onCancel={(e) => {
        e.preventDefault();
        if (!props.busy) props.onCancel();
      }}
    >
      {props.children}
    </dialog>
  );
}
