// Where a variant's .onnx comes from when the user downloads it: the run's services hold every
// model they built, by cache key (PipelineServices.modelBytes), and the results store knows each
// variant's key from the run's end. The run store, which owns the services, provides the reader:
//
//   provideHeldModels((key) => session.services.modelBytes(key));
//
// so this module needs no knowledge of workers, and a download never rebuilds anything.

export type HeldModelReader = (key: string) => Promise<Uint8Array>;

let reader: HeldModelReader | null = null;

/** Set by whoever owns the run's services; null when they are gone. */
export function provideHeldModels(read: HeldModelReader | null): void {
  reader = read;
}

/** Whether a reader is there at all (the download control is shown only then). */
export function heldModelsAvailable(): boolean {
  return reader !== null;
}

export async function readHeldModel(key: string): Promise<Uint8Array> {
  if (!reader) throw new Error('the models of this run are not held in this session — run the pipeline again to download them');
  return reader(key);
}
