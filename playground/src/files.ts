// The names the page's texts go by in diagnostics (as file names do in the CLI's).
export const MODEL_FILE = "model.lvm";
export const dataFile = (format: "json" | "csv"): string => `data.${format}`;
