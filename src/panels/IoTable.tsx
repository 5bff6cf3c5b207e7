// Graph inputs and outputs with element type and shape; symbolic dimensions show by name.
import { formatShape } from '../app/formatNumbers';
import type { ValueSummary } from '../core/graph/summary';

function Rows({ kind, values }: { kind: string; values: ValueSummary[] }) {
  return values.map((value) => (
    <tr key={`${kind}:${value.name}`}>
      <td className="io-kind">{kind}</td>
      <td className="mono" title={value.name}>{value.name}</td>
      <td className="mono">{value.dtype}</td>
      <td className="mono">{formatShape(value.shape)}</td>
    </tr>
  ));
}

export function IoTable({ inputs, outputs }: { inputs: ValueSummary[]; outputs: ValueSummary[] }) {
  return (
    <table className="data-table io-table" data-testid="io-table">
      <thead>
        <tr>
          <th />
          <th>Name</th>
          <th>Type</th>
          <th>Shape</th>
        </tr>
      </thead>
      <tbody>
        <Rows kind="in" values={inputs} />
        <Rows kind="out" values={outputs} />
      </tbody>
    </table>
  );
}
