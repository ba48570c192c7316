import { ForwardingStage, type Row, type Stage } from './stage';

/** cartesian: every main row paired with every row of the (broadcast) side: [...a, ...b]. */
export class CartesianStage extends ForwardingStage {
  constructor(private readonly side: Row[], next: Stage) {
    super(next);
  }
  push(row: Row): void {
    for (const b of this.side) this.next.push([...row, ...b]);
  }
}
