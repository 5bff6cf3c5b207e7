// The newest ONNX IR version this codec knows. Newer files are still read (protobuf keeps fields it
// does not know), but summaries flag them so a user knows why something may look incomplete.

export const LATEST_IR_VERSION = 13;

/** How a summary shows a file's IR version: flagged when it is newer than the codec knows. */
export function describeIrVersion(irVersion: number): string {
  return irVersion > LATEST_IR_VERSION
    ? `${irVersion} (newer than ${LATEST_IR_VERSION}, the newest Whittle knows; unknown fields are kept as they are)`
    : String(irVersion);
}
