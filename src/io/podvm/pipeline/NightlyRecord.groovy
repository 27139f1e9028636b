package io.podvm.pipeline

import com.cloudbees.groovy.cps.NonCPS
import groovy.json.JsonOutput

/**
 * What a nightly build leaves behind, worked out from its plan and its stages' results: the results JSON,
 * what to archive, and the build description. Pure work on maps, no step.
 */
class NightlyRecord {

    /** Where the results JSON is written, in the workspace, and archived from. */
    static final String RESULTS_FILE = 'podvm-results.json'

    /** The uploads' skipIfUnchanged state files: archived, and copied back from the last successful build. */
    static final String STATE_DIR = 'podvm-state'
    static final String STATE_FILES = 'podvm-state/*.json'

    /** Where the last successful build's manifest (and its NAME.podvm.json) is copied to, flattened. */
    static final String LAST_DIR = 'podvm-last'

    /**
     * copyArtifacts' projectName for this job: absolute, since a relative name is resolved against the job's
     * folder and JOB_NAME already holds the folders.
     */
    @NonCPS
    static String thisJob(String jobName) {
        return '/' + jobName
    }

    /** The full diff against the last successful build, archived. */
    static final String DIFF_FILE = 'podvm-diff.json'

    /** The state file of one upload branch: one per branch, since parallel uploads must not share a file. */
    @NonCPS
    static String stateFile(String branch) {
        return "${STATE_DIR}/${branch.replaceAll('[^A-Za-z0-9._-]', '-')}.json".toString()
    }

    /** The NAME.podvm.json that podvmMkosi writes beside NAME.manifest (the binaries listing, the content key). */
    @NonCPS
    static String contentFile(String manifest) {
        return manifest.endsWith('.manifest') ? manifest.substring(0, manifest.length() - '.manifest'.length()) + '.podvm.json' : null
    }

    /** copyArtifacts' filter for the last successful build's manifest and content file, at this build's paths. */
    @NonCPS
    static String lastBuildFilter(String manifest) {
        String content = contentFile(manifest)
        return content ? "${manifest},${content}".toString() : manifest
    }

    /** Where the last successful build's manifest is after a flattened copy into LAST_DIR. */
    @NonCPS
    static String lastManifest(String manifest) {
        return "${LAST_DIR}/${manifest.substring(manifest.lastIndexOf('/') + 1)}".toString()
    }

    /** The archived diff, as podvmDiff returned it. */
    @NonCPS
    static String diffJson(Map diff) {
        return JsonOutput.prettyPrint(JsonOutput.toJson(diff)) + '\n'
    }

    /** What this build keeps for the next one and for people: the upload states and the diff. */
    @NonCPS
    static List keptFiles(Map plan, Map results) {
        List kept = []
        if (plan.upload) {
            kept << STATE_FILES
        }
        if (results.diff) {
            kept << DIFF_FILE
        }
        return kept
    }

    /** The results JSON: this build's plan and each stage's result. */
    @NonCPS
    static String resultsJson(Map plan, Map results) {
        Map all = [parameters: plan]
        all.putAll(results)
        return JsonOutput.prettyPrint(JsonOutput.toJson(all)) + '\n'
    }

    /** Comma-separated workspace-relative paths to archive (archiveArtifacts takes Ant patterns, not absolute paths). */
    @NonCPS
    static String artifacts(Map archive, Map image, String workspace, Map measure = null, List kept = []) {
        List paths = []
        for (String kind : ['manifest', 'image', 'qcow2']) {
            String path = archive[kind] ? relativeTo(workspace, image?.get(kind)) : null
            if (path) {
                paths << path
            }
            // The content file goes with the manifest: the next build's diff compares binaries trees with it.
            String content = kind == 'manifest' && path ? contentFile(path) : null
            if (content) {
                paths << content
            }
        }
        String pcrs = archive.pcrs ? relativeTo(workspace, measure?.output) : null
        if (pcrs) {
            paths << pcrs
        }
        if (archive.results) {
            paths << RESULTS_FILE
        }
        paths.addAll(kept)
        return paths.join(',')
    }

    /** The image outputs that cannot be archived or fingerprinted because they are not in the workspace. */
    @NonCPS
    static List outsideWorkspace(Map image, String workspace) {
        List paths = ['image', 'manifest', 'qcow2'].collect { image?.get(it) }.findAll { it }
        return paths.findAll { relativeTo(workspace, it) == null }
    }

    /** path relative to the workspace, or null if it is outside it (or null). Paths from the steps are absolute. */
    @NonCPS
    static String relativeTo(String workspace, Object path) {
        if (!path) {
            return null
        }
        String file = path.toString()
        if (!file.startsWith('/')) {
            return file
        }
        String root = workspace.endsWith('/') ? workspace : workspace + '/'
        return file.startsWith(root) ? file.substring(root.length()) : null
    }

    /** The build description: the image's digest and package count, then one line per upload with its references. */
    @NonCPS
    static String description(Map plan, Map results) {
        List lines = []
        Map image = results.image
        if (image) {
            lines << "${image.variant ?: plan.variant} image sha256:${image.sha256}, ${image.packageCount} packages".toString()
        } else {
            lines << (plan.variant ? "no ${plan.variant} image" : 'no image') + ': see the log'
        }
        if (image) {
            lines << (results.diff ? results.diff.summary : 'no earlier successful build to compare with').toString()
        }
        String pcr11 = results.measure?.pcrs?.get('11')
        if (pcr11) {
            lines << "PCR 11 ${pcr11}".toString()
        }
        Map uploads = results.upload ?: [:]
        for (Map.Entry upload : uploads.entrySet()) {
            List refs = upload.value?.refs ?: []
            String unchanged = upload.value?.skipped ? ' (unchanged, not uploaded again)' : ''
            lines << "${upload.key}: ${refs ? refs.join(', ') : 'no image reference'}${unchanged}".toString()
        }
        return lines.join('\n')
    }
}
