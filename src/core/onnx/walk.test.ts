// walk: every graph (subgraphs at any depth, function bodies, training info) and every tensor.
import { describe, expect, it } from 'vitest';
import { onnx } from './generated/onnx.js';
import { modelGraphs, modelTensors } from './walk.js';
import { structuralModel } from '../testing/structuralModels.js';

const tensor = (name: string) => new onnx.TensorProto({ name });

describe('walk', () => {
  it('visits the main graph and If/Loop bodies with readable paths', () => {
    const paths = [...modelGraphs(structuralModel('control-flow').build())].map((v) => v.path);
    expect(paths).toEqual(['graph', "graph/node 'branch'/then_branch", "graph/node 'branch'/else_branch", "graph/node 'loop'/body"]);
  });

  it('visits nested subgraphs, GRAPHS attributes, function bodies and training graphs', () => {
    const leaf = new onnx.GraphProto({ name: 'leaf', initializer: [tensor('leaf.t')] });
    const middle = new onnx.GraphProto({ name: 'middle', node: [new onnx.NodeProto({ opType: 'Scan', attribute: [new onnx.AttributeProto({ name: 'bodies', graphs: [leaf, leaf] })] })] });
    const model = new onnx.ModelProto({
      graph: new onnx.GraphProto({
        initializer: [tensor('main.t')],
        sparseInitializer: [new onnx.SparseTensorProto({ values: tensor('sparse.values'), indices: tensor('sparse.indices') })],
        node: [
          new onnx.NodeProto({
            name: 'outer',
            opType: 'If',
            attribute: [
              new onnx.AttributeProto({ name: 'then_branch', g: middle }),
              new onnx.AttributeProto({ name: 'value', t: tensor('attr.t'), tensors: [tensor('attr.ts')] }),
              new onnx.AttributeProto({ name: 'sparse', sparseTensor: new onnx.SparseTensorProto({ values: tensor('attr.sparse') }) }),
            ],
          }),
        ],
      }),
      functions: [
        new onnx.FunctionProto({
          name: 'F',
          node: [new onnx.NodeProto({ opType: 'Constant', attribute: [new onnx.AttributeProto({ name: 'value', t: tensor('fn.t') })] }), new onnx.NodeProto({ opType: 'If', attribute: [new onnx.AttributeProto({ name: 'g', g: leaf })] })],
        }),
      ],
      trainingInfo: [new onnx.TrainingInfoProto({ initialization: new onnx.GraphProto({ initializer: [tensor('init.t')] }), algorithm: new onnx.GraphProto({ initializer: [tensor('algo.t')] }) })],
    });
    expect([...modelGraphs(model)].map((v) => v.path)).toEqual([
      'graph',
      "graph/node 'outer'/then_branch",
      "graph/node 'outer'/then_branch/node 'Scan'/bodies",
      "graph/node 'outer'/then_branch/node 'Scan'/bodies",
      "function 'F'/node 'If'/g",
      'training_info[0]/initialization',
      'training_info[0]/algorithm',
    ]);
    const names = [...modelTensors(model)].map((v) => v.tensor.name);
    expect(names.sort()).toEqual(
      ['main.t', 'sparse.values', 'sparse.indices', 'attr.t', 'attr.ts', 'attr.sparse', 'leaf.t', 'leaf.t', 'leaf.t', 'fn.t', 'init.t', 'algo.t'].sort(),
    );
  });
});
