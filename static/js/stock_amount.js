// A stock amount as the ledger keeps it (whole thousandths of a gram, millilitre or piece),
// said in the unit its ingredient is kept in: 2_500_000 in kg → "2,5 kg".

const THOUSANDTHS = { g: 1e3, kg: 1e6, ml: 1e3, l: 1e6, piece: 1e3 };

export function stockAmount(thousandths, unit, language = document.documentElement.lang || "en") {
  const amount = new Intl.NumberFormat(language, { maximumFractionDigits: 3 })
    .format(thousandths / (THOUSANDTHS[unit] || 1e3));
  return `${amount} ${unit}`;
}
