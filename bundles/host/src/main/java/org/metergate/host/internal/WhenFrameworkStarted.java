// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.host.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;

/**
 * Runs an action once, when the framework has started every bundle, or at once if it already has. A component
 * activated at start level 1 would otherwise act before the bundles of later levels (Gogo's commands, Jetty) run.
 */
final class WhenFrameworkStarted implements AutoCloseable {

    private final BundleContext context;
    private final Runnable action;
    private final AtomicBoolean done = new AtomicBoolean();
    private final FrameworkListener listener = event -> {
        if (event.getType() == FrameworkEvent.STARTED) {
            runOnce();
        }
    };

    private WhenFrameworkStarted(BundleContext context, Runnable action) {
        this.context = context;
        this.action = action;
    }

    static WhenFrameworkStarted run(BundleContext context, Runnable action) {
        WhenFrameworkStarted when = new WhenFrameworkStarted(context, action);
        context.addFrameworkListener(when.listener);
        if (context.getBundle(0).getState() == Bundle.ACTIVE) {
            when.runOnce();
        }
        return when;
    }

    private void runOnce() {
        if (done.compareAndSet(false, true)) {
            action.run();
        }
    }

    /** The action does not run any more if it has not yet. */
    @Override
    public void close() {
        done.set(true);
        context.removeFrameworkListener(listener);
    }
}
