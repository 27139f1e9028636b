package io.jenkins.plugins.podvm;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.podvm.engine.PodvmException;
import io.podvm.engine.diff.DiffRequest;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.HostEnvironment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code podvmDiff}: what changed between two images, from their manifests on the agent; {@code podvm diff --json}.
 * Returns the CLI's JSON as a map (summary, packageChanges, packages added/removed/changed, binaries).
 * The parameters are oldManifest and newManifest because {@code new} is a Java keyword.
 */
public final class PodvmDiffStep extends Step {
    static final String FUNCTION = "podvmDiff";

    private final String oldManifest;
    private final String newManifest;

    @DataBoundConstructor
    public PodvmDiffStep(String oldManifest, String newManifest) {
        this.oldManifest = Util.fixEmptyAndTrim(oldManifest);
        this.newManifest = Util.fixEmptyAndTrim(newManifest);
    }

    public String getOldManifest() {
        return oldManifest;
    }

    public String getNewManifest() {
        return newManifest;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    static final class Execution extends PodvmStepExecution {
        private static final long serialVersionUID = 1L;

        // Like BindingStep: the step is needed only to start; after a restart onResume fails the step.
        @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED", justification = "only used when starting")
        private final transient PodvmDiffStep step;

        Execution(PodvmDiffStep step, StepContext context) {
            super(context, step.getDescriptor());
            this.step = step;
        }

        @Override
        protected LinkedHashMap<String, Object> call(@NonNull Run<?, ?> run, @NonNull TaskListener listener,
                @NonNull FilePath workspace, @NonNull EnvVars environment) throws Exception {
            DiffRequest request;
            try {
                request = DiffRequest.of(step.oldManifest, step.newManifest);
            } catch (PodvmException e) {
                throw new AbortException(e.getMessage());
            }
            return EngineCall.run(workspace, new Call(listener, request, environment));
        }
    }

    /** Runs on the agent, where the manifests are. */
    private static final class Call extends EngineCall {
        private static final long serialVersionUID = 1L;

        private final DiffRequest request;

        Call(TaskListener listener, DiffRequest request, EnvVars environment) {
            super(listener, List.of(), null, environment);
            this.request = request;
        }

        @Override
        protected Map<String, Object> call(BuildLog log, Path workspace, @CheckForNull Path secretsParent,
                HostEnvironment host) {
            return request.compare(workspace).toMap();
        }
    }

    @Extension
    @Symbol(FUNCTION)
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return FUNCTION;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Compare two pod VM images' manifests";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return PodvmStepExecution.REQUIRED_CONTEXT;
        }

        public FormValidation doCheckOldManifest(@QueryParameter String value) {
            return FormChecks.field("oldManifest", () -> DiffRequest.of(value, "build/system.manifest"));
        }

        public FormValidation doCheckNewManifest(@QueryParameter String value) {
            return FormChecks.field("newManifest", () -> DiffRequest.of("last/system.manifest", value));
        }
    }
}
