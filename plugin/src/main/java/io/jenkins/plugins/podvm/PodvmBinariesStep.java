package io.jenkins.plugins.podvm;

import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.podvm.engine.PodvmException;
import io.podvm.engine.binaries.BinariesRequest;
import io.podvm.engine.binaries.BinariesTreeMaker;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.HostEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.structs.describable.CustomDescribableModel;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code podvmBinaries}: makes the guest binaries tree on the agent, built from the binaries Dockerfile or
 * pulled from a published podvm-binaries image, with overlays on top; {@code podvm binaries} with the same
 * options. Returns the CLI's JSON as a map (tree, mode, source, tool, files, bytes, digest, symlinks, seconds).
 */
public final class PodvmBinariesStep extends Step {
    static final String FUNCTION = "podvmBinaries";
    static final List<CredentialKind> REGISTRY_KINDS = List.of(CredentialKind.USERNAME_PASSWORD);

    private final String mode;
    private String dockerfile;
    private String context;
    private List<String> buildArgs;
    private String builder;
    private String isolation;
    private String image;
    private String registryCredentialsId;
    private boolean insecureRegistry;
    private String puller;
    private String output;
    private List<String> overlays;

    /** @param mode {@code build} or {@code pull}: there is no sensible default between the two */
    @DataBoundConstructor
    public PodvmBinariesStep(String mode) {
        this.mode = Util.fixEmptyAndTrim(mode);
    }

    public String getMode() {
        return mode;
    }

    public String getDockerfile() {
        return dockerfile;
    }

    @DataBoundSetter
    public void setDockerfile(String dockerfile) {
        this.dockerfile = Util.fixEmptyAndTrim(dockerfile);
    }

    public String getContext() {
        return context;
    }

    @DataBoundSetter
    public void setContext(String context) {
        this.context = Util.fixEmptyAndTrim(context);
    }

    public List<String> getBuildArgs() {
        return buildArgs;
    }

    /**
     * Build arguments as {@code NAME=value} strings ({@code ['TEE_PLATFORM=snp']}); a Jenkinsfile may also pass
     * a map ({@code [TEE_PLATFORM: 'snp']}), which the descriptor turns into this list.
     */
    @DataBoundSetter
    public void setBuildArgs(List<String> buildArgs) {
        this.buildArgs = ListParameters.values(buildArgs);
    }

    public String getBuilder() {
        return builder;
    }

    @DataBoundSetter
    public void setBuilder(String builder) {
        this.builder = Util.fixEmptyAndTrim(builder);
    }

    public String getIsolation() {
        return isolation;
    }

    @DataBoundSetter
    public void setIsolation(String isolation) {
        this.isolation = Util.fixEmptyAndTrim(isolation);
    }

    public String getImage() {
        return image;
    }

    @DataBoundSetter
    public void setImage(String image) {
        this.image = Util.fixEmptyAndTrim(image);
    }

    public String getRegistryCredentialsId() {
        return registryCredentialsId;
    }

    @DataBoundSetter
    public void setRegistryCredentialsId(String registryCredentialsId) {
        this.registryCredentialsId = Util.fixEmptyAndTrim(registryCredentialsId);
    }

    public boolean isInsecureRegistry() {
        return insecureRegistry;
    }

    @DataBoundSetter
    public void setInsecureRegistry(boolean insecureRegistry) {
        this.insecureRegistry = insecureRegistry;
    }

    public String getPuller() {
        return puller;
    }

    @DataBoundSetter
    public void setPuller(String puller) {
        this.puller = Util.fixEmptyAndTrim(puller);
    }

    public String getOutput() {
        return output;
    }

    @DataBoundSetter
    public void setOutput(String output) {
        this.output = Util.fixEmptyAndTrim(output);
    }

    public List<String> getOverlays() {
        return overlays;
    }

