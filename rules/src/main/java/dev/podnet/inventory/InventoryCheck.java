package dev.podnet.inventory;

import dev.podnet.lint.Check;
import dev.podnet.lint.Workspace;

/**
 * A check family that reads the shared cluster inventory ({@link InventoryBuilder#of}). Its {@link #prepare} builds
 * the inventory before the families run concurrently, so the build has every core (documents are bound to fabric8
 * in parallel) and no family waits for another to finish it; the families that share it build it once.
 */
public interface InventoryCheck extends Check {
    /** Builds the workspace's inventory (kept in the workspace; later calls return the same one). */
    @Override
    default void prepare(Workspace ws) {
        InventoryBuilder.of(ws);
    }
}
