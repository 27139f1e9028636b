package io.jenkins.plugins.podvm;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.MissingContextVariableException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousResumeNotSupportedException;

/**
 * What the three steps share: on a thread of its own, resolve the credentials on the controller, build
 * the engine request (which validates it), run the engine on the agent, return its result as a map.
 * Subclasses implement {@link #call}; nothing here is specific to one step.
 */
abstract class PodvmStepExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final long serialVersionUID = 1L;

    private final String functionName;

    PodvmStepExecution(@NonNull StepContext context, @NonNull String functionName) {
        super(context);
        this.functionName = functionName;
    }

    /** Resolves credentials, builds the request and runs it on the agent. */
    protected abstract LinkedHashMap<String, Object> call(@NonNull Run<?, ?> run, @NonNull TaskListener listener,
            @NonNull FilePath workspace) throws Exception;

    @Override
    protected final Map<String, Object> run() throws Exception {
        return call(required(Run.class), required(TaskListener.class), required(FilePath.class));
    }

    /**
     * The tool ran on the agent through a channel that the restart closed: its outcome is unknown, and a
     * half-done image build or upload cannot be picked up again. Fail with a message that says so; the
     * exception type is the one {@code retry(conditions: [nonresumable()])} recognises.
     */
    @Override
    public void onResume() {
        getContext().onFailure(new ResumeNotSupported(functionName));
    }

    private <T> T required(Class<T> type)
            throws IOException, InterruptedException, MissingContextVariableException {
        T value = getContext().get(type);
        if (value == null) {
            throw new MissingContextVariableException(type);
        }
        return value;
    }

    /** The standard "cannot resume" failure, with a message that names the step and says what to do. */
    static final class ResumeNotSupported extends SynchronousResumeNotSupportedException {
        private static final long serialVersionUID = 1L;

        private final String message;

        ResumeNotSupported(String functionName) {
            super(functionName);
            this.message = "Jenkins restarted while " + functionName + " was running, so the step failed: its tool"
                    + " ran on the agent and was stopped when the connection closed, and a half-done build or upload"
                    + " cannot be resumed. Run the build again, or wrap the step in"
                    + " retry(conditions: [nonresumable()], count: 2) { ... }.";
        }

        @Override
        public String getMessage() {
            return message;
        }
    }
}
