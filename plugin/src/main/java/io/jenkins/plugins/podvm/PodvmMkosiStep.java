package io.jenkins.plugins.podvm;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
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
import hudson.util.Secret;
import io.podvm.engine.PodvmException;
import io.podvm.engine.log.BuildLog;
import io.podvm.engine.log.SecretMasker;
import io.podvm.engine.mkosi.ImageBuilder;
import io.podvm.engine.mkosi.ImageRequest;
import io.podvm.engine.mkosi.SshKeys;
import io.podvm.engine.process.HostEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
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
 * {@code podvmMkosi}: builds a pod VM image with mkosi on the agent, from the user's mkosi tree or the
 * bundled podvm definition; {@code podvm mkosi} with the same options. Returns the CLI's JSON as a map
 * (image, qcow2, sha256, sizeBytes, manifest, packageCount, mkosiVersion, variant, distribution, root, seconds,
 * sourceDateEpoch, sourceDateEpochFrom, seed; with checkReproducible also reproducible, runs, differences).
 */
public final class PodvmMkosiStep extends Step {
    static final String FUNCTION = "podvmMkosi";
    /** An SSH private key (its public key is derived), or authorized_keys lines in a secret text or file. */
    static final List<CredentialKind> SSH_KEY_KINDS = List.of(
            CredentialKind.SSH_PRIVATE_KEY, CredentialKind.SECRET_TEXT, CredentialKind.SECRET_FILE);

    private String dir;
    private String variant;
    private String root;
    private String distribution;
    private String release;
    private String authorizedKeys;
    private String sshKeyCredentialsId;
    private String binariesTree;
    private List<String> extraPackages;
    private boolean qcow2;
    private String outputDir;
    private String mkosi;
    private String packageCache;
    private List<String> profiles;
    private boolean incremental;
    private String sourceDateEpoch;
    private String seed;
    private boolean checkReproducible;

    /** Every parameter has a default: {@code podvmMkosi()} builds the bundled production image. */
    @DataBoundConstructor
    public PodvmMkosiStep() {
    }

    public String getDir() {
        return dir;
    }

    @DataBoundSetter
    public void setDir(String dir) {
        this.dir = Util.fixEmptyAndTrim(dir);
    }

    public String getVariant() {
        return variant;
    }

    @DataBoundSetter
    public void setVariant(String variant) {
        this.variant = Util.fixEmptyAndTrim(variant);
    }

    public String getRoot() {
        return root;
    }

    /** ext4 or verity (the bundled definition's read-only root under dm-verity). */
    @DataBoundSetter
    public void setRoot(String root) {
        this.root = Util.fixEmptyAndTrim(root);
    }

    public String getDistribution() {
        return distribution;
    }

    @DataBoundSetter
    public void setDistribution(String distribution) {
        this.distribution = Util.fixEmptyAndTrim(distribution);
    }

    public String getRelease() {
        return release;
    }

    @DataBoundSetter
    public void setRelease(String release) {
        this.release = Util.fixEmptyAndTrim(release);
    }

    public String getAuthorizedKeys() {
        return authorizedKeys;
    }

    /** authorized_keys lines given in the Jenkinsfile (public keys: not secret). */
    @DataBoundSetter
    public void setAuthorizedKeys(String authorizedKeys) {
        this.authorizedKeys = Util.fixEmptyAndTrim(authorizedKeys);
    }

    public String getSshKeyCredentialsId() {
        return sshKeyCredentialsId;
    }

    @DataBoundSetter
    public void setSshKeyCredentialsId(String sshKeyCredentialsId) {
        this.sshKeyCredentialsId = Util.fixEmptyAndTrim(sshKeyCredentialsId);
    }

    public String getBinariesTree() {
        return binariesTree;
    }

    @DataBoundSetter
    public void setBinariesTree(String binariesTree) {
        this.binariesTree = Util.fixEmptyAndTrim(binariesTree);
    }

    public List<String> getExtraPackages() {
        return extraPackages;
    }

