package io.jenkins.plugins.podvm;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
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
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.process.HostEnvironment;
import io.podvm.engine.upload.Provider;
import io.podvm.engine.upload.ProviderCredentials;
import io.podvm.engine.upload.UploadRequest;
import io.podvm.engine.upload.Uploader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
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
 * {@code podvmUpload}: uploads a raw disk image with uplosi on the agent, with a generated or user-supplied
 * configuration and the provider's credentials from the Jenkins store; {@code podvm upload} with the same
 * options. Returns the CLI's JSON as a map (the image references uplosi printed, the version...).
 */
public final class PodvmUploadStep extends Step {
    static final String FUNCTION = "podvmUpload";
    /** Client id / client secret or access key id / secret access key. */
    static final List<CredentialKind> KEY_PAIR_KINDS = List.of(CredentialKind.USERNAME_PASSWORD);
    /** The service-account key JSON. */
    static final List<CredentialKind> GCP_KINDS = List.of(CredentialKind.SECRET_FILE, CredentialKind.SECRET_TEXT);
    /** clouds.yaml. */
    static final List<CredentialKind> OPENSTACK_KINDS = List.of(CredentialKind.SECRET_FILE);
    /** For the form, which does not know the provider yet: every kind some provider takes. */
    static final List<CredentialKind> ANY_PROVIDER_KINDS = List.of(
            CredentialKind.USERNAME_PASSWORD, CredentialKind.SECRET_FILE, CredentialKind.SECRET_TEXT);

    private final String provider;
    private final String image;
    private String credentialsId;
    private String name;
    private String imageVersion;
    private String imageVersionFile;
    private boolean incrementVersion;
    private String configDir;
    private String skipIfUnchanged;
    private List<String> settings;
    private List<String> enableVariants;
    private List<String> disableVariants;
    private String azureTenantId;
    private String azureSubscriptionId;
    private String uplosi;

    /**
     * @param provider aws, azure, gcp or openstack
     * @param image    the raw disk image to upload, relative to the workspace ({@code podvmMkosi}'s {@code image})
     */
    @DataBoundConstructor
    public PodvmUploadStep(String provider, String image) {
        this.provider = Util.fixEmptyAndTrim(provider);
        this.image = Util.fixEmptyAndTrim(image);
    }

    public String getProvider() {
        return provider;
    }

