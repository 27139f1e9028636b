package io.jenkins.plugins.podvm;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import hudson.slaves.WorkspaceList;
import io.podvm.engine.PodvmException;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.log.SecretMasker;
import io.podvm.engine.process.HostEnvironment;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.MasterToSlaveFileCallable;

/**
 * One engine call, run on the agent in the workspace: the engine's log goes to the build log through the
 * engine's masking, and the result comes back as plain values. The step's environment (as {@code sh} would
 * see it: the agent's, withEnv, tool, withCredentials) travels with the call, and the engine finds its tools
 * on that PATH and gives their processes what they need from it. Subclasses hold the (serializable) engine
 * request and do nothing but hand it to the engine.
 *
 * <p>Abort: Jenkins interrupts the step's thread; remoting then cancels this call on the agent, which
 * interrupts the thread running {@link #call}, and the engine ends the tool's process tree and throws.
 * Every file the engine wrote for credentials is deleted by the engine in a {@code finally} on the agent.
 * The engine itself refuses a non-Linux agent for the capabilities that need Linux (mkosi, binaries).
 */
abstract class EngineCall extends MasterToSlaveFileCallable<LinkedHashMap<String, Object>> {
    private static final long serialVersionUID = 1L;

    private final TaskListener listener;
    /** Values to mask in the log and in error messages; they travel to the agent with the call. */
    private final ArrayList<String> secrets;
    /** {@code WorkspaceList.tempDir(workspace)} on the agent, for the engine's credential directory. */
    private final String secretsParent;
    /** The step's environment, a plain map so that it crosses the channel as JDK classes only. */
    private final HashMap<String, String> environment;

    EngineCall(TaskListener listener, List<String> secrets, @CheckForNull String secretsParent,
            Map<String, String> environment) {
        this.listener = listener;
        this.secrets = new ArrayList<>(secrets);
        this.secretsParent = secretsParent;
        this.environment = new HashMap<>(environment);
    }

    /**
     * Runs the engine; {@code workspace} resolves the request's relative paths, {@code host} is the step's
     * environment, built on the agent.
     */
    protected abstract Map<String, Object> call(BuildLog log, Path workspace, @CheckForNull Path secretsParent,
            HostEnvironment host);

    @Override
    public LinkedHashMap<String, Object> invoke(File workspace, VirtualChannel channel)
            throws IOException, InterruptedException {
        SecretMasker masker = new SecretMasker();
        secrets.forEach(masker::add);
        BuildLog log = new BuildLog(listener.getLogger(), masker);
        try {
            Map<String, Object> result = call(log, workspace.toPath(),
                    secretsParent == null ? null : Path.of(secretsParent), HostEnvironment.of(environment));
            return PlainValues.copyMap(result);
        } catch (PodvmException e) {
            // The engine's messages are whole sentences for the user: no stack trace, and masked, since a
            // message may quote a value that came from a credential.
            throw new AbortException(masker.mask(e.getMessage()));
        }
    }

    /** A message with the given secrets masked, for errors raised on the controller before the call. */
    static String mask(String message, List<String> secrets) {
        SecretMasker masker = new SecretMasker();
        secrets.forEach(masker::add);
        return masker.mask(message);
    }

    /** Runs the call on the workspace's machine and returns its result. */
    static LinkedHashMap<String, Object> run(@NonNull FilePath workspace, @NonNull EngineCall call)
            throws IOException, InterruptedException {
        return workspace.act(call);
    }

    /** Where the engine makes its credential directory: beside the workspace, never inside it. */
    static @CheckForNull String secretsParent(@NonNull FilePath workspace) {
        FilePath tmp = WorkspaceList.tempDir(workspace);
        return tmp == null ? null : tmp.getRemote();
    }
}