    @DataBoundSetter
    public void setExtraPackages(List<String> extraPackages) {
        this.extraPackages = ListParameters.values(extraPackages);
    }

    public boolean isQcow2() {
        return qcow2;
    }

    @DataBoundSetter
    public void setQcow2(boolean qcow2) {
        this.qcow2 = qcow2;
    }

    public String getOutputDir() {
        return outputDir;
    }

    @DataBoundSetter
    public void setOutputDir(String outputDir) {
        this.outputDir = Util.fixEmptyAndTrim(outputDir);
    }

    public String getMkosi() {
        return mkosi;
    }

    @DataBoundSetter
    public void setMkosi(String mkosi) {
        this.mkosi = Util.fixEmptyAndTrim(mkosi);
    }

    public String getPackageCache() {
        return packageCache;
    }

    @DataBoundSetter
    public void setPackageCache(String packageCache) {
        this.packageCache = Util.fixEmptyAndTrim(packageCache);
    }

    public List<String> getProfiles() {
        return profiles;
    }

    /** mkosi profiles of the user's tree to select; a form's text area gives one per line. */
    @DataBoundSetter
    public void setProfiles(List<String> profiles) {
        this.profiles = ListParameters.values(profiles);
    }

    public boolean isIncremental() {
        return incremental;
    }

    @DataBoundSetter
    public void setIncremental(boolean incremental) {
        this.incremental = incremental;
    }

    public String getSourceDateEpoch() {
        return sourceDateEpoch;
    }

    /** Seconds since 1970 as text: a Jenkinsfile may pass {@code sh(returnStdout: true, ...)} output. */
    @DataBoundSetter
    public void setSourceDateEpoch(String sourceDateEpoch) {
        this.sourceDateEpoch = Util.fixEmptyAndTrim(sourceDateEpoch);
    }

    public String getSeed() {
        return seed;
    }

    @DataBoundSetter
    public void setSeed(String seed) {
        this.seed = Util.fixEmptyAndTrim(seed);
    }

    public boolean isCheckReproducible() {
        return checkReproducible;
    }

