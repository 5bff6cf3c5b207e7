// One task at a time, in the order they were handed in: the executor's view of a service that does
// one thing at a time (the engine worker runs one pass, the eval worker one evaluation). Two lanes
// let the next variant's pass run while the previous one is evaluated.
export class SerialLane {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every task handed in before it has settled; a failed task does not stop the lane. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
