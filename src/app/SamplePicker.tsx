// Opens one of the bundled, trained sample models. Shows the open sample's name when one is open.
import { useShallow } from 'zustand/react/shallow';
import { useModelStore } from '../stores/modelStore';
import { SAMPLE_MODELS, sampleFileName } from '../stores/sampleCatalog';

export function SamplePicker() {
  const { fileName, openSample, loading } = useModelStore(
    useShallow((s) => ({ fileName: s.model?.summary.fileName ?? null, openSample: s.openSample, loading: s.loading })),
  );
  const current = SAMPLE_MODELS.find((m) => sampleFileName(m.id) === fileName)?.id ?? '';
  return (
    <label className="sample-picker">
      <span className="visually-hidden">Open a sample model</span>
      <select
        data-testid="sample-picker"
        value={current}
        disabled={loading}
        onChange={(event) => {
          if (event.target.value) void openSample(event.target.value);
        }}
        title="Open a bundled sample model, trained in Whittle"
      >
        <option value="" disabled>
          Samples…
        </option>
        {SAMPLE_MODELS.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name} ({m.dataset === 'mnist' ? 'MNIST' : 'Fashion-MNIST'})
          </option>
        ))}
      </select>
    </label>
  );
}