    @DataBoundSetter
    public void setOverlays(List<String> overlays) {
        this.overlays = ListParameters.values(overlays);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /** The request without the registry user; the engine validates it (and the form checks reuse that). */
    BinariesRequest.Builder request() throws AbortException {
        return BinariesRequest.builder().mode(mode).dockerfile(dockerfile).context(context)
                .buildArgs(KeyValues.toMap(buildArgs, FUNCTION + " buildArgs", "TEE_PLATFORM=snp"))
                .builder(builder).isolation(isolation).image(image).insecureRegistry(insecureRegistry)
                .puller(puller).output(output).overlays(overlays);
    }

    static final class Execution extends PodvmStepExecution {
        private static final long serialVersionUID = 1L;

        // Like BindingStep: the step is needed only to start; after a restart onResume fails the step.
        @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED", justification = "only used when starting")
        private final transient PodvmBinariesStep step;

        Execution(PodvmBinariesStep step, StepContext context) {
            super(context, step.getDescriptor());
            this.step = step;
        }

        @Override
        protected LinkedHashMap<String, Object> call(@NonNull Run<?, ?> run, @NonNull TaskListener listener,
                @NonNull FilePath workspace, @NonNull EnvVars environment) throws Exception {
            BinariesRequest.Builder builder = step.request();
            String password = null;
            // The password, and the user when the credential says it is secret, as withCredentials masks them.
            List<String> secrets = new ArrayList<>();
            if (step.registryCredentialsId != null) {
                StandardUsernamePasswordCredentials registry = (StandardUsernamePasswordCredentials) CredentialsLookup
                        .find(run, step.registryCredentialsId, FUNCTION + " registryCredentialsId", REGISTRY_KINDS);
                builder.registryUser(registry.getUsername());
                password = registry.getPassword().getPlainText();
                secrets.add(password);
                if (registry.isUsernameSecret()) {
                    secrets.add(registry.getUsername());
                }
            }
            BinariesRequest request;
            try {
                request = builder.build();
            } catch (PodvmException e) {
                // A message may quote the registry user, which may be secret.
                throw new AbortException(EngineCall.mask(e.getMessage(), secrets));
            }
            return EngineCall.run(workspace,
                    new Call(listener, request, password, secrets, EngineCall.secretsParent(workspace), environment));
        }
    }

    /** Runs on the agent; the password reaches the puller only through the engine's temporary auth file. */
    private static final class Call extends EngineCall {
        private static final long serialVersionUID = 1L;

        private final BinariesRequest request;
        private final String registryPassword;

        Call(TaskListener listener, BinariesRequest request, @CheckForNull String registryPassword,
                List<String> secrets, @CheckForNull String secretsParent, EnvVars environment) {
            super(listener, secrets, secretsParent, environment);
            this.request = request;
            this.registryPassword = registryPassword;
        }

        @Override
        protected Map<String, Object> call(BuildLog log, Path workspace, @CheckForNull Path secretsParent,
                HostEnvironment host) {
            return new BinariesTreeMaker(log, workspace, secretsParent, host).make(request, registryPassword).toMap();
        }
    }

    @Extension
    @Symbol(FUNCTION)
    public static final class DescriptorImpl extends StepDescriptor implements CustomDescribableModel {
        @Override
        public String getFunctionName() {
            return FUNCTION;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Make the podvm guest binaries tree";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return PodvmStepExecution.REQUIRED_CONTEXT;
        }

        /** {@code buildArgs: [TEE_PLATFORM: 'snp']}, the map form Jenkinsfiles use, as the list the step takes. */
        @NonNull
        @Override
        public Map<String, Object> customInstantiate(@NonNull Map<String, Object> arguments) {
            return KeyValues.mapsToLists(arguments, "buildArgs");
        }

        /** The text of a list parameter's text area (config.jelly). */
        public String lines(List<String> values) {
            return ListParameters.join(values);
        }

        @POST
        public ListBoxModel doFillRegistryCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String registryCredentialsId) {
            return CredentialsLookup.listBox(item, registryCredentialsId, REGISTRY_KINDS);
        }

        public FormValidation doCheckMode(@QueryParameter String value, @QueryParameter String context,
                @QueryParameter String image) {
            return check("mode", value, context, image, null, null, null);
        }

        public FormValidation doCheckContext(@QueryParameter String value, @QueryParameter String mode) {
            return "build".equals(mode) ? check("context", mode, value, null, null, null, null) : FormValidation.ok();
        }

        public FormValidation doCheckImage(@QueryParameter String value, @QueryParameter String mode) {
            return "pull".equals(mode) ? check("image", mode, null, value, null, null, null) : FormValidation.ok();
        }

        public FormValidation doCheckBuilder(@QueryParameter String value, @QueryParameter String mode,
                @QueryParameter String context) {
            return "build".equals(mode) ? check("builder", mode, context, null, value, null, null) : FormValidation.ok();
        }

        public FormValidation doCheckIsolation(@QueryParameter String value, @QueryParameter String mode,
                @QueryParameter String context) {
            return "build".equals(mode) ? check("isolation", mode, context, null, null, value, null)
                    : FormValidation.ok();
        }

        public FormValidation doCheckPuller(@QueryParameter String value, @QueryParameter String mode,
                @QueryParameter String image) {
            return "pull".equals(mode) ? check("puller", mode, null, image, null, null, value) : FormValidation.ok();
        }

        /** The engine's verdict on {@code field}, from the form's values that decide it. */
        private static FormValidation check(String field, String mode, String context, String image, String builder,
                String isolation, String puller) {
            return FormChecks.field(field, () -> BinariesRequest.builder().mode(mode).context(context).image(image)
                    .builder(builder).isolation(isolation).puller(puller).build());
        }
    }
}
