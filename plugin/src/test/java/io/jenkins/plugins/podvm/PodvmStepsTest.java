package io.jenkins.plugins.podvm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SecretBytes;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.Label;
import hudson.model.Result;
import hudson.util.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.jenkinsci.plugins.plaincredentials.impl.FileCredentialsImpl;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Each step end to end in a Pipeline on a real (local) agent, with fake mkosi and podman on the agent's
 * PATH: the returned map, how credentials reach the tools, wrong and missing credentials, and that no
 * secret is left in the build log, the build directory or on disk.
 */
@WithJenkins
class PodvmStepsTest {
    private static final String REGISTRY_PASSWORD = "s3cret-Registry-Passw0rd";
    private static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";
    private static final String GCP_PRIVATE_KEY_LINE = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";
    private static final String SECRET_REGISTRY_USER = "robot-7f3a9c2e";
    private static final String SECRET_AZURE_CLIENT_ID = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";

    @TempDir
    Path tmp;

    private JenkinsRule j;
    private FakeTools tools;

    @BeforeEach
    void agent(JenkinsRule j) throws Exception {
        this.j = j;
        tools = FakeTools.in(tmp);
        j.createOnlineSlave(Label.get("podvm"), tools.agentEnvironment());
    }

    @Test
    void mkosiBuildsTheBundledImageAndReturnsTheCliFields() throws Exception {
        WorkflowRun run = build("""
                node('podvm') {
                  def img = podvmMkosi(qcow2: false)
                  echo "image=${img.image} variant=${img.variant} distribution=${img.distribution} packages=${img.packageCount}"
                  echo "sha256=${img.sha256} size=${img.sizeBytes}"
                }
                """, Result.SUCCESS);
        j.assertLogContains("fake mkosi: wrote build/system.raw", run);
        j.assertLogContains("variant=production distribution=debian packages=2", run);
        // 64 KiB of zeros
        j.assertLogContains("sha256=de2f256064a0af797747c2b97505dc0b9f3df0de4f489eac731c23ae9ca9cc31", run);
        j.assertLogContains("size=65536", run);
        assertThat(tools.recorded("mkosi.argv"), containsString("--distribution=debian"));
        assertThat(tools.hasRecorded("debug-variant"), is(false));
    }

    @Test
    void mkosiDebugTakesThePublicKeyOfAnSshKeyCredential() throws Exception {
        KeyPair pair = rsaKeyPair();
        String privateKey = pem(pair);
        add(new BasicSSHUserPrivateKey(CredentialsScope.GLOBAL, "debug-key", "root",
                new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(privateKey), null, "podvm debug key"));
        WorkflowRun run = build("""
                node('podvm') {
                  def img = podvmMkosi variant: 'debug', sshKeyCredentialsId: 'debug-key'
                  echo "variant=${img.variant}"
                }
                """, Result.SUCCESS);
        j.assertLogContains("variant=debug", run);
        assertThat(tools.hasRecorded("debug-variant"), is(true));
        assertThat(tools.recorded("authorized_keys"), startsWith("ssh-rsa "));
        assertThat(tools.recorded("authorized_keys.mode").trim(), equalTo("400"));
        String body = privateKeyBody(privateKey);
        assertSecretAbsent(run, body);
    }

    @Test
    void mkosiTakesAuthorizedKeysFromASecretFile() throws Exception {
        String line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl test@podvm";
        add(new FileCredentialsImpl(CredentialsScope.GLOBAL, "keys-file", "authorized_keys", "authorized_keys",
                SecretBytes.fromRawBytes((line + "\n").getBytes(StandardCharsets.UTF_8))));
        build("""
                node('podvm') {
                  podvmMkosi variant: 'debug', sshKeyCredentialsId: 'keys-file'
                }
                """, Result.SUCCESS);
        assertThat(tools.recorded("authorized_keys").trim(), equalTo(line));
    }

