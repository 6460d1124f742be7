/**
 * The one way a ScaleFu dashboard is built on @grafana/grafana-foundation-sdk: the SDK's panels come without an id,
 * its queries without a refId and its legends hidden, so `Board` gives every panel an id, a grid position (left to
 * right, rows of 24 columns), the Prometheus datasource variable, and every query a refId and a visible legend.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

/** Every panel and query reads the dashboard's `datasource` variable (Grafana's Prometheus data source). */
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

/** One PromQL query of a panel and the legend of its series. */
export interface Query {
  readonly expr: string;
  /** Grafana legend template, e.g. `{{topic}}`. */
  readonly legend: string;
}

export interface PanelProps {
  readonly title: string;
  readonly description: string;
  readonly queries: readonly Query[];
  /** Grafana unit id (`s`, `reqps`, `percentunit`, `short`, …). @default 'short' */
  readonly unit?: string;
  /** Horizontal lines drawn at these values (e.g. an SLO). @default none */
  readonly thresholds?: readonly { readonly value: number; readonly color: string }[];
  /** Width in grid columns (of 24). @default 12 */
  readonly width?: number;
  /** Height in grid rows. @default 8 */
  readonly height?: number;
  /** A single number instead of a graph. @default 'timeseries' */
  readonly kind?: 'timeseries' | 'stat';
}

export interface BoardProps {
  /** Stable Grafana uid; also the rendered file name. */
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags?: readonly string[];
}

const GRID_COLUMNS = 24;
const refIdOf = (index: number) => String.fromCharCode(65 + index);

export class Board {
  private readonly builder: dashboard.DashboardBuilder;
  private nextId = 1;
  private x = 0;
  private y = 0;
  private rowHeight = 0;

  constructor(readonly props: BoardProps) {
    if (!/^[a-z0-9-]{1,40}$/.test(props.uid)) throw new Error(`dashboard uid "${props.uid}" must be kebab-case`);
    this.builder = new dashboard.DashboardBuilder(props.title)
      .uid(props.uid)
      .description(props.description)
      .tags(['scalefu', ...(props.tags ?? [])])
      .editable()
      .time({ from: 'now-1h', to: 'now' })
      .refresh('30s')
      .timezone('utc')
      .withVariable(
        new dashboard.DatasourceVariableBuilder('datasource')
          .label('Prometheus')
          .type('prometheus')
          .current({ text: 'Prometheus', value: 'prometheus' }),
      );
  }

  /** Start a new row of panels under a titled row header. */
  section(title: string): this {
    this.newLine();
    this.builder.withRow(
      new dashboard.RowBuilder(title).id(this.nextId++).gridPos({ x: 0, y: this.y, w: GRID_COLUMNS, h: 1 }),
    );
    this.y += 1;
    return this;
  }

  panel(props: PanelProps): this {
    const width = props.width ?? 12;
    const height = props.height ?? 8;
    if (width < 1 || width > GRID_COLUMNS) throw new Error(`${props.title}: width ${width} is outside 1..24`);
    if (props.queries.length === 0) throw new Error(`${props.title}: a panel needs at least one query`);
    if (this.x + width > GRID_COLUMNS) this.newLine();
    const targets = props.queries.map((q, i) =>
      new prometheus.DataqueryBuilder()
        .expr(q.expr)
        .legendFormat(q.legend)
        .refId(refIdOf(i))
        .range()
        .datasource({ ...DATASOURCE }),
    );
    const thresholds = new dashboard.ThresholdsConfigBuilder()
      .mode(dashboard.ThresholdsMode.Absolute)
      .steps([
        { value: null, color: 'green' },
        ...(props.thresholds ?? []).map((t) => ({ value: t.value, color: t.color })),
      ]);
    const gridPos = { x: this.x, y: this.y, w: width, h: height };
    const id = this.nextId++;
    const configure = <P extends timeseries.PanelBuilder | stat.PanelBuilder>(p: P): P => {
      p.id(id)
        .title(props.title)
        .description(props.description)
        .datasource({ ...DATASOURCE })
        .targets(targets)
        .unit(props.unit ?? 'short')
        .thresholds(thresholds)
        .gridPos(gridPos);
      return p;
    };
    if (props.kind === 'stat') {
      this.builder.withPanel(configure(new stat.PanelBuilder()));
    } else {
      const panel = configure(new timeseries.PanelBuilder()).legend(
        new common.VizLegendOptionsBuilder()
          .showLegend(true)
          .displayMode(common.LegendDisplayMode.List)
          .placement(common.LegendPlacement.Bottom),
      );
      if (props.thresholds?.length) {
        panel.thresholdsStyle(
          new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed),
        );
      }
      this.builder.withPanel(panel);
    }
    this.x += width;
    this.rowHeight = Math.max(this.rowHeight, height);
    return this;
  }

  /** A dashboard-wide annotation from a Prometheus query (e.g. Argo CD syncs). */
  annotation(name: string, expr: string, titleFormat: string, color: string): this {
    this.builder.annotation(
      new dashboard.AnnotationQueryBuilder()
        .name(name)
        .datasource({ ...DATASOURCE })
        .enable(true)
        .iconColor(color)
        .expr(expr)
        .titleFormat(titleFormat)
        .step('60s')
        .useValueForTime(false),
    );
    return this;
  }

  build(): dashboard.Dashboard {
    return this.builder.build();
  }

  private newLine(): void {
    if (this.x === 0) return;
    this.y += this.rowHeight;
    this.x = 0;
    this.rowHeight = 0;
  }
}
