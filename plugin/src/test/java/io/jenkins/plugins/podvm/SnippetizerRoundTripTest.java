package io.jenkins.plugins.podvm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * What the Snippet Generator writes for each step parses back into the same step, for every parameter; and the
 * form's text areas (one value per line) make the same lists as a Jenkinsfile does.
 */
@WithJenkins
class SnippetizerRoundTripTest {

    @Test
    void mkosi(JenkinsRule j) throws Exception {
        SnippetizerTester st = new SnippetizerTester(j);
        st.assertRoundTrip(new PodvmMkosiStep(), "podvmMkosi()");
        PodvmMkosiStep step = new PodvmMkosiStep();
        step.setVariant("debug");
        step.setSshKeyCredentialsId("debug-key");
        step.setQcow2(true);
        step.setExtraPackages(List.of("strace", "tcpdump"));
        step.setIncremental(true);
        step.setRoot("verity");
        st.assertRoundTrip(step, "podvmMkosi extraPackages: ['strace', 'tcpdump'], incremental: true, qcow2: true,"
                + " root: 'verity', sshKeyCredentialsId: 'debug-key', variant: 'debug'");
    }

    @Test
    void mkosiForm(JenkinsRule j) throws Exception {
        new SnippetizerTester(j).assertGenerateSnippet("{'stapler-class':'" + PodvmMkosiStep.class.getName()
                + "', 'variant':'debug', 'extraPackages':'strace\\n  tcpdump \\n\\n'}",
                "podvmMkosi extraPackages: ['strace', 'tcpdump'], variant: 'debug'", null);
    }

    @Test
    void binaries(JenkinsRule j) throws Exception {
        SnippetizerTester st = new SnippetizerTester(j);
        st.assertRoundTrip(new PodvmBinariesStep("build"), "podvmBinaries 'build'");
        PodvmBinariesStep build = new PodvmBinariesStep("build");
        build.setContext("cloud-api-adaptor/src");
        build.setBuildArgs(List.of("TEE_PLATFORM=snp", "ARCH=amd64"));
        build.setOverlays(List.of("extra", "more"));
        st.assertRoundTrip(build, "podvmBinaries buildArgs: ['TEE_PLATFORM=snp', 'ARCH=amd64'],"
                + " context: 'cloud-api-adaptor/src', mode: 'build', overlays: ['extra', 'more']");
        PodvmBinariesStep pull = new PodvmBinariesStep("pull");
        pull.setImage("quay.io/confidential-containers/podvm-binaries-ubuntu-amd64:v0.13.0");
        pull.setRegistryCredentialsId("registry");
        pull.setOverlays(List.of("extra"));
        st.assertRoundTrip(pull, "podvmBinaries image: 'quay.io/confidential-containers/podvm-binaries-ubuntu-amd64:v0.13.0',"
                + " mode: 'pull', overlays: ['extra'], registryCredentialsId: 'registry'");
    }

    @Test
    void binariesForm(JenkinsRule j) throws Exception {
        new SnippetizerTester(j).assertGenerateSnippet("{'stapler-class':'" + PodvmBinariesStep.class.getName()
                + "', 'mode':'build', 'buildArgs':'TEE_PLATFORM=snp\\r\\nARCH=amd64', 'overlays':'extra\\nmore'}",
                "podvmBinaries buildArgs: ['TEE_PLATFORM=snp', 'ARCH=amd64'], mode: 'build', overlays: ['extra', 'more']",
                null);
    }

