/** The dose amount input of the dose forms: a required non-negative number labelled with its unit. */
export function AmountField({
  unit,
  value,
  onChange,
}: {
  unit: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <label>
      Amount ({unit})
      <input
        type="number"
        required
        min="0"
        step="any"
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}
