// The bundled sample models the studio offers, in picker order. Each lives in public/samples/ as
// ID.onnx with its model card ID.json (written by scripts/trainSamples.ts).

export interface SampleModel {
  id: string;
  name: string;
  dataset: 'fashion-mnist' | 'mnist';
}

export const SAMPLE_MODELS: readonly SampleModel[] = [
  { id: 'fashion-cnn', name: 'Fashion CNN', dataset: 'fashion-mnist' },
  { id: 'fashion-mlp', name: 'Fashion MLP', dataset: 'fashion-mnist' },
  { id: 'fashion-mobilenet', name: 'Fashion MobileNet', dataset: 'fashion-mnist' },
  { id: 'mnist-cnn', name: 'MNIST CNN', dataset: 'mnist' },
];

/** The sample the studio opens on start. */
export const DEFAULT_SAMPLE_ID = 'fashion-cnn';

export const sampleFileName = (id: string) => `${id}.onnx`;

/** What the studio shows of a sample's model card; the card file has more. */
export interface SampleCard {
  id: string;
  name: string;
  description: string;
  parameters: number;
  dataset: { name: string; trainImages: number; testImages: number };
  training: { epochs: number; seconds: number };
  testAccuracy: number;
}

/** Reads the fields the studio shows; null when the card is missing or not what it should be. */
export function restoreSampleCard(value: unknown): SampleCard | null {
  if (typeof value !== 'object' || value === null) return null;
  const card = value as Record<string, unknown>;
  const dataset = card.dataset as Record<string, unknown> | undefined;
  const training = card.training as Record<string, unknown> | undefined;
  if (card.type !== 'whittle-model-card' || card.version !== 1) return null;
  if (typeof card.id !== 'string' || typeof card.name !== 'string' || typeof card.testAccuracy !== 'number') return null;
  if (typeof dataset?.name !== 'string' || typeof training?.epochs !== 'number') return null;
  return {
    id: card.id,
    name: card.name,
    description: String(card.description ?? ''),
    parameters: Number(card.parameters ?? 0),
    dataset: { name: dataset.name, trainImages: Number(dataset.trainImages ?? 0), testImages: Number(dataset.testImages ?? 0) },
    training: { epochs: training.epochs, seconds: Number(training.seconds ?? 0) },
    testAccuracy: card.testAccuracy,
  };
}
