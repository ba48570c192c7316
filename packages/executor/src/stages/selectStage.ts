import { ForwardingStage, type Row, type Stage } from './stage';

/** select: projects and reorders fields (0-based here; missing fields become null). */
export class SelectStage extends ForwardingStage {
  constructor(private readonly fields: number[], next: Stage) {
    super(next);
  }
  push(row: Row): void {
    const f = this.fields;
    const out = new Array(f.length);
    for (let i = 0; i < f.length; i++) {
      const v = row[f[i]];
      out[i] = v === undefined ? null : v;
    }
    this.next.push(out);
  }
}
