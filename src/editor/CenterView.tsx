// The centre of the studio: two tabs, the pipeline editor and the model's layer graph. Both stay
// mounted at full size (the graph keeps its layout and viewport, the canvas its view, and React Flow
// measures both); the inactive one is invisible and inert, so switching is instant.
import { useShallow } from 'zustand/react/shallow';
import { GraphCanvas } from '../graphView/GraphCanvas';
import { useEditorStore, type CenterView as View } from '../stores/editorStore';
import { PipelineCanvas } from './PipelineCanvas';
import { PipelineMessages } from './PipelineMessages';
import { PipelineToolbar } from './PipelineToolbar';
import './editor.css';

const TABS: { view: View; label: string }[] = [
  { view: 'pipeline', label: 'Pipeline' },
  { view: 'model', label: 'Model graph' },
];

export function CenterView() {
  const { centerView, setCenterView } = useEditorStore(useShallow((s) => ({ centerView: s.centerView, setCenterView: s.setCenterView })));
  return (
    <section className="center-view" data-testid="center-view" data-view={centerView}>
      <div className="center-tabs" role="tablist" aria-label="Centre view">
        {TABS.map((tab) => (
          <button
            key={tab.view}
            type="button"
            role="tab"
            id={`center-tab-${tab.view}`}
            aria-selected={centerView === tab.view}
            aria-controls={`center-panel-${tab.view}`}
            className="center-tab"
            data-testid={`center-tab-${tab.view}`}
            onClick={() => setCenterView(tab.view)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div className="center-panels">
        <div id="center-panel-pipeline" role="tabpanel" aria-labelledby="center-tab-pipeline" className="center-panel pipeline-editor" inert={centerView !== 'pipeline'} data-active={centerView === 'pipeline'}>
          <PipelineToolbar />
          <div className="pipeline-stage">
            <PipelineCanvas />
            <PipelineMessages />
          </div>
        </div>
        <div id="center-panel-model" role="tabpanel" aria-labelledby="center-tab-model" className="center-panel" inert={centerView !== 'model'} data-active={centerView === 'model'}>
          <GraphCanvas />
        </div>
      </div>
    </section>
  );
}