    @Test
    void upload(JenkinsRule j) throws Exception {
        SnippetizerTester st = new SnippetizerTester(j);
        PodvmUploadStep step = new PodvmUploadStep("aws", "build/system.raw");
        step.setCredentialsId("aws-podvm");
        step.setIncrementVersion(true);
        step.setImageVersionFile("version.txt");
        step.setSkipIfUnchanged("upload-state.json");
        st.assertRoundTrip(step, "podvmUpload credentialsId: 'aws-podvm', image: 'build/system.raw',"
                + " imageVersionFile: 'version.txt', incrementVersion: true, provider: 'aws',"
                + " skipIfUnchanged: 'upload-state.json'");
        PodvmUploadStep variants = new PodvmUploadStep("azure", "build/system.raw");
        variants.setSettings(List.of("azure.location=northeurope", "azure.resourceGroup=podvm-images"));
        variants.setEnableVariants(List.of("prod-*"));
        variants.setDisableVariants(List.of("test-*", "dev"));
        st.assertRoundTrip(variants, "podvmUpload disableVariants: ['test-*', 'dev'], enableVariants: ['prod-*'],"
                + " image: 'build/system.raw', provider: 'azure',"
                + " settings: ['azure.location=northeurope', 'azure.resourceGroup=podvm-images']");
    }

    @Test
    void uploadForm(JenkinsRule j) throws Exception {
        new SnippetizerTester(j).assertGenerateSnippet("{'stapler-class':'" + PodvmUploadStep.class.getName()
                + "', 'provider':'aws', 'image':'build/system.raw',"
                + " 'settings':'aws.region=eu-central-1\\naws.bucket=podvm-uploads',"
                + " 'enableVariants':'prod-*', 'disableVariants':'test-*\\ndev'}",
                "podvmUpload disableVariants: ['test-*', 'dev'], enableVariants: ['prod-*'], image: 'build/system.raw',"
                        + " provider: 'aws', settings: ['aws.region=eu-central-1', 'aws.bucket=podvm-uploads']",
                null);
    }

    @Test
    void boot(JenkinsRule j) throws Exception {
        SnippetizerTester st = new SnippetizerTester(j);
        st.assertRoundTrip(new PodvmBootStep("build/system.raw"), "podvmBoot 'build/system.raw'");
        PodvmBootStep step = new PodvmBootStep("build/system.qcow2");
        step.setTimeout(600);
        step.setMemory(4096);
        step.setTpm(false);
        step.setKeepConsole("logs/console.log");
        st.assertRoundTrip(step, "podvmBoot image: 'build/system.qcow2', keepConsole: 'logs/console.log',"
                + " memory: 4096, timeout: 600, tpm: false");
    }

    @Test
    void bootForm(JenkinsRule j) throws Exception {
        new SnippetizerTester(j).assertGenerateSnippet("{'stapler-class':'" + PodvmBootStep.class.getName()
                + "', 'image':'build/system.raw', 'tpm':true, 'timeout':'300', 'memory':'', 'keepConsole':''}",
                "podvmBoot image: 'build/system.raw', timeout: 300", null);
    }

    @Test
    void measure(JenkinsRule j) throws Exception {
        SnippetizerTester st = new SnippetizerTester(j);
        st.assertRoundTrip(new PodvmMeasureStep("build/system.raw"), "podvmMeasure 'build/system.raw'");
        PodvmMeasureStep step = new PodvmMeasureStep("build/system.raw");
        step.setOutput("build/system.pcrs.json");
        st.assertRoundTrip(step, "podvmMeasure image: 'build/system.raw', output: 'build/system.pcrs.json'");
    }

    @Test
    void diff(JenkinsRule j) throws Exception {
        new SnippetizerTester(j).assertRoundTrip(new PodvmDiffStep("last/system.manifest", "build/system.manifest"),
                "podvmDiff newManifest: 'build/system.manifest', oldManifest: 'last/system.manifest'");
    }

    @Test
    void aMapInTheJenkinsfileMakesTheSameStepAsItsList(JenkinsRule j) throws Exception {
        // The Jenkinsfile syntax users have: maps for buildArgs and settings. The snippet is the list form.
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("mode", "build");
        arguments.put("buildArgs", Map.of("TEE_PLATFORM", "snp"));
        PodvmBinariesStep fromMap = (PodvmBinariesStep) j.jenkins
                .getDescriptorByType(PodvmBinariesStep.DescriptorImpl.class).newInstance(arguments);
        PodvmBinariesStep fromList = new PodvmBinariesStep("build");
        fromList.setBuildArgs(List.of("TEE_PLATFORM=snp"));
        j.assertEqualDataBoundBeans(fromList, fromMap);
    }
}