    @Test
    void findsItsToolOnThePathThatWithEnvSets() throws Exception {
        // The fake mkosi, under a name no other mkosi has, in a directory that only withEnv puts on PATH.
        Path onlyHere = tmp.resolve("withenv-bin");
        tools.writeMkosi(onlyHere, "podvm-test-mkosi");
        WorkflowRun withoutIt = build("""
                node('podvm') {
                  podvmMkosi mkosi: 'podvm-test-mkosi'
                }
                """, Result.FAILURE);
        j.assertLogContains("mkosi: 'podvm-test-mkosi' was not found on PATH", withoutIt);
        WorkflowRun run = build("""
                node('podvm') {
                  withEnv(['PATH+PODVM_TEST=%s']) {
                    def img = podvmMkosi mkosi: 'podvm-test-mkosi'
                    echo "variant=${img.variant} size=${img.sizeBytes}"
                  }
                }
                """.formatted(onlyHere), Result.SUCCESS);
        j.assertLogContains("fake mkosi: wrote build/system.raw", run);
        j.assertLogContains("variant=production size=65536", run);
    }

    @Test
    void aSecretRegistryUserIsMaskedLikeThePassword() throws Exception {
        UsernamePasswordCredentialsImpl registry = new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL,
                "registry", "", SECRET_REGISTRY_USER, REGISTRY_PASSWORD);
        registry.setUsernameSecret(true);
        add(registry);
        WorkflowRun run = build("""
                node('podvm') {
                  podvmBinaries mode: 'pull', image: 'registry.example.com/podvm/binaries:1.0', puller: 'podman',
                      registryCredentialsId: 'registry', output: 'tree'
                }
                """, Result.SUCCESS);
        // The fake podman printed the user it pulled as; the log shows the mask instead.
        j.assertLogContains("fake podman: pulling as ", run);
        assertThat(tools.recorded("authfile.json"), containsString(Base64.getEncoder()
                .encodeToString((SECRET_REGISTRY_USER + ":" + REGISTRY_PASSWORD).getBytes(StandardCharsets.UTF_8))));
        assertSecretAbsent(run, SECRET_REGISTRY_USER);
        assertSecretAbsent(run, REGISTRY_PASSWORD);
    }

    @Test
    void aPublicRegistryUserIsShown() throws Exception {
        // The counterpart of the test above: the fake does print the user, so the mask is what hides it there.
        UsernamePasswordCredentialsImpl registry = new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL,
                "registry", "", "robot", REGISTRY_PASSWORD);
        registry.setUsernameSecret(false);
        add(registry);
        WorkflowRun run = build("""
                node('podvm') {
                  podvmBinaries mode: 'pull', image: 'registry.example.com/podvm/binaries:1.0', puller: 'podman',
                      registryCredentialsId: 'registry', output: 'tree'
                }
                """, Result.SUCCESS);
        j.assertLogContains("fake podman: pulling as robot", run);
    }

    @Test
    void aSecretAzureClientIdIsMaskedLikeTheClientSecret() throws Exception {
        UsernamePasswordCredentialsImpl principal = new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL,
                "azure-sp", "", SECRET_AZURE_CLIENT_ID, AWS_SECRET);
        principal.setUsernameSecret(true);
        add(principal);
        WorkflowRun run = build("""
                node('podvm') {
                  writeFile file: 'system.raw', text: 'image'
                  podvmUpload image: 'system.raw', provider: 'azure', credentialsId: 'azure-sp', name: 'podvm',
                      imageVersion: '1.2.3', azureTenantId: '66666666-7777-8888-9999-000000000000',
                      settings: ['azure.subscriptionID': '00000000-aaaa-bbbb-cccc-dddddddddddd',
                                 'azure.location': 'northeurope', 'azure.resourceGroup': 'podvm-images',
                                 'azure.sharedImageGallery': 'podvm_gallery']
                }
                """, Result.SUCCESS);
        j.assertLogContains("fake uplosi: signing in as client ", run);
        assertThat(tools.recorded("uplosi.env-names"), containsString("AZURE_CLIENT_ID"));
        assertSecretAbsent(run, SECRET_AZURE_CLIENT_ID);
        assertSecretAbsent(run, AWS_SECRET);
    }

    @Test
    void buildArgsAndSettingsTakeMapsAndNameValueLists() throws Exception {
        add(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "aws-keys", "", "AKIAPODVMTEST", AWS_SECRET));
        WorkflowRun run = build("""
                node('podvm') {
                  writeFile file: 'system.raw', text: 'image'
                  podvmUpload image: 'system.raw', provider: 'aws', credentialsId: 'aws-keys', name: 'podvm',
                      imageVersion: '1.2.3', settings: ['aws.region=eu-west-1', 'aws.bucket=podvm-lists']
                }
                """, Result.SUCCESS);
        assertThat(tools.recorded("uplosi.conf"), containsString("eu-west-1"));
        assertThat(tools.recorded("uplosi.conf"), containsString("podvm-lists"));
        WorkflowRun wrong = build("""
                node('podvm') {
                  writeFile file: 'system.raw', text: 'image'
                  podvmUpload image: 'system.raw', provider: 'aws', name: 'podvm', imageVersion: '1.2.3',
                      settings: ['aws.region eu-west-1']
                }
                """, Result.FAILURE);
        j.assertLogContains("podvmUpload settings: 'aws.region eu-west-1' is not NAME=value", wrong);
    }

    @Test
    void aCredentialOfTheWrongKindNamesTheKindsAccepted() throws Exception {
        add(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "user-pass", "", "root", "pw-not-a-key"));
        WorkflowRun run = build("""
                node('podvm') {
                  podvmMkosi variant: 'debug', sshKeyCredentialsId: 'user-pass'
                }
                """, Result.FAILURE);
        j.assertLogContains("podvmMkosi sshKeyCredentialsId: the credential 'user-pass' is of kind", run);
        j.assertLogContains("'SSH Username with private key', 'Secret text', 'Secret file'", run);
        assertThat(tools.hasRecorded("mkosi.argv"), is(false));
    }

    @Test
    void aMissingCredentialIsNamed() throws Exception {
        WorkflowRun run = build("""
                node('podvm') {
                  podvmBinaries mode: 'pull', image: 'registry.example.com/podvm/binaries:1.0', puller: 'podman',
                      registryCredentialsId: 'no-such-credential'
                }
                """, Result.FAILURE);
        j.assertLogContains("there is no credential with ID 'no-such-credential' that this build may use", run);
        assertThat(tools.hasRecorded("podman.calls"), is(false));
    }

    @Test
    void diffComparesTwoManifestsInTheWorkspaceAndReturnsPlainValues() throws Exception {
        WorkflowRun run = build("""
                node('podvm') {
                  writeFile file: 'last/system.manifest', text: '{"packages":[{"name":"jq","version":"1.6-2.1+deb12u2","architecture":"amd64"}]}'
                  writeFile file: 'build/system.manifest', text: '{"packages":[{"name":"jq","version":"1.6-2.1+deb12u3","architecture":"amd64"}]}'
                  def d = podvmDiff oldManifest: 'last/system.manifest', newManifest: 'build/system.manifest'
                  echo "summary=${d.summary} count=${d.packageChanges} changed=${d.packages.changed[0].newVersion} binaries=${d.binaries}"
                }
                """, Result.SUCCESS);
        j.assertLogContains("summary=1 package changed: ~jq 1.6-2.1+deb12u2 -> 1.6-2.1+deb12u3 count=1"
                + " changed=1.6-2.1+deb12u3 binaries=null", run);
    }

    @Test
    void diffOfAMissingManifestNamesTheParameter() throws Exception {
        WorkflowRun run = build("""
                node('podvm') {
                  writeFile file: 'build/system.manifest', text: '{"packages":[]}'
                  podvmDiff oldManifest: 'last/system.manifest', newManifest: 'build/system.manifest'
                }
                """, Result.FAILURE);
        j.assertLogContains("oldManifest: '", run);
        j.assertLogContains("no such file; give mkosi's manifest", run);
    }

    @Test
    void anInvalidRequestFailsWithTheEngineMessageBeforeAnyToolRuns() throws Exception {
        WorkflowRun run = build("""
                node('podvm') {
                  podvmMkosi variant: 'debgu'
                }
                """, Result.FAILURE);
        j.assertLogContains("variant: 'debgu' is not valid; allowed: production, debug.", run);
        assertThat(tools.hasRecorded("mkosi.argv"), is(false));
    }

    @Test
    void binariesPullHandsTheRegistryPasswordOverInAPrivateFileAndMasksIt() throws Exception {
        add(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "registry", "", "robot", REGISTRY_PASSWORD));
        WorkflowRun run = build("""
                node('podvm') {
                  def bin = podvmBinaries mode: 'pull', image: 'registry.example.com/podvm/binaries:1.0',
                      puller: 'podman', registryCredentialsId: 'registry', output: 'tree'
                  echo "tree=${bin.tree} mode=${bin.mode} tool=${bin.tool} files=${bin.files} symlinks=${bin.symlinks}"
                }
                """, Result.SUCCESS);
        j.assertLogContains("mode=pull tool=podman files=1 symlinks=[]", run);
        assertThat(tools.recorded("podman.calls"), startsWith("pull registry.example.com/podvm/binaries:1.0"));
        assertThat(tools.recorded("podman.env-names"), containsString("REGISTRY_AUTH_FILE"));
        assertThat(tools.recorded("authfile.mode").trim(), equalTo("400"));
        assertThat(tools.recorded("authfile.dir-mode").trim(), equalTo("700"));
        String auth = Base64.getEncoder().encodeToString(("robot:" + REGISTRY_PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(tools.recorded("authfile.json"), containsString(auth));
        Path authFile = Path.of(tools.recorded("authfile.path").trim());
        assertThat("the auth file is deleted after the step", Files.exists(authFile), is(false));
        assertThat("the credential directory is deleted too", Files.exists(authFile.getParent()), is(false));
        assertThat("credentials are kept out of the workspace", authFile.toString(), containsString("@tmp"));
        assertSecretAbsent(run, REGISTRY_PASSWORD);
        assertSecretAbsent(run, auth);
    }

    @Test
    void binariesRefusesASecretTextForTheRegistry() throws Exception {
        add(new StringCredentialsImpl(CredentialsScope.GLOBAL, "token", "", Secret.fromString("tok-123456789")));
        WorkflowRun run = build("""
                node('podvm') {
                  podvmBinaries mode: 'pull', image: 'registry.example.com/podvm/binaries:1.0', registryCredentialsId: 'token'
                }
                """, Result.FAILURE);
        j.assertLogContains("podvmBinaries registryCredentialsId: the credential 'token' is of kind 'Secret text', but"
                + " podvmBinaries registryCredentialsId takes a 'Username with password' credential.", run);
    }

    @Test
    void uploadToAwsPassesTheKeysByEnvironmentAndReturnsTheReferences() throws Exception {
        add(new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "aws-keys", "", "AKIAPODVMTEST", AWS_SECRET));
        WorkflowRun run = build("""
                node('podvm') {
                  writeFile file: 'system.raw', encoding: 'Base64', text: '@RAW_IMAGE@'
                  def up = podvmUpload image: 'system.raw', provider: 'aws', credentialsId: 'aws-keys', name: 'podvm',
                      imageVersion: '1.2.3', settings: ['aws.region': 'eu-central-1', 'aws.bucket': 'podvm-uploads']
                  echo "refs=${up.refs} provider=${up.provider} version=${up.version} next=${up.nextVersion}"
                }
                """, Result.SUCCESS);
        j.assertLogContains("refs=[arn:aws:ec2:eu-central-1:123456789012:image/ami-0fake] provider=aws version=1.2.3"
                + " next=null", run);
        assertThat(tools.recorded("uplosi.env-names"), containsString("AWS_SECRET_ACCESS_KEY"));
        assertThat(tools.recorded("uplosi.env-names"), containsString("AWS_ACCESS_KEY_ID"));
        assertThat(tools.recorded("uplosi.argv"), not(containsString(AWS_SECRET)));
        assertThat(tools.recorded("uplosi.conf"), not(containsString(AWS_SECRET)));
        assertThat(tools.recorded("uplosi.conf"), containsString("eu-central-1"));
        assertSecretAbsent(run, AWS_SECRET);
    }

    @Test
    void uploadToGcpHandsTheServiceAccountKeyOverInAPrivateFileThatIsDeletedAfterwards() throws Exception {
        String key = "{\"type\": \"service_account\", \"client_email\": \"podvm@podvm-test.iam.gserviceaccount.com\","
                + " \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n"
                + GCP_PRIVATE_KEY_LINE + "\\n-----END PRIVATE KEY-----\\n\"}";
        add(new FileCredentialsImpl(CredentialsScope.GLOBAL, "gcp-key", "", "sa.json",
                SecretBytes.fromRawBytes(key.getBytes(StandardCharsets.UTF_8))));
        WorkflowRun run = build("""
                node('podvm') {
                  writeFile file: 'system.raw', encoding: 'Base64', text: '@RAW_IMAGE@'
                  podvmUpload image: 'system.raw', provider: 'gcp', credentialsId: 'gcp-key', name: 'podvm',
                      imageVersion: '1.2.3',
                      settings: ['gcp.project': 'podvm-test', 'gcp.location': 'europe-west3', 'gcp.bucket': 'podvm-uploads']
                }
                """, Result.SUCCESS);
        assertThat(tools.recorded("gcp-key.mode").trim(), equalTo("400"));
        assertThat(tools.recorded("gcp-key.dir-mode").trim(), equalTo("700"));
        Path keyFile = Path.of(tools.recorded("gcp-key.path").trim());
        assertThat("the key file is deleted after the step", Files.exists(keyFile), is(false));
        assertThat("the credential directory is deleted too", Files.exists(keyFile.getParent()), is(false));
        assertSecretAbsent(run, GCP_PRIVATE_KEY_LINE);
    }

    @Test
    void uploadRefusesASecretTextForAws() throws Exception {
        add(new StringCredentialsImpl(CredentialsScope.GLOBAL, "token", "", Secret.fromString("tok-123456789")));
        WorkflowRun run = build("""
                node('podvm') {
                  writeFile file: 'system.raw', encoding: 'Base64', text: '@RAW_IMAGE@'
                  podvmUpload image: 'system.raw', provider: 'aws', credentialsId: 'token', name: 'podvm',
                      imageVersion: '1.2.3', settings: ['aws.region': 'eu-central-1', 'aws.bucket': 'podvm-uploads']
                }
                """, Result.FAILURE);
        j.assertLogContains("the credential 'token' is of kind 'Secret text'", run);
        j.assertLogContains("'Username with password'", run);
        assertThat(tools.hasRecorded("uplosi.argv"), is(false));
    }

    // ---- helpers ----

    private WorkflowRun build(String script, Result expected) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class);
        job.setDefinition(new CpsFlowDefinition(script.replace("@RAW_IMAGE@", rawImageBase64()), true));
        WorkflowRun run = job.scheduleBuild2(0).get();
        j.assertBuildStatus(expected, run);
        return run;
    }

    /**
     * A 5 KiB raw disk image that podvmUpload accepts (it refuses anything that is not a GPT disk with an
     * EFI System Partition): a GPT with four entries, one ESP, and its backup table; made once with Python's
     * struct and zlib, checked with sfdisk --verify and podvm's own check.
     */
    private static String rawImageBase64() throws IOException {
        try (var in = PodvmStepsTest.class.getResourceAsStream("gpt-esp.raw.base64")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
    }

    private void add(Credentials credential) throws IOException {
        CredentialsProvider.lookupStores(j.jenkins).iterator().next().addCredentials(Domain.global(), credential);
    }

    /** Not in the build log, and in no file of the build directory (program.dat, build.xml, logs...). */
    private void assertSecretAbsent(WorkflowRun run, String secret) throws Exception {
        j.assertLogNotContains(secret, run);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(run.getRootDir().toPath())) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        for (Path file : files) {
            assertThat("secret found in " + file, indexOf(Files.readAllBytes(file), needle), is(-1));
        }
        assertThat(JenkinsRule.getLog(run), not(containsString(secret)));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static KeyPair rsaKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /** PKCS#8 PEM, one of the formats the engine (and Jenkins) read. */
    private static String pem(KeyPair pair) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPrivate().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }

    /** A long line of the key's base64 body: what would show if the key leaked. */
    private static String privateKeyBody(String pem) {
        return pem.split("\n")[2];
    }
}
