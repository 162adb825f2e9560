// A count with its noun in the right number: "1 step", "2 steps", "0 steps".
export const counted = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
