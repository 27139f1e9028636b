// podvmImage: binaries -> image -> upload in one call, each part in a stage named after it.
//
// Pipeline runs this file under the CPS transform, so it only calls steps (stage, parallel, podvm*,
// error). The map and list work is in src/io/podvm/pipeline (ImageArguments, UploadBranches): @NonCPS
// helpers that never call a step and return a problem as a sentence (or null), which this code passes
// to error(), because a step called from @NonCPS code does not behave.

import io.podvm.pipeline.ImageArguments
import io.podvm.pipeline.NightlyRecord
import io.podvm.pipeline.UploadBranches

/**
 * Runs the parts that are given and returns their results:
 * [binaries: <podvmBinaries result>, image: <podvmMkosi result>, measure: <podvmMeasure result>,
 *  boot: <podvmBoot result>, upload: [<branch>: <podvmUpload result>]].
 * A boot that fails fails the build before the upload stage: an image that does not boot is never uploaded.
 * Everything is checked before the first stage starts, so a typo fails in seconds, not after the build.
 */
def call(Map args = [:]) {
    String problem = ImageArguments.problemWithArguments(args)
    if (problem) {
        error(problem)
    }
    Map results = [:]
    if (ImageArguments.given(args.binaries)) {
        Map binariesArgs = ImageArguments.copyOf(args.binaries)
        stage('binaries') {
            results.binaries = podvmBinaries(binariesArgs)
        }
    }
    if (ImageArguments.given(args.image)) {
        Map imageArgs = ImageArguments.imageArguments(args.image, results.binaries)
        stage('image') {
            results.image = podvmMkosi(imageArgs)
        }
    }
    if (ImageArguments.given(args.measure)) {
        Map measureArgs = ImageArguments.checkArguments('measure', args.measure, results.image)
        stage('measure') {
            results.measure = measure(measureArgs)
        }
    }
    if (ImageArguments.given(args.boot)) {
        Map bootArgs = ImageArguments.checkArguments('boot', args.boot, results.image)
        stage('boot') {
            results.boot = podvmBoot(bootArgs)
        }
    }
    if (ImageArguments.given(args.upload)) {
        List uploads = ImageArguments.uploadArguments(args.upload, results.image)
        stage('upload') {
            results.upload = upload(uploads)
        }
    }
    return results
}

/**
 * Runs podvmMeasure, archives its JSON (when it is in the workspace) and puts PCR 11 into the build
 * description. podvmNightlyPipeline calls this too.
 */
def measure(Map measureArgs) {
    Map result = podvmMeasure(measureArgs)
    String json = NightlyRecord.relativeTo(pwd(), result.output)
    if (json) {
        archiveArtifacts(artifacts: json)
    }
    currentBuild.description = ImageArguments.descriptionWithPcr11(currentBuild.description, result)
    return result
}

/**
 * Runs podvmUpload once per entry of uploads (see ImageArguments.uploadArguments), in parallel when there are
 * several, and returns the results by branch name: the provider ('aws'), or 'aws #1', 'aws #2' when
 * one provider appears more than once. podvmNightlyPipeline calls this too.
 */
def upload(List uploads) {
    List names = UploadBranches.names(uploads)
    Map results = [:]
    if (uploads.size() == 1) {
        results[names[0]] = podvmUpload(uploads[0])
        return results
    }
    Map branches = [:]
    for (int i = 0; i < uploads.size(); i++) {
        branches[names[i]] = uploadBranch(uploads[i], names[i], results)
    }
    parallel(branches)
    return UploadBranches.inOrder(names, results)
}

/** One parallel branch. A method of its own so that each closure keeps its own upload, not the loop's last. */
def uploadBranch(Map uploadArgs, String name, Map results) {
    return {
        results[name] = podvmUpload(uploadArgs)
    }
}
