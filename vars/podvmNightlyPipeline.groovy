// podvmNightlyPipeline: a whole Declarative Pipeline for a nightly pod VM image job, from one map.
// Its build parameters make the same job a parameterized debug build.
//
// As in podvmImage: this file only calls steps; the map work is in src/io/podvm/pipeline
// (NightlySettings, NightlyRecord), @NonCPS helpers that never call a step and return problems as
// sentences for this code to pass to error().

import io.podvm.pipeline.ImageArguments
import io.podvm.pipeline.NightlyRecord
import io.podvm.pipeline.NightlySettings

def call(Map config = [:]) {
    String problem = NightlySettings.problemWithSettings(config)
    if (problem) {
        error(problem)
    }
    Map job = NightlySettings.settings(config)
    Map plan = [:]     // what this build does, from the build parameters; filled by the first stage
    Map results = [:]  // what each stage returned; written to podvm-results.json at the end

    pipeline {
        agent {
            label "${job.agent}"
        }
        triggers {
            cron(job.cron)
        }
        parameters {
            choice(name: 'VARIANT', choices: job.variants,
                    description: 'production, or debug: the debug image lets you log in (with the SSH key below) to find out why a pod VM misbehaves.')
            credentials(name: 'SSH_KEY_CREDENTIALS', credentialType: 'com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey',
                    defaultValue: '', required: false,
                    description: 'Debug images only: an SSH private key credential whose public key goes to /root/.ssh/authorized_keys.')
            string(name: 'EXTRA_PACKAGES', defaultValue: '',
                    description: 'More distribution packages for the image, separated by spaces or commas (for example: strace tcpdump).')
            booleanParam(name: 'UPLOAD', defaultValue: job.upload,
                    description: "Upload the image to: ${job.providerNames ? job.providerNames.join(', ') : 'no provider is configured'}.")
            booleanParam(name: 'INCREMENT_VERSION', defaultValue: job.incrementVersion,
                    description: 'After the upload, bump the patch number in the image version file (uplosi -i).')
        }
        stages {
            stage('parameters') {
                steps {
                    script {
                        String wrong = NightlySettings.problemWithParameters(job, params)
                        if (wrong) {
                            error(wrong)
                        }
                        plan.putAll(NightlySettings.planOf(job, params))
                        echo(NightlySettings.summary(plan))
                    }
                }
            }
            stage('binaries') {
                when {
                    expression { return job.binaries != null }
                }
                steps {
                    script {
                        results.binaries = podvmBinaries(ImageArguments.copyOf(job.binaries))
                    }
                }
            }
            stage('image') {
                steps {
                    script {
                        results.image = podvmMkosi(NightlySettings.imageArguments(job, plan, results.binaries))
                    }
                }
            }
            stage('compare') {
                steps {
                    script {
                        Map diff = compareWithLastBuild(results.image)
                        if (diff != null) {
                            results.diff = diff
                        }
                    }
                }
            }
            stage('measure') {
                when {
                    expression { return job.measure != false }
                }
                steps {
                    script {
                        results.measure = podvmMeasure(ImageArguments.checkArguments('measure', job.measure, results.image))
                    }
                }
            }
            stage('boot') {
                when {
                    expression { return job.boot != false }
                }
                steps {
                    script {
                        // A boot that fails fails the build here: the upload stage does not run.
                        results.boot = podvmBoot(ImageArguments.checkArguments('boot', job.boot, results.image))
                    }
                }
            }
            stage('upload') {
                when {
                    expression { return plan.upload }
                }
                steps {
                    script {
                        restoreUploadState()
                        results.upload = podvmImage.upload(NightlySettings.uploadArguments(job, plan, results.image))
                    }
                }
            }
        }
        post {
            always {
                script {
                    record(job, plan, results)
                }
            }
        }
    }
}

/**
 * The diff of this build's manifest against the last successful build's (copied from its artifacts), written
 * to the workspace for archiving; null on a first build, or when the manifest is not kept with the builds.
 */
def compareWithLastBuild(Map image) {
    String manifest = NightlyRecord.relativeTo(pwd(), image?.manifest)
    if (!manifest) {
        echo('Not compared with the last successful build: the manifest is outside the workspace, so it is not archived.')
        return null
    }
    dir(NightlyRecord.LAST_DIR) {
        deleteDir()
    }
    copyArtifacts(projectName: NightlyRecord.thisJob(env.JOB_NAME), selector: lastSuccessful(stable: false),
            filter: NightlyRecord.lastBuildFilter(manifest), flatten: true, optional: true,
            target: NightlyRecord.LAST_DIR)
    String last = NightlyRecord.lastManifest(manifest)
    if (!fileExists(last)) {
        echo('No earlier successful build with an archived manifest: nothing to compare with.')
        return null
    }
    Map diff = podvmDiff(oldManifest: last, newManifest: manifest)
    writeFile(file: NightlyRecord.DIFF_FILE, text: NightlyRecord.diffJson(diff))
    echo(diff.summary)
    return diff
}

/**
 * Puts the uploads' skipIfUnchanged state files of the last successful build into the workspace, so that
 * an unchanged image is not uploaded again whichever agent ran that build. A first build has none: it uploads.
 */
def restoreUploadState() {
    dir(NightlyRecord.STATE_DIR) {
        deleteDir()
    }
    copyArtifacts(projectName: NightlyRecord.thisJob(env.JOB_NAME), selector: lastSuccessful(stable: false),
            filter: NightlyRecord.STATE_FILES, optional: true)
}

/**
 * Archives the manifest and the results JSON, fingerprints the image and writes the build description,
 * with whatever the stages got to: a failed upload still leaves the image's manifest and digest behind.
 */
def record(Map job, Map plan, Map results) {
    String workspace = pwd()
    writeFile(file: NightlyRecord.RESULTS_FILE, text: NightlyRecord.resultsJson(plan, results))
    Map image = results.image
    List outside = NightlyRecord.outsideWorkspace(image, workspace)
    if (outside) {
        echo("Not archived or fingerprinted, because they are outside the workspace ${workspace}: ${outside.join(', ')}. " +
                'Set image.outputDir to a directory inside the workspace to keep them with the build.')
    }
    String archived = NightlyRecord.artifacts(job.archive, image, workspace, results.measure,
            NightlyRecord.keptFiles(plan, results))
    if (archived) {
        archiveArtifacts(artifacts: archived, allowEmptyArchive: true)
    }
    String imageFile = NightlyRecord.relativeTo(workspace, image?.image)
    if (imageFile) {
        fingerprint(targets: imageFile)
    }
    currentBuild.description = NightlyRecord.description(plan, results)
}
