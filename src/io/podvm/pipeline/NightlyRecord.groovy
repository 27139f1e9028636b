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

    /** The results JSON: this build's plan and each stage's result. */
    @NonCPS
    static String resultsJson(Map plan, Map results) {
        Map all = [parameters: plan]
        all.putAll(results)
        return JsonOutput.prettyPrint(JsonOutput.toJson(all)) + '\n'
    }

    /** Comma-separated workspace-relative paths to archive (archiveArtifacts takes Ant patterns, not absolute paths). */
    @NonCPS
    static String artifacts(Map archive, Map image, String workspace, Map measure = null) {
        List paths = []
        for (String kind : ['manifest', 'image', 'qcow2']) {
            String path = archive[kind] ? relativeTo(workspace, image?.get(kind)) : null
            if (path) {
                paths << path
            }
        }
        String pcrs = archive.pcrs ? relativeTo(workspace, measure?.output) : null
        if (pcrs) {
            paths << pcrs
        }
        if (archive.results) {
            paths << RESULTS_FILE
        }
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
        String pcr11 = results.measure?.pcrs?.get('11')
        if (pcr11) {
            lines << "PCR 11 ${pcr11}".toString()
        }
        Map uploads = results.upload ?: [:]
        for (Map.Entry upload : uploads.entrySet()) {
            List refs = upload.value?.refs ?: []
            lines << "${upload.key}: ${refs ? refs.join(', ') : 'no image reference'}".toString()
        }
        return lines.join('\n')
    }
}
