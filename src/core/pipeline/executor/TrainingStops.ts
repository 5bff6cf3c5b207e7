// "Stop & keep best": the user's request that a training block (distill, finetune) end its training
// early and answer with its best checkpoint so far. Unlike cancelling the run, the block still ends
// done, and everything downstream of it runs on that model. The caller makes one TrainingStops per
// run, hands it to runPipeline (`trainingStops`) and calls `request(variantId)` from a button; the
// executor gives each training call the variant's signal as ServiceCallControl.stopSignal.
//
// A stopped variant's model is not what its params promise, so the executor forgets it (and what
// was built from it) from the PipelineCache at the end of the run: the next run trains it again.

export class TrainingStops {
  private readonly controllers = new Map<string, AbortController>();

  /** Asks variant `variantId` to stop training and keep its best checkpoint. */
  request(variantId: string): void {
    this.controllerOf(variantId).abort();
  }

  /** Whether a stop was asked for `variantId`. */
  requested(variantId: string): boolean {
    return this.controllers.get(variantId)?.signal.aborted === true;
  }

  /** Fires when a stop is asked for `variantId` (already fired if it was asked before). */
  signalFor(variantId: string): AbortSignal {
    return this.controllerOf(variantId).signal;
  }

  /** The variants a stop was asked for, in no particular order. */
  requestedIds(): string[] {
    return [...this.controllers].filter(([, controller]) => controller.signal.aborted).map(([id]) => id);
  }

  private controllerOf(variantId: string): AbortController {
    let controller = this.controllers.get(variantId);
    if (!controller) {
      controller = new AbortController();
      this.controllers.set(variantId, controller);
    }
    return controller;
  }
}
