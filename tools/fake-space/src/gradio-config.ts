/**
 * `/config` and `/info` documents, in the shapes Gradio's `Blocks.get_config_file()`,
 * `BlockFunction.get_config()` and `Blocks.get_api_info()` produce.
 *
 * What @gradio/client 2.x actually reads from the config:
 * - `protocol`: "sse_v1" | "sse_v2" | "sse_v2.1" | "sse_v3" select the queue-join + shared
 *   `queue/data` SSE flow ("ws"/missing throws "legacy Gradio 3.x" error).
 * - `api_prefix`: prepended to every route but `/config` (`client.api_prefix = config.api_prefix || ""`).
 *   Gradio 5 sends "/gradio_api"; Gradio 4 had no such key, so routes sit at the root.
 * - `root`: base of every later request. The client keeps the server's `root` when
 *   present, else uses the URL it connected to.
 * - `dependencies[].id/api_name/queue/inputs/outputs/types`: endpoint lookup
 *   (`api_map` from `api_name`), `skip_queue` (`queue === false` posts to `run/<name>`).
 * - `enable_queue`: fallback when a dependency's `queue` is null.
 * - `connect_heartbeat`: opens `GET <prefix>/heartbeat/<session_hash>` as an SSE stream.
 * - `space_id`: with a token, the client fetches a JWT from huggingface.co and adds
 *   `__sign=` to stream and file URLs; we report null so nothing leaves the machine.
 * - `components[].type === "state"`: state inputs are padded with null.
 */
import type { AppDef, EndpointDef } from './apps';
import type { ComponentDef } from './apps/components';
import type { Json, JsonObject, Layout } from './types';

export const GRADIO5_VERSION = '5.49.1';
export const GRADIO4_VERSION = '4.44.1';
export const API_PREFIX = '/gradio_api';

export function apiPrefix(layout: Layout): string {
  return layout === 'gradio5' ? API_PREFIX : '';
}

function dependencyConfig(dep: EndpointDef): JsonObject {
  return {
    id: dep.id,
    targets: dep.targets,
    inputs: dep.inputs,
    outputs: dep.outputs,
    backend_fn: true,
    js: null,
    queue: dep.queue,
    api_name: dep.apiName,
    api_description: null,
    scroll_to_output: false,
    show_progress: 'full',
    show_progress_on: null,
    batch: dep.batch,
    max_batch_size: dep.maxBatchSize,
    cancels: [],
    types: { generator: false, cancel: false },
    collects_event_data: false,
    trigger_after: dep.triggerAfter,
    trigger_only_on_success: dep.triggerAfter !== null,
    trigger_only_on_failure: false,
    trigger_mode: 'once',
    // Gradio 5 says show_api; Gradio 6 (and the client's run history) says api_visibility.
    show_api: dep.apiName !== null,
    api_visibility: dep.apiName !== null ? 'public' : 'undocumented',
    rendered_in: null,
    render_id: null,
    connection: 'sse',
    time_limit: null,
    stream_every: 0.5,
    event_specific_args: null,
    component_prop_inputs: [],
    js_implementation: null,
  };
}

function componentConfig(c: ComponentDef): JsonObject {
  return {
    id: c.id,
    type: c.type,
    props: c.props,
    skip_api: c.type === 'markdown' || c.type === 'button',
    component_class_id: `${c.className}-fake`,
    key: null,
    api_info: c.apiType,
    api_info_as_input: c.apiType,
    api_info_as_output: c.apiType,
    example_inputs: c.exampleInput,
  };
}

export function buildConfig(app: AppDef, layout: Layout, root: string, appId: number): JsonObject {
  const ids = app.components.map((c) => c.id);
  const common: JsonObject = {
    version: layout === 'gradio5' ? GRADIO5_VERSION : GRADIO4_VERSION,
    mode: 'blocks',
    app_id: appId,
    dev_mode: false,
    analytics_enabled: false,
    components: [{ id: 0, type: 'column', props: { visible: true, name: 'column' }, skip_api: true }, ...app.components.map(componentConfig)],
    css: null,
    connect_heartbeat: false,
    js: null,
    head: null,
    title: app.title,
    space_id: null,
    enable_queue: true,
    show_error: false,
    show_api: true,
    is_colab: false,
    max_file_size: null,
    stylesheets: [],
    theme: 'default',
    protocol: 'sse_v3',
    body_css: { body_background_fill: 'white', body_text_color: '#1f2937', body_background_fill_dark: '#0b0f19', body_text_color_dark: '#f3f4f6' },
    fill_height: false,
    fill_width: false,
    layout: app.layout,
    dependencies: app.endpoints.map(dependencyConfig),
    root,
    username: null,
  };
  if (layout === 'gradio4') return common;
  return {
    ...common,
    api_prefix: API_PREFIX,
    theme_hash: 'fake',
    pwa: false,
    pages: [['', 'Home']],
    page: { '': { components: [0, ...ids], dependencies: app.endpoints.map((e) => e.id), layout: app.layout } },
    current_page: '',
    mcp_server: false,
    i18n_translations: null,
  };
}

function componentById(app: AppDef, id: number): ComponentDef {
  const found = app.components.find((c) => c.id === id);
  if (!found) throw new Error(`app ${app.name}: no component ${id}`);
  return found;
}

/** `GET <prefix>/info`: only named endpoints with `show_api`, as `Blocks.get_api_info()`. */
export function buildApiInfo(app: AppDef): JsonObject {
  const named: JsonObject = {};
  for (const dep of app.endpoints) {
    if (dep.apiName === null) continue;
    const parameters: Json[] = dep.inputs.map((id, index) => {
      const c = componentById(app, id);
      const hasDefault = c.initial !== null;
      return {
        label: c.label,
        parameter_name: dep.parameterNames[index] ?? `param_${index}`,
        parameter_has_default: hasDefault,
        parameter_default: hasDefault ? c.initial : null,
        type: c.apiType,
        python_type: c.pythonType,
        component: c.className,
        example_input: c.exampleInput,
      };
    });
    const returns: Json[] = dep.outputs.map((id) => {
      const c = componentById(app, id);
      return { label: c.label, type: c.apiType, python_type: c.pythonType, component: c.className, show_label: true };
    });
    named[`/${dep.apiName}`] = { parameters, returns, show_api: true, description: '', api_visibility: 'public' };
  }
  return { named_endpoints: named, unnamed_endpoints: {} };
}
