// What opening files means in the studio, wherever they come from (the Open button, a drop on the
// window): a `.json` file is a pipeline and loads as one; everything else is the model and its
// external-data files.
import { useModelStore } from '../stores/modelStore';
import { isPipelineFileName, usePipelineStore } from '../stores/pipelineStore';

export function openStudioFiles(files: readonly File[]): void {
  const pipelineFile = files.find((file) => isPipelineFileName(file.name));
  const modelFiles = files.filter((file) => !isPipelineFileName(file.name));
  if (pipelineFile) void usePipelineStore.getState().loadFile(pipelineFile);
  if (modelFiles.length > 0) void useModelStore.getState().openFiles(modelFiles);
}
