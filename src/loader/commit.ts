import type { Publisher } from '../publish/publisher.js';
import type { ChangeSet, ConfigData } from '../reader/contract.js';
import { closedError } from './abort.js';
import { type BuildContext, type BuildResult, buildFull } from './build.js';
import { type Built, buildIncrementally, type LayerChange } from './build-incremental.js';
import { layerSpecs } from './layer-specs.js';
import type { SourceEntry, SourceSet } from './source-set.js';

/** What one transaction commits. */
export interface Plan {
  entries: readonly SourceEntry[];
  changeSets: readonly ChangeSet[];
  overrides: ConfigData;
  trigger: readonly string[];
  /**
   * A change of one layer (index; 0 = defaults) that can be applied along its paths: the delta's paths,
   * or none, and then the paths are found by diffing the layer's old and new data (cost: that layer).
   */
  delta?: LayerChange;
}

/** What a {@link Committer} needs besides the sources and the publisher. */
export interface CommitSettings {
  defaults: ConfigData;
  /** Apply deltas along their paths; false rebuilds every change fully. */
  incremental: boolean;
  /** The build's schema, shape, memo, resolvers and signal (aborted when the config closes). */
  context: BuildContext;
  /** Reports the unsafe keys a committed build dropped. */
  reportDropped: (result: BuildResult) => void;
  /** Whether the config closed (then nothing is published). */
  closed: () => boolean;
}

/**
 * The commit of a transaction: builds the candidate (incrementally along a delta where it can), and
 * only if that succeeds and the config is still open, makes the plan's sources and data current and
 * publishes. A failure publishes nothing and changes no state.
 */
export class Committer {
  private built: Built;

  constructor(
    initial: BuildResult,
    private readonly sources: SourceSet,
    private readonly publisher: Publisher,
    private readonly settings: CommitSettings,
  ) {
    this.built = { merged: initial.merged, layers: initial.layers, resolvedBy: initial.resolvedBy };
  }

  /** The transaction. Throws, publishing nothing, on failure; `CLOSED` when the config closes meanwhile. */
  async commit(plan: Plan): Promise<void> {
    const specs = layerSpecs(this.settings.defaults, plan.changeSets, plan.overrides);
    const { context } = this.settings;
    const result = (await this.tryIncremental(plan, specs)) ?? (await buildFull(specs, context));
    if (this.settings.closed()) throw closedError('the config closed before the change was published');
    this.sources.entries = [...plan.entries];
    plan.entries.forEach((entry, index) => {
      entry.committed = plan.changeSets[index] as ChangeSet;
    });
    this.built = { merged: result.merged, layers: result.layers, resolvedBy: result.resolvedBy };
    this.settings.reportDropped(result);
    this.publish(result, plan);
    // Without a schema the value is the merged tree: keep the published one (shared, frozen) as both.
    if (!context.schema) this.built.merged = this.publisher.snapshot.value as ConfigData;
  }

  /** The incremental build, when the plan carries a delta and nothing forces a full one. */
  private tryIncremental(plan: Plan, specs: ReturnType<typeof layerSpecs>): Promise<BuildResult | undefined> {
    const { delta } = plan;
    const { incremental, context } = this.settings;
    if (!delta || !incremental || plan.entries !== this.sources.entries || context.resolvers.active) {
      return Promise.resolve(undefined);
    }
    return buildIncrementally(delta, specs, this.built, this.publisher.snapshot.value, context);
  }

  private publish(result: BuildResult, plan: Plan): void {
    if (!this.publisher.publish(result, plan.trigger)) return;
    const now = new Date();
    for (const entry of plan.entries) {
      if (plan.trigger.includes(entry.source.name)) entry.health.changed(now);
    }
  }
}
