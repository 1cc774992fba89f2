import { Directive, inject, input, output, signal } from '@angular/core';

export interface ReorderEvent {
  from: number;
  to: number;
}

/**
 * Drag-to-reorder for a list (HTML5 drag and drop): put `ttReorderList` on the list and
 * `[ttReorderItem]="index"` on each item; `(ttReorder)` tells which item moved where.
 * Pointer only: every list that uses it also has move up/down buttons for keyboards.
 */
@Directive({ selector: '[ttReorderList]' })
export class ReorderList {
  readonly reorder = output<ReorderEvent>({ alias: 'ttReorder' });
  readonly dragging = signal<number | null>(null);
  readonly over = signal<number | null>(null);

  end(): void {
    this.dragging.set(null);
    this.over.set(null);
  }
}

@Directive({
  selector: '[ttReorderItem]',
  host: {
    draggable: 'true',
    '[class.dragging]': 'list.dragging() === index()',
    '[class.drop-before]': 'list.over() === index() && list.dragging() !== null && list.dragging()! > index()',
    '[class.drop-after]': 'list.over() === index() && list.dragging() !== null && list.dragging()! < index()',
    '(dragstart)': 'onDragStart($event)',
    '(dragover)': 'onDragOver($event)',
    '(drop)': 'onDrop($event)',
    '(dragend)': 'list.end()',
  },
})
export class ReorderItem {
  protected readonly list = inject(ReorderList);
  readonly index = input.required<number>({ alias: 'ttReorderItem' });

  protected onDragStart(event: DragEvent): void {
    this.list.dragging.set(this.index());
    if (event.dataTransfer) {
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', String(this.index()));
    }
  }

  protected onDragOver(event: DragEvent): void {
    if (this.list.dragging() === null) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'move';
    this.list.over.set(this.index());
  }

  protected onDrop(event: DragEvent): void {
    event.preventDefault();
    const from = this.list.dragging();
    const to = this.index();
    this.list.end();
    if (from !== null && from !== to) this.list.reorder.emit({ from, to });
  }
}
