/**
 * Hands out results numbered 0, 1, 2, … strictly in that order, whatever order they arrive in:
 * a result waits until every lower-numbered one has been handed out.
 */
export class InOrder<T> {
  private readonly waiting = new Map<number, T>();
  private nextIndex = 0;

  constructor(private readonly deliver: (result: T, index: number) => void) {}

  /** How many results have been handed out (all those below this index). */
  get delivered(): number {
    return this.nextIndex;
  }

  add(index: number, result: T): void {
    if (index < this.nextIndex || this.waiting.has(index)) throw new Error(`result ${index} arrived twice`);
    this.waiting.set(index, result);
    for (let next = this.waiting.get(this.nextIndex); next !== undefined; next = this.waiting.get(this.nextIndex)) {
      this.waiting.delete(this.nextIndex);
      this.deliver(next, this.nextIndex++);
    }
  }
}
