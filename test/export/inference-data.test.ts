import { describe, expect, it } from "vitest";
import { fromChains, fromDraws } from "../../src/export/from-draws.ts";
import { checkInferenceData } from "../../src/export/inference-data.ts";
import { attrs, layout, syntheticChains } from "./synthetic.ts";

describe("InferenceData builder and checks", () => {
  it("cuts chains of unequal length (a stopped run) to the shortest", () => {
    const chains = syntheticChains(2, 5, 10);
    chains[1]!.draws.length = 3;
    chains[1]!.stats.length = 3;
    const idata = fromChains(chains, { attrs, variables: layout });
    expect(idata.groups.posterior!.theta!.shape).toEqual([2, 3, 3]);
    expect(idata.groups.sample_stats!.lp!.shape).toEqual([2, 3]);
  });

  it("names the variable, chain and draw when a draw vector has the wrong length", () => {
    expect(() => fromDraws([[new Float64Array(10)], [new Float64Array(9)]], { attrs, variables: layout })).toThrow(
      "posterior draw vector: chain 2, draw 1 has 9 values, expected 10",
    );
    expect(() =>
      fromDraws([[new Float64Array(1)]], {
        attrs,
        variables: [{ name: "mu", shape: [] }],
        logLikelihood: [{ name: "y", shape: [3], draws: [[[1, 2]]] }],
      }),
    ).toThrow("y: chain 1, draw 1 has 2 values, expected 3");
  });

  it("rejects a dim used with two sizes in one group, naming both variables", () => {
    expect(() =>
      fromDraws([[new Float64Array(5)]], {
        attrs,
        variables: [
          { name: "a", shape: [2], dims: ["K"] },
          { name: "b", shape: [3], dims: ["K"] },
        ],
      }),
    ).toThrow("posterior/b: dim K has size 3 here but 2 in posterior/a");
  });

  it("rejects data that does not fill its shape and a variable named like a dim", () => {
    const bad = { attrs: { ...attrs }, groups: { observed_data: { y: { dims: ["N"], shape: [4], data: new Float64Array(3) } } } };
    expect(() => checkInferenceData(bad)).toThrow("observed_data/y: shape [4] needs 4 values, got 3");
    const clash = { attrs: { ...attrs }, groups: { observed_data: { N: { dims: ["N"], shape: [2], data: new Float64Array(2) } } } };
    expect(() => checkInferenceData(clash)).toThrow("observed_data/N: a variable cannot have the name of a dim of its group");
    const noChain = { attrs: { ...attrs }, groups: { posterior: { x: { dims: ["draw"], shape: [2], data: new Float64Array(2) } } } };
    expect(() => checkInferenceData(noChain)).toThrow("posterior/x: a sampled group's variables start with dims (chain, draw)");
  });

  it("rejects names that are not HDF5 link names", () => {
    expect(() => fromDraws([[new Float64Array(2)]], { attrs, variables: [{ name: "a/b", shape: [2] }] })).toThrow(
      'posterior/a/b: "a/b" cannot name a variable or dim (HDF5 paths use "/")',
    );
    expect(() => fromDraws([[new Float64Array(2)]], { attrs, variables: [{ name: "a", shape: [2], dims: [""] }] })).toThrow(
      'posterior/a: "" cannot name a variable or dim',
    );
  });
});
