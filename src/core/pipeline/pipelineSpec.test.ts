import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PIPELINE_LIMITS } from './limits.js';
import { validatePipeline } from './pipelineSpec.js';
import { designExample } from './testPipelines.js';

const errorsOf = (input: unknown) => {
  const result = validatePipeline(input);
  return result.ok ? [] : result.errors;
};

/** DESIGN.md's example with one change made to it. */
function changed(change: (pipeline: any) => void): unknown {
  const pipeline = designExample();
  change(pipeline);
  return pipeline;
}

describe('validatePipeline', () => {
  it("accepts DESIGN.md's example as it is, defaults not yet filled", () => {
    const result = validatePipeline(designExample());
    expect(result).toEqual({ ok: true, pipeline: { ...designExample(), nodes: [{ id: 'model', type: 'model', params: {} }, ...(designExample().nodes as object[]).slice(1)] } });
  });

  it('names the node and the param, what it must be and what it was', () => {
    const cases: [(pipeline: any) => void, string][] = [
      [(p) => (p.nodes[2].params.bits = 5), "node 'q': bits must be one of 2, 3, 4, 8, 16; got 5"],
      [(p) => (p.nodes[2].params.bits = [8, 5]), "node 'q': bits[1] must be one of 2, 3, 4, 8, 16; got 5"],
      [(p) => (p.nodes[2].params.bits = []), "node 'q': bits is an empty sweep; give one value, or a list of the values to try"],
      [(p) => (p.nodes[1].params.sparsity = 1.5), "node 'p': sparsity must be a number from 0 to 0.99; got 1.5"],
      [(p) => (p.nodes[1].params = 'strong'), "node 'p': params must be an object of parameters; got 'strong'"],
      [(p) => (p.nodes[1].type = 'quantise'), "node 'p': type must be a block type, one of 'model', 'quantize', 'prune', 'distill', 'finetune', 'lowrank', 'cluster', 'foldbn', 'sensitivity', 'auto'; got 'quantise'"],
      [(p) => (p.nodes[1].ui = 3), "node 'p': ui must be an object (editor-only data); got 3"],
      [(p) => (p.type = 'whittle-results'), "type must be 'whittle-pipeline' (is this a Whittle pipeline?); got 'whittle-results'"],
      [(p) => (p.version = '1'), "version must be 1; got '1'"],
      [(p) => (p.nodes = {}), "nodes must be a list of nodes, one of them of type 'model'; got {}"],
      [(p) => (p.ui = []), 'ui must be an object (editor-only data); got []'],
      [(p) => (p.model = { sample: 'Fashion CNN' }), "model.sample must be a sample model id (lower-case letters, digits, '-', '_', '.'; at most 64); got 'Fashion CNN'"],
      [(p) => (p.model = { name: 'mine.onnx' }), "model must be { sample: ID } for a bundled model or { name, sha256 } for your own file; 'sha256' is missing"],
      [(p) => (p.model = {}), 'model must be { sample: ID } for a bundled model or { name, sha256 } for your own file; got neither'],
      [(p) => (p.model = 'fashion-cnn'), "model must be { sample: ID } for a bundled model or { name, sha256 } for your own file; got 'fashion-cnn'"],
      [(p) => (p.dataset = { name: 'd.npz', sha256: 'abc' }), "dataset.sha256 must be the file's SHA-256 as 64 hexadecimal digits; got 'abc'"],
      [(p) => (p.dataset = { sample: 'mnist', name: 'd.npz', sha256: 'a'.repeat(64) }), 'dataset must be { sample: ID } for a bundled dataset or { name, sha256 } for your own file, not both'],
    ];
    for (const [change, message] of cases) expect(errorsOf(changed(change)), message).toEqual([message]);
    expect(errorsOf(changed((p) => (p.edges[1] = { source: 'p' })))).toEqual(['edges[1]: target must be the id of the node it goes to; got nothing', "node 'q' has no input; connect it to the model or to another block"]);
    expect(errorsOf(changed((p) => (p.edges[1] = 'p→q')))).toEqual(["edges[1] must be an edge object { source, target }; got 'p→q'", "node 'q' has no input; connect it to the model or to another block"]);
    expect(errorsOf(changed((p) => (p.edges[1].extra = () => 1)))).toEqual(['edges[1].extra: a function is not JSON data']);
    expect(errorsOf(changed((p) => (p.nodes[2] = 'q')))).toEqual(["nodes[2] must be a node object { id, type, params }; got 'q'", "edges: 'p' → 'q': no node 'q'"]);
  });

  it('checks node ids: a letter, then letters, digits, _ or -, at most 48', () => {
    const withId = (id: unknown) => changed((p) => {
      p.nodes[2].id = id;
      p.edges[1].target = id;
    });
    const rule = "must be a node id: a letter, then letters, digits, '_' or '-', at most 48 characters";
    expect(errorsOf(withId('q_2-b'))).toEqual([]);
    expect(errorsOf(withId('2q'))).toEqual([`nodes[2].id ${rule}; got '2q'`]);
    expect(errorsOf(withId('q q'))).toEqual([`nodes[2].id ${rule}; got 'q q'`]);
    expect(errorsOf(withId('<b>q</b>'))).toEqual([`nodes[2].id ${rule}; got '<b>q</b>'`]);
    expect(errorsOf(withId('q'.repeat(49)))[0]).toMatch(/^nodes\[2\]\.id must be a node id/);
    expect(errorsOf(withId('constructor'))).toEqual([`nodes[2].id ${rule}, and not 'constructor' or 'prototype'; got 'constructor'`]);
    expect(errorsOf(withId(7))).toEqual([`nodes[2].id ${rule}; got 7`, 'edges[1]: target must be the id of the node it goes to; got 7']);
  });

  it('reports problems of the whole graph', () => {
    expect(errorsOf(changed((p) => p.edges.push({ source: 'p', target: 'zz' })))).toEqual(["edges: 'p' → 'zz': no node 'zz'"]);
    expect(errorsOf(changed((p) => p.nodes.push({ id: 'model2', type: 'model' })))).toEqual(["exactly one node of type 'model' is needed; found 2 ('model', 'model2')"]);
    expect(errorsOf(changed((p) => (p.nodes[0].type = 'quantize')))).toEqual(["exactly one node of type 'model' is needed; found 0", "node 'model' has no input; connect it to the model or to another block"]);
    expect(errorsOf(changed((p) => p.edges.push({ source: 'q', target: 'p' })))).toEqual(["node 'p' has 2 inputs ('model', 'q'); a block takes one model in — remove all but one of these edges"]);
    expect(errorsOf(changed((p) => (p.edges = [{ source: 'q', target: 'p' }, { source: 'p', target: 'q' }])))).toEqual(["nodes 'p' → 'q' → 'p' form a cycle; a pipeline flows one way, from the model"]);
    expect(errorsOf(changed((p) => (p.nodes[2].id = 'p')))).toEqual(["nodes: the id 'p' is used by 2 nodes; each node needs its own id", "edges: 'p' → 'q': no node 'q'"]);
  });

  it('reports every problem at once: params, structure and graph', () => {
    const errors = errorsOf(changed((p) => {
      p.nodes[1].params.sparsity = 2;
      p.nodes[2].params.granularity = 'row';
      p.edges.push({ source: 'q', target: 'nowhere' });
    }));
    expect(errors).toEqual([
      "node 'p': sparsity must be a number from 0 to 0.99; got 2",
      "node 'q': granularity must be one of 'tensor', 'channel', 'group'; got 'row'",
      "edges: 'q' → 'nowhere': no node 'nowhere'",
    ]);
  });

  it('keeps unknown fields everywhere and editor data as it is', () => {
    const input = changed((p) => {
      p.createdBy = 'studio';
      p.ui = { viewport: { x: 1, y: 2, zoom: 1.5 } };
      p.nodes[1].ui = { position: { x: 10, y: 20 } };
      p.nodes[1].label = 'Prune half';
      p.nodes[1].params.future = { mode: 'fast' };
      p.edges[0].id = 'e1';
      p.model.revision = 3;
    });
    const result = validatePipeline(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.pipeline).toMatchObject({ createdBy: 'studio', ui: { viewport: { x: 1, y: 2, zoom: 1.5 } }, model: { sample: 'fashion-cnn', revision: 3 } });
    expect(result.pipeline.nodes[1]).toEqual({ id: 'p', type: 'prune', label: 'Prune half', ui: { position: { x: 10, y: 20 } }, params: { sparsity: 0.5, pattern: 'unstructured', future: { mode: 'fast' } } });
    expect(result.pipeline.edges[0]).toEqual({ id: 'e1', source: 'model', target: 'p' });
  });

  it('treats HTML in names as plain text and keeps a file hash in lower case', () => {
    const name = '<img src=x onerror=alert(1)>.onnx';
    const result = validatePipeline(changed((p) => (p.model = { name, sha256: 'AB'.repeat(32) })));
    expect(result.ok && result.pipeline.model).toEqual({ name, sha256: 'ab'.repeat(32) });
  });

  it('returns a copy: later changes to the input do not reach it', () => {
    const input = designExample() as any;
    const result = validatePipeline(input);
    input.nodes[1].params.sparsity = 0.9;
    expect(result.ok && result.pipeline.nodes[1]!.params.sparsity).toBe(0.5);
  });

  it('refuses prototype keys without touching any prototype', () => {
    const text = '{"type":"whittle-pipeline","version":1,"nodes":[{"id":"model","type":"model"},{"id":"q","type":"quantize","params":{"__proto__":{"bits":2}}}],"edges":[{"source":"model","target":"q"}]}';
    expect(errorsOf(JSON.parse(text))).toEqual(["nodes[1].params: the key '__proto__' is not allowed (it could change how objects behave)"]);
    expect(errorsOf(JSON.parse(text.replace('__proto__', 'constructor')))).toEqual(["nodes[1].params: the key 'constructor' is not allowed (it could change how objects behave)"]);
    expect(({} as { bits?: number }).bits).toBeUndefined();
  });

  it('holds nodes and edges to their caps', () => {
    const many = changed((p) => {
      p.nodes = [{ id: 'model', type: 'model' }, ...Array.from({ length: PIPELINE_LIMITS.maxNodes }, (_, i) => ({ id: `n${i}`, type: 'foldbn' }))];
      p.edges = p.nodes.slice(1).map((node: { id: string }) => ({ source: 'model', target: node.id }));
    });
    expect(errorsOf(many)).toEqual([`nodes must be a list of at most ${PIPELINE_LIMITS.maxNodes} nodes; got a list of ${PIPELINE_LIMITS.maxNodes + 1}`]);
    const edges = changed((p) => (p.edges = Array.from({ length: PIPELINE_LIMITS.maxEdges + 1 }, () => ({ source: 'model', target: 'p' }))));
    expect(errorsOf(edges)).toEqual([`edges must be a list of at most ${PIPELINE_LIMITS.maxEdges} edges; got a list of ${PIPELINE_LIMITS.maxEdges + 1}`]);
  });

  it('never throws on arbitrary data, only returns errors', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withDate: true, withMap: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true }), (value) => {
        const result = validatePipeline(value);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on pipelines with random parts replaced, and every error is a sentence', () => {
    const paths: string[][] = [['type'], ['version'], ['model'], ['dataset'], ['nodes'], ['edges'], ['nodes', '1'], ['nodes', '2', 'params'], ['nodes', '2', 'params', 'bits'], ['nodes', '1', 'params', 'sparsity'], ['nodes', '1', 'id'], ['nodes', '2', 'type'], ['edges', '0'], ['edges', '1', 'source'], ['nodes', '0', 'type']];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 3 })), { minLength: 1, maxLength: 4 }), (replacements) => {
        const pipeline = designExample() as any;
        for (const [path, value] of replacements) {
          let target = pipeline;
          for (const key of path.slice(0, -1)) target = target && typeof target === 'object' ? target[key] : undefined;
          if (target && typeof target === 'object') target[path.at(-1)!] = value;
        }
        const result = validatePipeline(pipeline);
        if (!result.ok) for (const error of result.errors) expect(error).toMatch(/^(node '|nodes|edges|the pipeline|type|version|model|dataset|ui|exactly one)/);
      }),
      { numRuns: 500 },
    );
  });
});
