// The bytes of a bundled sample model, fetched by a worker from the studio's own origin
// (public/samples/ID.onnx) — distill's `{ sample: ID }` students start from these.
import { SAMPLE_MODELS } from '../../src/stores/sampleCatalog';

export async function fetchSampleModel(id: string): Promise<Uint8Array> {
  if (!SAMPLE_MODELS.some((sample) => sample.id === id)) {
    throw new Error(`'${id}' is not a bundled sample model (samples: ${SAMPLE_MODELS.map((sample) => sample.id).join(', ')})`);
  }
  const url = new URL(`${import.meta.env.BASE_URL}samples/${id}.onnx`, self.location.origin);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the sample model ${id} could not be fetched from ${url.pathname} (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}
