/**
 * Closes the config when the application fails to bootstrap after it loaded. Nest calls no shutdown
 * hook when a provider throws while the container is being built (`NestFactory.create` with
 * `abortOnError: false`, `Test.createTestingModule().compile()`), so the config, and its sources'
 * polls, would live on. The guard follows every static provider's and controller's settlement (the
 * `donePromise` of `InstanceWrapper`, through the public `DiscoveryService`) until `adopt()`.
 */
import type { DiscoveryService } from '@nestjs/core';

type ContextId = Parameters<
  ReturnType<DiscoveryService['getProviders']>[number]['getInstanceByContextId']
>[0];

/**
 * Nest's static context id, from its internal module (not on the root entry point); `undefined` if a
 * Nest version moved it, and the guard then does nothing rather than break the module.
 */
async function staticContext(): Promise<ContextId | undefined> {
  try {
    const constants = (await import('@nestjs/core/injector/constants.js')) as { STATIC_CONTEXT?: ContextId };
    return constants.STATIC_CONTEXT;
  } catch {
    return undefined;
  }
}

/** The guard of each loaded config, until the lifecycle provider adopts it (keyed by the config). */
export const GUARDS = new WeakMap<object, BootstrapGuard>();

/** What {@link bootstrapGuard} returns. */
export interface BootstrapGuard {
  /** Follows the instances that started meanwhile (call once the config has loaded). */
  follow(): void;
  /** Whether an instance failed (the bootstrap is lost). */
  readonly failed: boolean;
  /** The bootstrap got past instantiation: stop following. */
  adopt(): void;
}

/**
 * Starts following the container's instances; `onFailure` runs once, when one of them fails to
 * instantiate before {@link BootstrapGuard.adopt}. Does nothing if Nest's internals differ.
 */
export async function bootstrapGuard(
  discovery: DiscoveryService,
  onFailure: () => void,
): Promise<BootstrapGuard> {
  const context = await staticContext();
  const seen = new WeakSet<object>();
  let failed = false;
  let adopted = false;
  const fail = (): void => {
    if (failed || adopted) return;
    failed = true;
    onFailure();
  };
  const follow = (): void => {
    if (adopted || context === undefined) return;
    let wrappers: ReturnType<DiscoveryService['getProviders']>;
    try {
      wrappers = [...discovery.getProviders(), ...discovery.getControllers()];
    } catch {
      return;
    }
    for (const wrapper of wrappers) {
      if (wrapper.isTransient || !wrapper.isDependencyTreeStatic()) continue;
      const host = wrapper.getInstanceByContextId(context);
      const done = host?.donePromise;
      if (!done || seen.has(done)) continue;
      seen.add(done);
      // Nest settles an instance's donePromise with the error it failed with (undefined on success).
      void done.then((error) => {
        if (error) fail();
      });
    }
  };
  follow();
  return {
    follow,
    get failed() {
      return failed;
    },
    adopt() {
      adopted = true;
    },
  };
}