    @DataBoundSetter
    public void setCheckReproducible(boolean checkReproducible) {
        this.checkReproducible = checkReproducible;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /** The request without credentials: the engine validates it (and the form checks reuse that). */
    ImageRequest.Builder request() {
        return ImageRequest.builder().dir(dir).variant(variant).root(root).distribution(distribution).release(release)
                .authorizedKeys(authorizedKeys, "authorizedKeys").binariesTree(binariesTree)
                .extraPackages(extraPackages).qcow2(qcow2).outputDir(outputDir).mkosi(mkosi)
                .packageCache(packageCache).profiles(profiles, "profiles").incremental(incremental)
                .sourceDateEpoch(sourceDateEpoch).seed(seed).checkReproducible(checkReproducible);
    }

    static final class Execution extends PodvmStepExecution {
        private static final long serialVersionUID = 1L;

        // Like BindingStep: the step is needed only to start; after a restart onResume fails the step.
        @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED", justification = "only used when starting")
        private final transient PodvmMkosiStep step;

        Execution(PodvmMkosiStep step, StepContext context) {
            super(context, step.getDescriptor());
            this.step = step;
        }

        @Override
        protected LinkedHashMap<String, Object> call(@NonNull Run<?, ?> run, @NonNull TaskListener listener,
                @NonNull FilePath workspace, @NonNull EnvVars environment) throws Exception {
            // The SSH key is read here, on the controller, and only its public key goes into the request:
            // the private key never reaches the agent.
            SecretMasker masker = new SecretMasker();
            ImageRequest request;
            try {
                ImageRequest.Builder builder = step.request();
                if (step.sshKeyCredentialsId != null) {
                    addKey(builder, run, step.sshKeyCredentialsId, masker);
                }
                request = builder.build();
            } catch (PodvmException e) {
                throw new AbortException(masker.mask(e.getMessage()));
            }
            return EngineCall.run(workspace, new Call(listener, request, environment));
        }

        private static void addKey(ImageRequest.Builder builder, Run<?, ?> run, String id, SecretMasker masker)
                throws IOException {
            String use = FUNCTION + " sshKeyCredentialsId";
            StandardCredentials credential = CredentialsLookup.find(run, id, use, SSH_KEY_KINDS);
            if (credential instanceof SSHUserPrivateKey key) {
                String passphrase = Secret.toString(key.getPassphrase());
                masker.add(passphrase);
                if (key.getPrivateKeys().isEmpty()) {
                    throw new AbortException(use + ": the credential '" + id + "' holds no private key.");
                }
                for (String privateKey : key.getPrivateKeys()) {
                    masker.add(privateKey);
                    builder.sshPrivateKey(privateKey, passphrase, "sshKeyCredentialsId");
                }
            } else if (credential instanceof StringCredentials text) {
                String keys = text.getSecret().getPlainText();
                masker.add(keys);
                builder.authorizedKeys(keys, "sshKeyCredentialsId");
            } else {
                String keys = CredentialsLookup.text((FileCredentials) credential);
                masker.add(keys);
                builder.authorizedKeys(keys, "sshKeyCredentialsId");
            }
        }
    }

    /** Runs on the agent. The request holds no secret: public keys only. */
    private static final class Call extends EngineCall {
        private static final long serialVersionUID = 1L;

        private final ImageRequest request;

        Call(TaskListener listener, ImageRequest request, EnvVars environment) {
            super(listener, List.of(), null, environment);
            this.request = request;
        }

        @Override
        protected Map<String, Object> call(BuildLog log, Path workspace, @CheckForNull Path secretsParent,
                HostEnvironment host) {
            return new ImageBuilder(log, workspace, host).build(request).toMap();
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
            return "Build a pod VM image with mkosi";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return PodvmStepExecution.REQUIRED_CONTEXT;
        }

        /** The text of a list parameter's text area (config.jelly). */
        public String lines(List<String> values) {
            return ListParameters.join(values);
        }

        @POST
        public ListBoxModel doFillSshKeyCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String sshKeyCredentialsId) {
            return CredentialsLookup.listBox(item, sshKeyCredentialsId, SSH_KEY_KINDS);
        }

        public FormValidation doCheckVariant(@QueryParameter String value) {
            return FormChecks.field("variant", () -> ImageRequest.builder().variant(value).build());
        }

        public FormValidation doCheckRoot(@QueryParameter String value, @QueryParameter String dir,
                @QueryParameter String distribution) {
            return FormChecks.field("root",
                    () -> ImageRequest.builder().dir(dir).distribution(distribution).root(value).build());
        }

        public FormValidation doCheckDistribution(@QueryParameter String value, @QueryParameter String dir) {
            return FormChecks.field("distribution",
                    () -> ImageRequest.builder().dir(dir).distribution(value).build());
        }

        public FormValidation doCheckRelease(@QueryParameter String value, @QueryParameter String dir,
                @QueryParameter String distribution) {
            return FormChecks.field("release",
                    () -> ImageRequest.builder().dir(dir).distribution(distribution).release(value).build());
        }

        public FormValidation doCheckSourceDateEpoch(@QueryParameter String value) {
            return FormChecks.field("sourceDateEpoch", () -> ImageRequest.builder().sourceDateEpoch(value).build());
        }

        public FormValidation doCheckSeed(@QueryParameter String value) {
            return FormChecks.field("seed", () -> ImageRequest.builder().seed(value).build());
        }

        public FormValidation doCheckAuthorizedKeys(@QueryParameter String value, @QueryParameter String variant) {
            if (Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.ok();
            }
            FormValidation keys = FormChecks.field("authorizedKeys",
                    () -> SshKeys.checkAuthorizedKeys(value, "authorizedKeys"));
            if (keys.kind != FormValidation.Kind.OK) {
                return keys;
            }
            return FormChecks.field("variant",
                    () -> ImageRequest.builder().variant(variant).authorizedKeys(value, "authorizedKeys").build());
        }
    }
}