    public String getImage() {
        return image;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    public String getName() {
        return name;
    }

    @DataBoundSetter
    public void setName(String name) {
        this.name = Util.fixEmptyAndTrim(name);
    }

    public String getImageVersion() {
        return imageVersion;
    }

    @DataBoundSetter
    public void setImageVersion(String imageVersion) {
        this.imageVersion = Util.fixEmptyAndTrim(imageVersion);
    }

    public String getImageVersionFile() {
        return imageVersionFile;
    }

    @DataBoundSetter
    public void setImageVersionFile(String imageVersionFile) {
        this.imageVersionFile = Util.fixEmptyAndTrim(imageVersionFile);
    }

    public boolean isIncrementVersion() {
        return incrementVersion;
    }

    @DataBoundSetter
    public void setIncrementVersion(boolean incrementVersion) {
        this.incrementVersion = incrementVersion;
    }

    public String getSkipIfUnchanged() {
        return skipIfUnchanged;
    }

    /** A state file in the workspace: an image whose content key was recorded there is not uploaded again. */
    @DataBoundSetter
    public void setSkipIfUnchanged(String skipIfUnchanged) {
        this.skipIfUnchanged = Util.fixEmptyAndTrim(skipIfUnchanged);
    }

    public String getConfigDir() {
        return configDir;
    }

    @DataBoundSetter
    public void setConfigDir(String configDir) {
        this.configDir = Util.fixEmptyAndTrim(configDir);
    }

    public List<String> getSettings() {
        return settings;
    }

    /**
     * uplosi settings that replace the configuration directory's values in every variant uploaded, as
     * {@code name=value} strings, such as {@code ['aws.region=eu-central-1']}; a Jenkinsfile may also pass a map ({@code ['aws.region': 'eu-central-1']}),
     * which the descriptor turns into this list.
     */
    @DataBoundSetter
    public void setSettings(List<String> settings) {
        this.settings = ListParameters.values(settings);
    }

    public List<String> getEnableVariants() {
        return enableVariants;
    }

    @DataBoundSetter
    public void setEnableVariants(List<String> enableVariants) {
        this.enableVariants = ListParameters.values(enableVariants);
    }

    public List<String> getDisableVariants() {
        return disableVariants;
    }

    @DataBoundSetter
    public void setDisableVariants(List<String> disableVariants) {
        this.disableVariants = ListParameters.values(disableVariants);
    }

    public String getAzureTenantId() {
        return azureTenantId;
    }

    @DataBoundSetter
    public void setAzureTenantId(String azureTenantId) {
        this.azureTenantId = Util.fixEmptyAndTrim(azureTenantId);
    }

    public String getAzureSubscriptionId() {
        return azureSubscriptionId;
    }

    @DataBoundSetter
    public void setAzureSubscriptionId(String azureSubscriptionId) {
        this.azureSubscriptionId = Util.fixEmptyAndTrim(azureSubscriptionId);
    }

    public String getUplosi() {
        return uplosi;
    }

    @DataBoundSetter
    public void setUplosi(String uplosi) {
        this.uplosi = Util.fixEmptyAndTrim(uplosi);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /** The request without credentials; the engine validates it (and the form checks reuse that). */
    UploadRequest.Builder request() throws AbortException {
        UploadRequest.Builder b = UploadRequest.builder().image(image).provider(provider).name(name)
                .imageVersion(imageVersion).imageVersionFile(imageVersionFile).incrementVersion(incrementVersion)
                .configDir(configDir).uplosi(uplosi).skipIfUnchanged(skipIfUnchanged)
                .settings(KeyValues.toMap(settings, FUNCTION + " settings", "aws.region=eu-central-1"));
        if (enableVariants != null) {
            enableVariants.forEach(b::enableVariant);
        }
        if (disableVariants != null) {
            disableVariants.forEach(b::disableVariant);
        }
        return b;
    }

    /**
     * The provider's credentials from the Jenkins store, as the engine takes them (contents, not paths).
     *
     * @param secretUsers receives the user name of a key pair whose credential says it is secret (AWS access key
     *                    id, Azure client id), to be masked as withCredentials masks it
     */
    ProviderCredentials credentials(Run<?, ?> run, Provider parsed, List<String> secretUsers) throws IOException {
        if (credentialsId == null) {
            // uplosi then uses whatever the agent itself has (instance roles, ~/.aws, ...).
            return ProviderCredentials.none();
        }
        String use = FUNCTION + " credentialsId (" + parsed.id() + ")";
        ProviderCredentials.Builder b = ProviderCredentials.builder();
        // A switch expression, so that a new provider cannot compile without its credentials.
        return switch (parsed) {
            case AWS -> {
                StandardUsernamePasswordCredentials keys = keyPair(run, use, secretUsers);
                yield b.aws(keys.getUsername(), keys.getPassword().getPlainText(), null).build();
            }
            case AZURE -> {
                StandardUsernamePasswordCredentials principal = keyPair(run, use, secretUsers);
                yield b.azure(principal.getUsername(), principal.getPassword().getPlainText(), azureTenantId,
                        azureSubscriptionId).build();
            }
            case GCP -> b.gcpServiceAccountJson(text(CredentialsLookup.find(run, credentialsId, use, GCP_KINDS)))
                    .build();
            case OPENSTACK -> b.openstackCloudsYaml(
                    text(CredentialsLookup.find(run, credentialsId, use, OPENSTACK_KINDS))).build();
        };
    }

    private StandardUsernamePasswordCredentials keyPair(Run<?, ?> run, String use, List<String> secretUsers)
            throws IOException {
        StandardUsernamePasswordCredentials pair = (StandardUsernamePasswordCredentials)
                CredentialsLookup.find(run, credentialsId, use, KEY_PAIR_KINDS);
        if (pair.isUsernameSecret()) {
            secretUsers.add(pair.getUsername());
        }
        return pair;
    }

    private static String text(StandardCredentials credential) throws IOException {
        return credential instanceof StringCredentials secret ? secret.getSecret().getPlainText()
                : CredentialsLookup.text((FileCredentials) credential);
    }

    static final class Execution extends PodvmStepExecution {
        private static final long serialVersionUID = 1L;

        @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED", justification = "only used when starting")
        private final transient PodvmUploadStep step;

        Execution(PodvmUploadStep step, StepContext context) {
            super(context, step.getDescriptor());
            this.step = step;
        }

        @Override
        protected LinkedHashMap<String, Object> call(@NonNull Run<?, ?> run, @NonNull TaskListener listener,
                @NonNull FilePath workspace, @NonNull EnvVars environment) throws Exception {
            Provider parsed;
            try {
                parsed = Provider.parse(step.provider, "provider");
            } catch (PodvmException e) {
                throw new AbortException(e.getMessage());
            }
            List<String> secrets = new ArrayList<>();
            ProviderCredentials credentials = step.credentials(run, parsed, secrets);
            secrets.addAll(credentials.secrets());
            UploadRequest request;
            try {
                request = step.request().credentials(credentials).tempDir(EngineCall.secretsParent(workspace))
                        .build();
            } catch (PodvmException e) {
                throw new AbortException(EngineCall.mask(e.getMessage(), secrets));
            }
            return EngineCall.run(workspace, new Call(listener, request, secrets, environment));
        }
    }

    /** Runs on the agent; the credentials travel inside the request and reach uplosi as the engine decides. */
    private static final class Call extends EngineCall {
        private static final long serialVersionUID = 1L;

        private final UploadRequest request;

        Call(TaskListener listener, UploadRequest request, List<String> secrets, EnvVars environment) {
            super(listener, secrets, null, environment);
            this.request = request;
        }

        @Override
        protected Map<String, Object> call(BuildLog log, Path workspace, @CheckForNull Path secretsParent,
                HostEnvironment host) {
            return new Uploader(log, workspace, host).upload(request).toMap();
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
            return "Upload a pod VM image with uplosi";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return PodvmStepExecution.REQUIRED_CONTEXT;
        }

        /** {@code settings: ['aws.region': 'eu-central-1']}, the map form Jenkinsfiles use, as the step's list. */
        @NonNull
        @Override
        public Map<String, Object> customInstantiate(@NonNull Map<String, Object> arguments) {
            return KeyValues.mapsToLists(arguments, "settings");
        }

        /** The text of a list parameter's text area (config.jelly). */
        public String lines(List<String> values) {
            return ListParameters.join(values);
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId,
                @QueryParameter String provider) {
            return CredentialsLookup.listBox(item, credentialsId, kindsFor(provider));
        }

        public FormValidation doCheckProvider(@QueryParameter String value) {
            return FormChecks.field("provider", () -> Provider.parse(value, "provider"));
        }

        public FormValidation doCheckImageVersion(@QueryParameter String value, @QueryParameter String provider,
                @QueryParameter String imageVersionFile, @QueryParameter boolean incrementVersion) {
            return FormChecks.field("imageVersion", () -> UploadRequest.builder().image("image").provider(provider)
                    .imageVersion(value).imageVersionFile(imageVersionFile).incrementVersion(incrementVersion)
                    .build());
        }

        public FormValidation doCheckName(@QueryParameter String value, @QueryParameter String provider) {
            return FormChecks.field("name", () -> UploadRequest.builder().image("image").provider(provider).name(value)
                    .build());
        }

        /** The kinds a provider takes; all of them while the provider is not chosen or not known. */
        private static List<CredentialKind> kindsFor(String provider) {
            try {
                return switch (Provider.parse(provider, "provider")) {
                    case AWS, AZURE -> KEY_PAIR_KINDS;
                    case GCP -> GCP_KINDS;
                    case OPENSTACK -> OPENSTACK_KINDS;
                };
            } catch (PodvmException e) {
                return ANY_PROVIDER_KINDS;
            }
        }
    }
}
