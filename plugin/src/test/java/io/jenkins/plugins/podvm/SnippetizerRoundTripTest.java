package io.jenkins.plugins.podvm;

import java.util.List;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** What the Snippet Generator writes for each step parses back into the same step. */
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
        st.assertRoundTrip(step, "podvmMkosi extraPackages: ['strace', 'tcpdump'], qcow2: true,"
                + " sshKeyCredentialsId: 'debug-key', variant: 'debug'");
    }

    @Test
    void binaries(JenkinsRule j) throws Exception {
        SnippetizerTester st = new SnippetizerTester(j);
        st.assertRoundTrip(new PodvmBinariesStep("build"), "podvmBinaries 'build'");
        PodvmBinariesStep pull = new PodvmBinariesStep("pull");
        pull.setImage("quay.io/confidential-containers/podvm-binaries-ubuntu-amd64:v0.13.0");
        pull.setRegistryCredentialsId("registry");
        pull.setOverlays(List.of("extra"));
        st.assertRoundTrip(pull, "podvmBinaries image: 'quay.io/confidential-containers/podvm-binaries-ubuntu-amd64:v0.13.0',"
                + " mode: 'pull', overlays: ['extra'], registryCredentialsId: 'registry'");
    }

    @Test
    void upload(JenkinsRule j) throws Exception {
        SnippetizerTester st = new SnippetizerTester(j);
        PodvmUploadStep step = new PodvmUploadStep("aws", "build/system.raw");
        step.setCredentialsId("aws-podvm");
        step.setIncrementVersion(true);
        step.setImageVersionFile("version.txt");
        st.assertRoundTrip(step, "podvmUpload credentialsId: 'aws-podvm', image: 'build/system.raw',"
                + " imageVersionFile: 'version.txt', incrementVersion: true, provider: 'aws'");
    }
}
