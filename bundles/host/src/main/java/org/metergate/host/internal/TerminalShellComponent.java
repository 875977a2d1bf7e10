// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.host.internal;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The shell on the terminal the gateway was started from ({@code bin/metergate run}). Only when the launcher
 * sets the framework property {@value #PROPERTY}={@value #STDIN}: a service has no terminal. The end of the
 * input (Ctrl-D, or the pipe closing) stops the gateway, as closing a terminal session does.
 */
@Component(immediate = true)
public final class TerminalShellComponent {

    static final String PROPERTY = "metergate.shell";
    static final String STDIN = "stdin";

    private final CommandProcessor processor;
    private final BundleContext context;
    private CommandSession session;
    private LineShell shell;
    private WhenFrameworkStarted whenStarted;

    @Activate
    public TerminalShellComponent(@Reference CommandProcessor processor, BundleContext context) {
        this.processor = processor;
        this.context = context;
        if (STDIN.equals(context.getProperty(PROPERTY))) {
            // the first prompt once every bundle has started, so the first line finds all commands
            whenStarted = WhenFrameworkStarted.run(context, this::start);
        }
    }

    private synchronized void start() {
        // the process's own descriptors: System.out is Gogo's per-thread stream by now, and a session writing
        // into it would write into itself
        InputStream keyboard = new FileInputStream(FileDescriptor.in);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, Charset.defaultCharset());
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, Charset.defaultCharset());
        session = processor.createSession(keyboard, out, err);
        shell = new LineShell(session, new BufferedReader(new InputStreamReader(keyboard, Charset.defaultCharset())),
                out, err);
        Thread thread = new Thread(this::runShell, "metergate-shell");
        // a blocked read of the terminal must not keep the JVM alive once the framework has stopped
        thread.setDaemon(true);
        thread.start();
    }

    private void runShell() {
        boolean inputEnded;
        try {
            inputEnded = shell.run();
        } catch (IOException e) {
            System.err.println("metergate shell: the terminal cannot be read (" + e.getMessage() + "); stopping");
            inputEnded = true;
        }
        if (inputEnded) {
            stopFramework();
        }
    }

    private void stopFramework() {
        try {
            context.getBundle(0).stop();
        } catch (BundleException | IllegalStateException e) {
            // the framework is stopping already
        }
    }

    @Deactivate
    synchronized void deactivate() {
        if (whenStarted != null) {
            whenStarted.close();
        }
        if (shell != null) {
            shell.close();
            session.close();
        }
    }
}
