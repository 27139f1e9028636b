package io.jenkins.plugins.podvm;

import hudson.model.Result;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** {@code @Library('podvm') _} loads the bundled vars/, src/ and resources/ with no SCM set-up, and only when asked for. */
@WithJenkins
class BundledLibraryTest {

    @Test
    void loadsTheBundledLibraryWhenAskedFor(JenkinsRule j) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class);
        // podvmImage checks its arguments before running any stage: a call with nothing to do fails with
        // its own message, which proves that the library's global variable was found and ran.
        job.setDefinition(new CpsFlowDefinition("@Library('podvm') _\npodvmImage([:])\n", true));
        WorkflowRun run = j.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
        j.assertLogContains("Loading library podvm@", run);
        j.assertLogContains("podvmImage has nothing to do", run);
    }

    @Test
    void servesVarsSrcAndResources(JenkinsRule j) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class);
        // vars/podvmUplosiConfig checks its arguments with a src/ class and reads a resources/ file.
        job.setDefinition(new CpsFlowDefinition("@Library('podvm') _\n"
                + "echo(podvmUplosiConfig(provider: 'openstack'))\n"
                + "podvmUplosiConfig(provider: 'nocloud')\n", true));
        WorkflowRun run = j.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
        j.assertLogContains("[base.openstack]", run);
        j.assertLogContains("podvmUplosiConfig: provider is 'nocloud'; allowed are aws, azure, gcp, openstack.", run);
    }

    @Test
    void isNotLoadedImplicitly(JenkinsRule j) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class);
        job.setDefinition(new CpsFlowDefinition("echo 'no library'\n", true));
        WorkflowRun run = j.buildAndAssertSuccess(job);
        j.assertLogNotContains("Loading library podvm", run);
    }

    @Test
    void refusesAnotherVersion(JenkinsRule j) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class);
        job.setDefinition(new CpsFlowDefinition("@Library('podvm@main') _\necho 'x'\n", true));
        WorkflowRun run = j.assertBuildStatus(Result.FAILURE, job.scheduleBuild2(0));
        j.assertLogContains("Version override not permitted for library podvm", run);
    }
}
