// Typed reads of a NodeProto's attributes, with the defaults the caller states.
import type { onnx } from '../../onnx/generated/onnx.js';
import { int64ToNumber, type Int64Like } from '../../onnx/int64.js';

export class NodeAttributes {
  private readonly byName = new Map<string, onnx.IAttributeProto>();
  constructor(node: onnx.INodeProto) {
    for (const attribute of node.attribute ?? []) this.byName.set(attribute.name ?? '', attribute);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  int(name: string, fallback: number): number {
    const a = this.byName.get(name);
    return a?.i !== undefined && a.i !== null ? int64ToNumber(a.i as Int64Like) : fallback;
  }

  ints(name: string): number[] | undefined {
    const a = this.byName.get(name);
    return a?.ints?.length ? a.ints.map((v) => int64ToNumber(v as Int64Like)) : undefined;
  }

  float(name: string, fallback: number): number {
    const a = this.byName.get(name);
    return a?.f !== undefined && a.f !== null ? a.f : fallback;
  }

  string(name: string, fallback: string): string {
    const a = this.byName.get(name);
    return a?.s ? new TextDecoder().decode(a.s) : fallback;
  }
}
