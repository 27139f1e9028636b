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
import io.podvm.engine.boot.BootRequest;
import io.podvm.engine.boot.ImageBooter;
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
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code podvmBoot}: boots a built image on the agent under QEMU with OVMF and a software TPM, and fails
 * when it does not come up; {@code podvm boot} with the same options. Returns the CLI's JSON as a map
 * (booted, secondsToLogin, failedUnits, services, pcrs, console, eventLog, accel, seconds).
 */
public final class PodvmBootStep extends Step {
    static final String FUNCTION = "podvmBoot";

    private final String image;
    private Integer timeout;
    private Integer memory;
    private boolean tpm = true;
    private String keepConsole;

    @DataBoundConstructor
    public PodvmBootStep(String image) {
        this.image = Util.fixEmptyAndTrim(image);
    }

    public String getImage() {
        return image;
    }

    public Integer getTimeout() {
        return timeout;
    }

    /** Seconds to wait for the login prompt; null for the engine's default. */
    @DataBoundSetter
    public void setTimeout(Integer timeout) {
        this.timeout = timeout;
    }

    public Integer getMemory() {
        return memory;
    }

    /** The VM's memory in MiB; null for the engine's default. */
    @DataBoundSetter
    public void setMemory(Integer memory) {
        this.memory = memory;
    }

    public boolean isTpm() {
        return tpm;
    }

    @DataBoundSetter
    public void setTpm(boolean tpm) {
        this.tpm = tpm;
    }

    public String getKeepConsole() {
        return keepConsole;
    }

    @DataBoundSetter
    public void setKeepConsole(String keepConsole) {
        this.keepConsole = Util.fixEmptyAndTrim(keepConsole);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /** The request; the engine validates it (and the form checks reuse that). */
    BootRequest.Builder request() {
        BootRequest.Builder builder = BootRequest.builder().image(image).tpm(tpm).keepConsole(keepConsole);
        if (timeout != null) {
            builder.timeoutSeconds(timeout);
        }
        if (memory != null) {
            builder.memoryMib(memory);
        }
        return builder;
    }

    static final class Execution extends PodvmStepExecution {
        private static final long serialVersionUID = 1L;

        // Like BindingStep: the step is needed only to start; after a restart onResume fails the step.
        @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED", justification = "only used when starting")
        private final transient PodvmBootStep step;

        Execution(PodvmBootStep step, StepContext context) {
            super(context, step.getDescriptor());
            this.step = step;
        }

        @Override
        protected LinkedHashMap<String, Object> call(@NonNull Run<?, ?> run, @NonNull TaskListener listener,
                @NonNull FilePath workspace, @NonNull EnvVars environment) throws Exception {
            BootRequest request;
            try {
                request = step.request().build();
            } catch (PodvmException e) {
                throw new AbortException(e.getMessage());
            }
            return EngineCall.run(workspace, new Call(listener, request, environment));
        }
    }

    /** Runs on the agent; an abort interrupts it, and the engine ends QEMU and swtpm. */
    private static final class Call extends EngineCall {
        private static final long serialVersionUID = 1L;

        private final BootRequest request;

        Call(TaskListener listener, BootRequest request, EnvVars environment) {
            super(listener, List.of(), null, environment);
            this.request = request;
        }

        @Override
        protected Map<String, Object> call(BuildLog log, Path workspace, @CheckForNull Path secretsParent,
                HostEnvironment host) {
            return new ImageBooter(log, workspace, host).boot(request).toMap();
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
            return "Boot a pod VM image in a VM with a software TPM";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return PodvmStepExecution.REQUIRED_CONTEXT;
        }

        public FormValidation doCheckImage(@QueryParameter String value) {
            return FormChecks.field("image", () -> BootRequest.builder().image(value).build());
        }

        public FormValidation doCheckTimeout(@QueryParameter String value) {
            return FormChecks.field("timeout", () -> BootRequest.builder().image("image")
                    .timeoutSeconds(number(value, BootRequest.DEFAULT_TIMEOUT_SECONDS)).build());
        }

        public FormValidation doCheckMemory(@QueryParameter String value) {
            return FormChecks.field("memory", () -> BootRequest.builder().image("image")
                    .memoryMib(number(value, BootRequest.DEFAULT_MEMORY_MIB)).build());
        }

        /** An empty field is the default; text that is not a number is out of every range. */
        private static int number(String value, int empty) {
            String text = Util.fixEmptyAndTrim(value);
            if (text == null) {
                return empty;
            }
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }
}
