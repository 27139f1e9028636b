package io.jenkins.plugins.podvm;

import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.MissingContextVariableException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousResumeNotSupportedException;

/**
 * What the three steps share: on a thread of its own, resolve the credentials on the controller, build
 * the engine request (which validates it), run the engine on the agent with the step's environment, return
 * its result as a map. Subclasses implement {@link #call}; nothing here is specific to one step.
 */
abstract class PodvmStepExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final long serialVersionUID = 1L;

    /** What every step needs from its context: {@code EnvVars} is the build's environment with withEnv, tool... */
    static final Set<? extends Class<?>> REQUIRED_CONTEXT =
            Set.of(Run.class, TaskListener.class, FilePath.class, EnvVars.class);

    // Like the step itself in BindingStep: needed only to start; after a restart onResume fails the step.
    @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED", justification = "only used when starting")
    private final transient StepDescriptor descriptor;

    PodvmStepExecution(@NonNull StepContext context, @NonNull StepDescriptor descriptor) {
        super(context);
        this.descriptor = descriptor;
    }

    /**
     * Resolves credentials, builds the request and runs it on the agent.
     *
     * @param environment the step's effective environment (the agent's, the build's, withEnv, tool, withCredentials):
     *                    where the engine looks for the tools and what their processes inherit
     */
    protected abstract LinkedHashMap<String, Object> call(@NonNull Run<?, ?> run, @NonNull TaskListener listener,
            @NonNull FilePath workspace, @NonNull EnvVars environment) throws Exception;

    @Override
    protected final Map<String, Object> run() throws Exception {
        return call(required(Run.class), required(TaskListener.class), required(FilePath.class),
                required(EnvVars.class));
    }

    /**
     * The tool ran on the agent through a channel that the restart closed: its outcome is unknown, and a
     * half-done image build or upload cannot be picked up again. The standard failure names the step and
     * suggests {@code retry(conditions: [nonresumable()])}, which recognises its type.
     */
    @Override
    public void onResume() {
        getContext().onFailure(new SynchronousResumeNotSupportedException(getContext()));
    }

    private <T> T required(Class<T> type)
            throws IOException, InterruptedException, MissingContextVariableException {
        T value = getContext().get(type);
        if (value == null) {
            throw new MissingContextVariableException(type, descriptor);
        }
        return value;
    }
}
