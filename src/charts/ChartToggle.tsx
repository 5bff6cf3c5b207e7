// A small segmented toggle above a chart: a label and one button per choice, the chosen one pressed.
// The Pareto chart's axes and the sensitivity chart's order and colouring use it.
export function ChartToggle<Key extends string>({ label, choices, value, onChange, testId }: { label: string; choices: readonly { key: Key; toggle: string }[]; value: Key; onChange(key: Key): void; testId: string }) {
  return (
    <div className="axis-toggle" role="group" aria-label={label} data-testid={testId}>
      <span className="axis-toggle-label">{label}</span>
      {choices.map((choice) => (
        <button key={choice.key} type="button" data-axis={choice.key} aria-pressed={choice.key === value} onClick={() => onChange(choice.key)}>
          {choice.toggle}
        </button>
      ))}
    </div>
  );
}
