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
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.measure.ImageMeasurer;
import io.podvm.engine.measure.MeasureRequest;
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
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code podvmMeasure}: an image's reference PCR values, computed on the agent from the image alone;
 * {@code podvm measure} with the same options. Returns the CLI's JSON as a map (pcrs, uki, events...).
 */
public final class PodvmMeasureStep extends Step {
    static final String FUNCTION = "podvmMeasure";

    private final String image;
    private String output;

    @DataBoundConstructor
    public PodvmMeasureStep(String image) {
        this.image = Util.fixEmptyAndTrim(image);
    }

    public String getImage() {
        return image;
    }

    public String getOutput() {
        return output;
    }

    /** Where the JSON is also written, relative to the workspace (e.g. build/system.pcrs.json). */
    @DataBoundSetter
    public void setOutput(String output) {
        this.output = Util.fixEmptyAndTrim(output);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    static final class Execution extends PodvmStepExecution {
        private static final long serialVersionUID = 1L;

        // Like BindingStep: the step is needed only to start; after a restart onResume fails the step.
        @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED", justification = "only used when starting")
        private final transient PodvmMeasureStep step;

        Execution(PodvmMeasureStep step, StepContext context) {
            super(context, step.getDescriptor());
            this.step = step;
        }

        @Override
        protected LinkedHashMap<String, Object> call(@NonNull Run<?, ?> run, @NonNull TaskListener listener,
                @NonNull FilePath workspace, @NonNull EnvVars environment) throws Exception {
            MeasureRequest request;
            try {
                request = MeasureRequest.of(step.image, step.output);
            } catch (PodvmException e) {
                throw new AbortException(e.getMessage());
            }
            return EngineCall.run(workspace, new Call(listener, request, environment));
        }
    }

    /** Runs on the agent, where the image is. */
    private static final class Call extends EngineCall {
        private static final long serialVersionUID = 1L;

        private final MeasureRequest request;

        Call(TaskListener listener, MeasureRequest request, EnvVars environment) {
            super(listener, List.of(), null, environment);
            this.request = request;
        }

        @Override
        protected Map<String, Object> call(BuildLog log, Path workspace, @CheckForNull Path secretsParent,
                HostEnvironment host) {
            return new ImageMeasurer(log, workspace, host).measure(request).toMap();
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
            return "Compute a pod VM image's reference PCR values";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return PodvmStepExecution.REQUIRED_CONTEXT;
        }

        public FormValidation doCheckImage(@QueryParameter String value) {
            return FormChecks.field("image", () -> MeasureRequest.of(value, null));
        }

        public FormValidation doCheckOutput(@QueryParameter String value) {
            return FormChecks.field("output", () -> MeasureRequest.of("image", Util.fixEmptyAndTrim(value)));
        }
    }
}
